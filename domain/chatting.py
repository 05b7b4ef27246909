"""Commands linking a member to the chat they use with the trust's bot."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actors import Actor
from domain.application import TrustApplication
from domain.chat_links import DIGEST_KEY, ChatLink, chat_digest
from domain.errors import NotAllowedNow


class ChatCommands(TrustApplication):
    def link_chat(self, member_id: UUID, chat_id: int, actor: Actor) -> None:
        """The member now talks to the trust in this chat (the id is sealed in their record)."""
        digest = self.chat_digest(chat_id)
        with self.command() as (session, _now):
            member = self.member(member_id)  # type: ignore[attr-defined]
            member.require_current("link a chat to")
            link = self._chat_link(digest)
            if link is None:
                link = ChatLink(digest=digest, member_id=member_id, actor=str(actor))
            elif link.member_id == member_id:
                raise NotAllowedNow("This chat is already linked to this member.")
            else:
                link.relink(member_id, actor=str(actor))
            key = self.vault.key_for(session, member_id)
            sealed = self.vault.seal(key, member_id, {"telegram_chat": chat_id})
            member.link_contact(sealed, "bot", str(actor))
            self.save(member, link)

    def member_for_chat(self, chat_id: int) -> UUID | None:
        link = self._chat_link(self.chat_digest(chat_id))
        return link.member_id if link is not None else None

    def unlink_chat(self, chat_id: int, actor: Actor) -> None:
        with self.command():
            link = self._chat_link(self.chat_digest(chat_id))
            if link is None or link.member_id is None:
                return
            link.unlink(actor=str(actor))
            self.save(link)

    def chat_digest(self, chat_id: int) -> str:
        return chat_digest(self.vault.derived_key(DIGEST_KEY), chat_id)

    def _chat_link(self, digest: str) -> ChatLink | None:
        try:
            return self.repository.get(ChatLink.create_id(digest))
        except AggregateNotFoundError:
            return None
