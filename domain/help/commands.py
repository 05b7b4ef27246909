"""Asking the trust for a person, and a caseworker marking the request handled (the record
itself is in domain.help.model)."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.help.model import ADDED, ALREADY_SENT, MAX_MESSAGE, MAX_NOTE, MAY_HANDLE, OPENED, HelpRequests, message_text
from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow, NotFound
from domain.membership.commands import MembershipCommands
from domain.store.application import TrustApplication

__all__ = ["ADDED", "ALREADY_SENT", "MAX_MESSAGE", "OPENED", "HelpCommands", "UnknownHelpRequest"]


class UnknownHelpRequest(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No request for help {reference}.")


class HelpCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands) -> None:
        self.app = app
        self.members = members

    def ask_for_help(self, member_id: UUID, message: str, channel: str, actor: Actor) -> str:
        """The member's message for the trust's caseworkers, sealed under their key. While a request
        is open, a new message is added to it; the very same text again records nothing.
        Returns OPENED, ADDED or ALREADY_SENT (domain.help.model)."""
        if actor.role != "member":
            raise NotAllowedNow("Only the member themself asks the trust for help this way.")
        message = message_text(message)
        with self.app.command() as (session, _now):
            self.members.member(member_id).require_current("pass on a message from")
            key = self.app.vault.key_for(session, member_id)
            if key is None:
                raise NotAllowedNow("This member's personal data is erased; no message can be kept for them.")
            help_id = HelpRequests.create_id(member_id)
            try:
                requests: HelpRequests = self.app.repository.get(help_id)
            except AggregateNotFoundError:
                requests = HelpRequests(member_id=member_id, actor=str(actor))
            last = requests.last_message and self.app.vault.open(key, member_id, requests.last_message)
            if requests.open and last and last.get("message") == message:
                return ALREADY_SENT
            sealed = self.app.vault.seal(key, member_id, {"message": message})
            outcome = requests.ask(sealed, channel, str(actor))
            self.app.save(requests)
        return outcome

    def mark_help_handled(self, member_id: UUID, request: int, actor: Actor, note: str | None = None) -> None:
        """A caseworker (or trustee) has dealt with the member's request; the note, if any, is
        sealed under the member's key like the message it answers."""
        if actor.role not in MAY_HANDLE:
            raise NotAllowedNow("Only a caseworker or a trustee marks a request for help handled.")
        note = message_text(note, "The note", MAX_NOTE) if note and note.strip() else None
        with self.app.command() as (session, _now):
            try:
                requests: HelpRequests = self.app.repository.get(HelpRequests.create_id(member_id))
            except AggregateNotFoundError:
                raise UnknownHelpRequest(f"{request} from member {member_id}") from None
            key = self.app.vault.key_for(session, member_id)
            if key is None:
                raise NotAllowedNow("This member's personal data is erased, and their message with it.")
            sealed = self.app.vault.seal(key, member_id, {"note": note}) if note else None
            requests.handle(request, sealed, str(actor))
            self.app.save(requests)
