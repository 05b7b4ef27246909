"""Commands about organisations: registration, approval, suspension, reinstatement."""

from datetime import date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotFound, UnknownOrganisation
from domain.kernel.org_ids import clean_org_id
from domain.kernel.references import reference
from domain.kernel.text import one_line
from domain.organisations.api_tokens import ApiToken, new_token, token_digest
from domain.organisations.model import APPROVED, Organisation, OrganisationName, OrganisationOrgId
from domain.store.application import TrustApplication
from domain.store.portal_sessions import end_portal_session, portal_session_ended


class UnknownApiToken(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No API token is known by {reference!s}.")


def _required(text: str | None, what: str, limit: int = 200) -> str:
    return one_line(text, what, limit)


class OrganisationCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def end_portal_session(self, session_id: str, until: datetime) -> None:
        """Signing out of the portal: this session's cookie opens nothing from now on."""
        end_portal_session(self.app.engine, session_id, until, self.app.clock())

    def portal_session_ended(self, session_id: str) -> bool:
        return portal_session_ended(self.app.engine, session_id)

    def register_organisation(self, name: str, kind: str, actor: Actor, org_id: str | None = None) -> UUID:
        """``org_id``, optional: its identifier in an org-id.guide scheme (e.g. GB-CHC-1123456), so its
        records join up with 360Giving data; no two organisations may have the same one."""
        name = _required(name, "An organisation's name")
        kind = self.app.catalogue.check_organisation_kind(kind)
        org_id = clean_org_id(org_id, "The organisation's identifier") if (org_id or "").strip() else None
        with self.app.command():
            if self._existing(OrganisationName.create_id(name)) is not None:
                raise NotAllowedNow(f"An organisation called {name!r} is already registered.")
            claimed = self._existing(OrganisationOrgId.create_id(org_id)) if org_id else None
            if claimed is not None:
                holder = self.organisation(claimed.organisation_id)
                raise NotAllowedNow(
                    f"{org_id} is already the identifier of {holder.name}; no two organisations share one."
                )
            organisation = Organisation(name=name, kind=kind, actor=str(actor), org_id=org_id)
            index = [OrganisationName(name=name, organisation_id=organisation.id)]
            if org_id:
                index.append(OrganisationOrgId(org_id=org_id, organisation_id=organisation.id))
            self.app.save(organisation, *index)
        return organisation.id

    def _existing(self, index_id: UUID):  # type: ignore[no-untyped-def]
        try:
            return self.app.repository.get(index_id)
        except AggregateNotFoundError:
            return None

    def approve_organisation(
        self,
        organisation_id: UUID,
        agreement_ref: str,
        agreement_date: date,
        actor: Actor,
        effective_at: datetime | None = None,
    ) -> None:
        agreement_ref = reference(_required(agreement_ref, "A data-sharing agreement reference", 40))
        with self.app.command() as (_session, now):
            organisation = self.organisation(organisation_id)
            if agreement_date > now.date():
                raise InvalidRequest("The data-sharing agreement date cannot be in the future.")
            effective_at = self.app.effective(effective_at, now, organisation.created_on, "An approval")
            organisation.approve(agreement_ref, agreement_date, effective_at, str(actor))
            self.app.save(organisation)

    def suspend_organisation(
        self, organisation_id: UUID, reason: str, actor: Actor, effective_at: datetime | None = None
    ) -> None:
        reason = _required(reason, "A reason for suspension", 500)
        with self.app.command() as (_session, now):
            organisation = self.organisation(organisation_id)
            effective_at = self.app.effective(effective_at, now, organisation.status_since, "A suspension")
            organisation.suspend(reason, effective_at, str(actor))
            self.app.save(organisation)

    def reinstate_organisation(
        self, organisation_id: UUID, reason: str, actor: Actor, effective_at: datetime | None = None
    ) -> None:
        reason = _required(reason, "A reason for reinstatement", 500)
        with self.app.command() as (_session, now):
            organisation = self.organisation(organisation_id)
            effective_at = self.app.effective(effective_at, now, organisation.status_since, "A reinstatement")
            organisation.reinstate(reason, effective_at, str(actor))
            self.app.save(organisation)

    def issue_api_token(self, organisation_id: UUID, label: str, actor: Actor) -> tuple[UUID, str]:
        """A new API token for an approved organisation: (token id, the token, shown once)."""
        label = _required(label, "A label saying where the token will be used", 80)
        with self.app.command():
            organisation = self.organisation(organisation_id)
            if organisation.status != APPROVED:
                raise NotAllowedNow(f"{organisation.name} is {organisation.status}; only an approved one gets a token.")
            token = new_token()
            issued = ApiToken(
                organisation_id=organisation_id, digest=token_digest(token), label=label, actor=str(actor)
            )
            self.app.save(issued)
        return issued.id, token

    def revoke_api_token(self, token_id: UUID, actor: Actor) -> None:
        with self.app.command():
            token = self.app.load(token_id, ApiToken, UnknownApiToken)
            token.revoke(actor=str(actor))
            self.app.save(token)

    def organisation(self, organisation_id: UUID) -> Organisation:
        return self.app.load(organisation_id, Organisation, UnknownOrganisation)

    @staticmethod
    def loaded_as() -> tuple[type, type[UnknownOrganisation]]:
        """An organisation's class, and the error when an id is not one (TrustApplication.load_each)."""
        return Organisation, UnknownOrganisation

    @staticmethod
    def registered() -> tuple[type, type[UnknownOrganisation]]:
        """How an organisation's history begins, and the error when it does not (TrustApplication.require_each)."""
        return Organisation.Registered, UnknownOrganisation
