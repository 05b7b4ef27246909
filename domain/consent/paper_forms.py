"""A signed paper form: the member and every consent ticked on it, recorded as one.

A caseworker types in a form the member signed: their name, contact and panel answers,
and the consents they ticked. It is one decision of the member's, so it is one command:
either the member and every ticked consent are recorded, from the date the form was
signed, or (say one ticked audience lies outside its notice) nothing is, and the form
says why. The member stays unconfirmed until they confirm, as for any registration on
their behalf, so none of these consents gives access until then."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from domain.consent.commands import Asked, ConsentCommands, Ticked
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotInCatalogue, TrustError
from domain.membership.commands import MembershipCommands
from domain.store.application import TrustApplication

MAX_TICKED = 20
T = TypeVar("T")


class PaperForms:
    def __init__(self, app: TrustApplication, members: MembershipCommands, consents: ConsentCommands) -> None:
        self.app = app
        self.members = members
        self.consents = consents

    def record_paper_form(
        self,
        name: str,
        actor: Actor,
        form_ref: str,
        signed_at: datetime,
        profile: dict[str, str] | None = None,
        contact: str | None = None,
        ticked: Sequence[Ticked] = (),
    ) -> UUID:
        """Record the member and their ticked consents from one signed form, all or nothing."""
        if len(ticked) > MAX_TICKED:
            raise InvalidRequest(f"A paper form has at most {MAX_TICKED} consents.")
        if len({(t.purpose, t.audience) for t in ticked}) < len(ticked):
            raise InvalidRequest("The same consent is ticked twice on this form.")
        registration = self.members.checked_registration(name, actor, "paper", "individual", profile, contact, form_ref)
        asked = [self._about(t, self.consents.checked, t, "paper", form_ref) for t in ticked]
        with self.app.command() as (session, now):
            effective_at = self.app.effective(signed_at, now, what="A registration")
            member, index = self.members.new_member(
                session, registration.personal, "individual", "paper", actor, effective_at, registration.evidence_ref
            )
            made = [self._about(a, self.consents.new_consent, a, member, actor, now, effective_at) for a in asked]
            self.app.save(member, index, *made)
        return member.id

    def _about(self, ticked: Ticked | Asked, step: Callable[..., T], *args: Any) -> T:
        """One ticked consent's step; a refusal says which consent it was about."""
        try:
            return step(*args)
        except NotInCatalogue:
            raise
        except TrustError as error:
            title = self.app.catalogue.purposes[ticked.purpose].title
            raise InvalidRequest(f"{title}: {error}") from error
