"""Commands about consent: giving, withdrawing, and recording reads (expiry and
renewal are in domain.consent.renewals)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.consent.access import AccessAttempt
from domain.consent.model import COLLECTED_VIA, Consent
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, UnknownConsent
from domain.kernel.references import reference
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

if TYPE_CHECKING:
    from domain.organisations.model import Organisation


@dataclass(frozen=True)
class Audience:
    """One named organisation, or every approved organisation of a kind."""

    organisation_id: UUID | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        if (self.organisation_id is None) == (self.kind is None):
            raise InvalidRequest("A consent is for one named organisation or for one kind of organisation.")


@dataclass(frozen=True)
class AccessOutcome:
    attempt_id: UUID
    granted: dict[str, UUID]
    refused: tuple[str, ...]


class ConsentCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands, organisations: OrganisationCommands) -> None:
        self.app = app
        self.members = members
        self.organisations = organisations

    def grant_consent(
        self,
        member_id: UUID,
        purpose: str,
        categories: Sequence[str],
        audience: Audience,
        actor: Actor,
        collected_via: str = "web",
        evidence_ref: str | None = None,
        notice_version: str | None = None,
        expires_at: datetime | None = None,
        effective_at: datetime | None = None,
    ) -> UUID:
        may_act_for_members(actor, "record a consent on a member's behalf")
        chosen = self.app.catalogue.purpose(purpose)
        categories = self.app.catalogue.check_categories(list(categories))
        notice_version = notice_version or chosen.latest_notice
        notice_hash = chosen.notice_hash(notice_version)
        if collected_via not in COLLECTED_VIA:
            raise InvalidRequest(
                f"Unknown way of collecting {collected_via!r}; use one of: {', '.join(COLLECTED_VIA)}."
            )
        if collected_via == "paper" and not evidence_ref:
            raise InvalidRequest("A consent given on paper needs the form's reference as evidence.")
        evidence_ref = reference(evidence_ref)
        if expires_at is not None and expires_at.tzinfo is None:
            raise InvalidTime("An expiry needs a time zone.")
        if audience.kind is not None:
            self.app.catalogue.check_organisation_kind(audience.kind)
            self.app.catalogue.check_audience_kind(chosen, notice_version, audience.kind)
        with self.app.command() as (_session, now):
            member = self.members.member_for_consent(member_id)
            if audience.organisation_id is not None:
                named = self.organisations.organisation(audience.organisation_id)
                self.app.catalogue.check_audience_kind(chosen, notice_version, named.kind, who=named.name)
            effective_at = self.app.effective(effective_at, now, member.registered_effective_at, "A consent")
            if expires_at is not None and expires_at <= max(effective_at, now):
                raise InvalidTime("A consent's expiry must be later than now and than when it takes effect.")
            consent = Consent(
                member_id=member_id,
                purpose=purpose,
                categories=list(categories),
                audience_organisation_id=audience.organisation_id,
                audience_kind=audience.kind,
                expires_at=expires_at,
                notice_version=notice_version,
                notice_hash=notice_hash,
                collected_via=collected_via,
                evidence_ref=evidence_ref,
                effective_at=effective_at,
                actor=str(actor),
            )
            self.app.save(consent)
        return consent.id

    def revoke_consent(
        self,
        consent_id: UUID,
        actor: Actor,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> None:
        """Withdraw a consent. Once this returns, no read relies on it any more."""
        with self.app.command() as (_session, now):
            consent = self.consent(consent_id)
            effective_at = self.app.effective(effective_at, now, what="A withdrawal")
            consent.revoke(effective_at=effective_at, actor=str(actor), evidence_ref=reference(evidence_ref))
            self.app.save(consent)

    def record_access(
        self, organisation_id: UUID, member_id: UUID, purpose: str, categories: Sequence[str], actor: Actor
    ) -> AccessOutcome:
        """An organisation reads member data: record what it was allowed to see and why.
        A panels purpose is refused before anything is read (see Catalogue.readable_purpose)."""
        self.app.catalogue.readable_purpose(purpose)
        categories = self.app.catalogue.check_categories(list(categories))
        assert self.app.access_rules is not None, "the access rules are wired by the composition root"
        with self.app.command() as (session, now):
            self.organisation_for_access(organisation_id)
            self.members.member(member_id)
            allowing = self.app.access_rules.allowing_consents(
                session, organisation_id, member_id, purpose, categories, now
            )
            refused = tuple(c for c in categories if c not in allowing)
            reason = "allowed by consent" if not refused else "no active consent for " + ", ".join(refused)
            attempt = AccessAttempt(
                organisation_id=organisation_id,
                member_id=member_id,
                purpose=purpose,
                granted={c: str(cid) for c, cid in allowing.items()},
                refused=list(refused),
                reason=reason,
                actor=str(actor),
            )
            self.app.save(attempt)
        return AccessOutcome(attempt.id, dict(allowing), refused)

    def organisation_for_access(self, organisation_id: UUID) -> "Organisation":
        return self.organisations.organisation(organisation_id)

    def consent(self, consent_id: UUID) -> Consent:
        return self.app.load(consent_id, Consent, UnknownConsent)
