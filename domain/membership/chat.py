"""Commands for members who talk to the trust in a chat: joining, confirming with
a reference code, and the sealed link between a chat and its member."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow, TrustError, UnknownMember
from domain.kernel.text import one_line
from domain.membership.chat_links import ChatLink
from domain.membership.commands import MembershipCommands
from domain.membership.model import UNCONFIRMED, Member
from domain.store.application import TrustApplication
from domain.store.guessing import give_back, take_guess

MAX_NAME = 200
CONFIRMED_IN_CHAT = "reference code in the bot"


class WrongReferenceCode(TrustError):
    def __init__(self) -> None:
        super().__init__("That reference code does not match a membership waiting to be confirmed.")


class ChatCommands:
    def __init__(self, app: TrustApplication, members: "MembershipCommands") -> None:
        self.app = app
        self.members = members

    def join_by_chat(self, chat_id: int, name: str, profile: dict[str, str], terms_version: str, actor: Actor) -> UUID:
        """A new member joins by themself in a chat: registered, confirmed, terms agreed
        and the chat linked, all in one command (so a repeated update records nothing)."""
        name = one_line(name, "A name or nickname", MAX_NAME)
        answers = self.app.catalogue.clean_profile(profile)
        terms_hash = self.app.catalogue.terms_hash(terms_version)
        digest = self.members.chat_digest(chat_id)
        with self.app.command() as (session, now):
            if (link := self._chat_link(digest)) is not None and link.member_id is not None:
                raise NotAllowedNow("This chat already belongs to a member of the trust.")
            personal = {"name": name, "profile": answers}
            member, index = self.members.new_member(session, personal, "individual", "bot", actor, now, None)
            member.accept_terms(terms_version, terms_hash, str(actor))
            link = self._linked(session, member, link, digest, chat_id, actor)
            self.app.save(member, index, link)
        return member.id

    def confirm_by_code(self, chat_id: int, code: str, terms_version: str, actor: Actor) -> UUID:
        """A member registered by a caseworker confirms in a chat with their reference code.
        Five wrong codes from one chat in 15 minutes and it must wait (TooManyAttempts)."""
        terms_hash = self.app.catalogue.terms_hash(terms_version)
        digest = self.members.chat_digest(chat_id)
        guessers = [(self.app.credentials.guesser("code", digest), 5)]
        take_guess(self.app.engine, guessers, self.app.clock())  # before the code is looked at
        right = True
        try:
            member_id = self.members.member_for_code(code)
            with self.app.command() as (session, now):
                member: Member = self.members.member(member_id)
                if member.status != UNCONFIRMED:
                    raise WrongReferenceCode()
                if (link := self._chat_link(digest)) is not None and link.member_id is not None:
                    raise NotAllowedNow("This chat already belongs to a member of the trust.")
                member.confirm(effective_at=now, actor=str(actor), how=CONFIRMED_IN_CHAT)
                member.accept_terms(terms_version, terms_hash, str(actor))
                link = self._linked(session, member, link, digest, chat_id, actor)
                self.app.save(member, link)
        except (UnknownMember, WrongReferenceCode):
            right = False
            raise WrongReferenceCode() from None
        finally:
            if right:  # only a wrong code counts
                give_back(self.app.engine, guessers, self.app.clock())
        return member_id

    def link_chat(self, member_id: UUID, chat_id: int, actor: Actor) -> None:
        """The member now talks to the trust in this chat (the id is sealed in their record)."""
        digest = self.members.chat_digest(chat_id)
        previous = self.members.chat_links_of(member_id)
        with self.app.command() as (session, _now):
            member = self.members.member(member_id)
            member.require_current("link a chat to")
            link = self._chat_link(digest)
            if link is not None and link.member_id == member_id:
                raise NotAllowedNow("This chat is already linked to this member.")
            # The member's earlier chat is theirs no longer: one chat per member, found by its link.
            old = self.members.unlinked([i for i in previous if i != ChatLink.create_id(digest)], member_id, actor)
            link = self._linked(session, member, link, digest, chat_id, actor)
            self.app.save(member, link, *old)

    def member_for_chat(self, chat_id: int) -> UUID | None:
        link = self._chat_link(self.members.chat_digest(chat_id))
        return link.member_id if link is not None else None

    def chat_of(self, member_id: UUID) -> int | None:
        """The member's chat id, opened from their sealed record (None if none, or erased)."""
        personal = self.members.member_personal_data(member_id) or {}
        return personal.get("telegram_chat")

    def unlink_chat(self, chat_id: int, actor: Actor) -> None:
        with self.app.command():
            link = self._chat_link(self.members.chat_digest(chat_id))
            if link is None or link.member_id is None:
                return
            link.unlink(actor=str(actor))
            self.app.save(link)

    def _linked(
        self, session: Session, member: Member, link: ChatLink | None, digest: str, chat_id: int, actor: Actor
    ) -> ChatLink:
        """Inside a command: the chat's link pointed at ``member``, and the chat id sealed in their record."""
        if link is None:
            link = ChatLink(digest=digest, member_id=member.id, actor=str(actor))
        else:
            link.relink(member.id, actor=str(actor))
        key = self.app.vault.key_for(session, member.id)
        member.link_contact(self.app.vault.seal(key, member.id, {"telegram_chat": chat_id}), "bot", str(actor))
        return link

    def _chat_link(self, digest: str) -> ChatLink | None:
        try:
            return self.app.repository.get(ChatLink.create_id(digest))
        except AggregateNotFoundError:
            return None
