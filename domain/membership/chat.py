"""Commands for members who talk to the trust in a chat: joining, confirming with
a reference code, and the sealed link between a chat and its member."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow, TrustError, UnknownMember
from domain.kernel.text import one_line
from domain.membership.addresses import ADDRESS_FIELDS, checked_address
from domain.membership.chat_links import TELEGRAM, ChatLink
from domain.membership.commands import MembershipCommands
from domain.membership.model import FULL_TEXT, UNCONFIRMED, Member
from domain.store.application import TrustApplication
from domain.store.drafts import draft, drop_draft, keep_draft
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
        """A new member joins by themself in a Telegram chat (see join_at_address)."""
        return self.join_at_address(TELEGRAM, chat_id, name, profile, terms_version, actor)

    def join_at_address(
        self,
        network: str,
        address: int | str,
        name: str,
        profile: dict[str, str],
        terms_version: str,
        actor: Actor,
        terms_sent: str = FULL_TEXT,
    ) -> UUID:
        """A new member joins by themself in a chat on ``network``: registered (collected by
        that channel), confirmed, terms agreed and the address linked, all in one command (so a
        repeated message records nothing). ``terms_sent`` says what of the terms they were sent."""
        name = one_line(name, "A name or nickname", MAX_NAME)
        answers = self.app.catalogue.clean_profile(profile)
        terms_hash = self.app.catalogue.terms_hash(terms_version)
        address = checked_address(network, address)
        digest = self.members.address_digest(network, address)
        with self.app.command() as (session, now):
            if (link := self._chat_link(digest)) is not None and link.member_id is not None:
                raise NotAllowedNow("This chat already belongs to a member of the trust.")
            personal = {"name": name, "profile": answers}
            channel = ADDRESS_FIELDS[network][1]
            member, index = self.members.new_member(session, personal, "individual", channel, actor, now, None)
            member.accept_terms(terms_version, terms_hash, str(actor), terms_sent)
            link = self._linked(session, member, link, digest, address, actor, network)
            self.app.save(member, index, link)
        return member.id

    def confirm_by_code(self, chat_id: int, code: str, terms_version: str, actor: Actor) -> UUID:
        """A member registered by a caseworker confirms in a Telegram chat (see confirm_at_address)."""
        return self.confirm_at_address(TELEGRAM, chat_id, code, terms_version, actor)

    def confirm_at_address(
        self,
        network: str,
        address: int | str,
        code: str,
        terms_version: str,
        actor: Actor,
        terms_sent: str = FULL_TEXT,
    ) -> UUID:
        """A member registered by a caseworker confirms in a chat with their reference code.
        Five wrong codes from one address in 15 minutes and it must wait (TooManyAttempts).
        This is also how a number that changed hands is linked to its new holder: only
        with the reference code of the member it now belongs to."""
        terms_hash = self.app.catalogue.terms_hash(terms_version)
        address = checked_address(network, address)
        digest = self.members.address_digest(network, address)
        guessers = [(self.app.credentials.guesser("code", digest), 5)]
        take_guess(self.app.engine, guessers, self.app.clock())  # before the code is looked at
        right = True
        try:
            member_id = self.members.member_for_code(code)
            with self.app.command() as (session, now):
                member: Member = self.members.member(member_id)
                if member.status != UNCONFIRMED:
                    raise WrongReferenceCode()
                link = self._chat_link(digest)
                if link is not None and link.member_id is not None and network == TELEGRAM:
                    raise NotAllowedNow("This chat already belongs to a member of the trust.")
                # A phone number linked to another member changed hands: the reference code proves
                # the new holder, and the number is theirs from now on (the earlier member is no
                # longer reached there: address_of checks the link).
                if link is not None and link.member_id is not None:
                    link.unlink(actor=str(actor))
                member.confirm(effective_at=now, actor=str(actor), how=CONFIRMED_IN_CHAT)
                member.accept_terms(terms_version, terms_hash, str(actor), terms_sent)
                link = self._linked(session, member, link, digest, address, actor, network)
                self.app.save(member, link)
        except (UnknownMember, WrongReferenceCode):
            right = False
            raise WrongReferenceCode() from None
        finally:
            if right:  # only a wrong code counts
                give_back(self.app.engine, guessers, self.app.clock())
        return member_id

    def link_chat(self, member_id: UUID, chat_id: int, actor: Actor) -> None:
        """The member now talks to the trust in this Telegram chat (the id is sealed in their record)."""
        self.link_address(member_id, TELEGRAM, chat_id, actor)

    def link_address(self, member_id: UUID, network: str, address: int | str, actor: Actor) -> None:
        """The member is now reached at this address on ``network`` (sealed in their record,
        found by its keyed digest). One address per channel: an earlier one there is theirs no
        longer. An address linked to another member is refused: a number that changed hands is
        re-linked only by its new holder confirming with their reference code."""
        address = checked_address(network, address)
        digest = self.members.address_digest(network, address)
        with self.app.command() as (session, _now):
            member = self.members.member(member_id)
            member.require_current("link a chat to")
            previous = self.members.chat_links_of(member_id, network, session=session)  # under the lock
            link = self._chat_link(digest)
            if link is not None and link.member_id == member_id:
                raise NotAllowedNow("This chat is already linked to this member.")
            old = self.members.unlinked([i for i in previous if i != ChatLink.create_id(digest)], member_id, actor)
            link = self._linked(session, member, link, digest, address, actor, network)
            self.app.save(member, link, *old)

    def member_for_chat(self, chat_id: int) -> UUID | None:
        return self.member_for_address(TELEGRAM, chat_id)

    def member_for_address(self, network: str, address: int | str) -> UUID | None:
        """The member reached at this address on ``network``, if any (an unknown number: None)."""
        link = self._chat_link(self.members.address_digest(network, checked_address(network, address)))
        return link.member_id if link is not None else None

    def chat_of(self, member_id: UUID) -> int | None:
        """The member's chat id, opened from their sealed record (None if none, or erased)."""
        return self.address_of(member_id, TELEGRAM)  # type: ignore[return-value]

    def address_of(self, member_id: UUID, network: str) -> int | str | None:
        """The member's address on ``network``, opened from their sealed record (None if none, or
        erased, or no longer theirs: a number that changed hands is linked to its new holder)."""
        field, _channel = ADDRESS_FIELDS[network]
        address = (self.members.member_personal_data(member_id) or {}).get(field)
        if address is None:
            return None
        link = self._chat_link(self.members.address_digest(network, address))
        return address if link is not None and link.member_id == member_id else None

    def unlink_chat(self, chat_id: int, actor: Actor) -> None:
        with self.app.command():
            link = self._chat_link(self.members.chat_digest(chat_id))
            if link is None or link.member_id is None:
                return
            link.unlink(actor=str(actor))
            self.app.save(link)

    def _linked(
        self,
        session: Session,
        member: Member,
        link: ChatLink | None,
        digest: str,
        address: int | str,
        actor: Actor,
        network: str = "telegram",
    ) -> ChatLink:
        """Inside a command: the address's link pointed at ``member``, and the address sealed in their record."""
        if link is None:
            link = ChatLink(digest=digest, member_id=member.id, actor=str(actor))
        else:
            link.relink(member.id, actor=str(actor))
        key = self.app.vault.key_for(session, member.id)
        field, channel = ADDRESS_FIELDS[network]
        member.link_contact(self.app.vault.seal(key, member.id, {field: address}), channel, str(actor))
        return link

    def draft(self, network: str, address: int | str) -> dict:
        """Where the conversation at this address stands ({} if nowhere): see domain.store.drafts."""
        digest = self.members.address_digest(network, checked_address(network, address))
        return draft(self.app.engine, self.app.vault, digest, self.app.clock())

    def keep_draft(self, network: str, address: int | str, data: dict, member_id: UUID | None) -> None:
        """Keep it, sealed (under the member's key once there is a member), until it is left for a day."""
        digest = self.members.address_digest(network, checked_address(network, address))
        keep_draft(self.app.engine, self.app.vault, digest, data, member_id, self.app.clock())

    def drop_draft(self, network: str, address: int | str) -> None:
        drop_draft(self.app.engine, self.members.address_digest(network, checked_address(network, address)))

    def _chat_link(self, digest: str) -> ChatLink | None:
        try:
            return self.app.repository.get(ChatLink.create_id(digest))
        except AggregateNotFoundError:
            return None
