"""An organisation that may read member data: only once approved by trustees
under a data-sharing agreement, and never while suspended."""

import re
import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

PENDING, APPROVED, SUSPENDED = "awaiting approval", "approved", "suspended"


class Organisation(TrustAggregate):
    @event("Registered")
    def __init__(self, name: str, kind: str, actor: str, org_id: str | None = None):
        # org_id: its identifier in an org-id.guide scheme (GB-CHC-1123456), if given at registration;
        # organisations registered before it was asked have none (their events carry no org_id).
        self.name = name
        self.kind = kind
        self.org_id = org_id
        self.status = PENDING
        self.agreement_ref: str | None = None
        self.status_since: datetime | None = None  # effective time of the last status change

    @property
    def is_approved(self) -> bool:
        """Approved and not suspended: it may read member data and ask for insight."""
        return self.status == APPROVED

    def approve(self, agreement_ref: str, agreement_date: date, effective_at: datetime, actor: str) -> None:
        if self.status != PENDING:
            raise NotAllowedNow(f"{self.name} is already {self.status}.")
        self._approved(
            agreement_ref=agreement_ref,
            agreement_date=agreement_date.isoformat(),
            effective_at=effective_at,
            actor=actor,
        )

    def suspend(self, reason: str, effective_at: datetime, actor: str) -> None:
        if self.status != APPROVED:
            raise NotAllowedNow(f"{self.name} is {self.status}; only an approved organisation can be suspended.")
        self._suspended(reason=reason, effective_at=effective_at, actor=actor)

    def reinstate(self, reason: str, effective_at: datetime, actor: str) -> None:
        if self.status != SUSPENDED:
            raise NotAllowedNow(f"{self.name} is {self.status}; only a suspended organisation can be reinstated.")
        self._reinstated(reason=reason, effective_at=effective_at, actor=actor)

    @event("Approved")
    def _approved(self, agreement_ref: str, agreement_date: str, effective_at: datetime, actor: str) -> None:
        self.status = APPROVED
        self.agreement_ref = agreement_ref
        self.status_since = effective_at

    @event("Suspended")
    def _suspended(self, reason: str, effective_at: datetime, actor: str) -> None:
        self.status = SUSPENDED
        self.status_since = effective_at

    @event("Reinstated")
    def _reinstated(self, reason: str, effective_at: datetime, actor: str) -> None:
        self.status = APPROVED
        self.status_since = effective_at


def normalised_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


class OrganisationName(TrustAggregate):
    """Index aggregate: one per organisation name, so no name is registered twice."""

    @event("Claimed")
    def __init__(self, name: str, organisation_id: UUID):
        self.organisation_id = organisation_id

    @staticmethod
    def create_id(name: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, "/organisation-names/" + normalised_name(name))


class OrganisationOrgId(TrustAggregate):
    """Index aggregate: one per org-id, so no two organisations claim the same identifier."""

    @event("Claimed")
    def __init__(self, org_id: str, organisation_id: UUID):
        self.organisation_id = organisation_id

    @staticmethod
    def create_id(org_id: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, "/organisation-org-ids/" + org_id)
