"""Which member a chat belongs to, without keeping the chat id in clear.

A Telegram chat id is personal data. The member's own events carry it sealed
(under their key, like a contact handle). To find the member when a message
arrives, a ``ChatLink`` index aggregate is kept whose id is derived from a keyed
digest of the chat id (HMAC under a key derived from the master key): the log
shows that some chat is linked to a member, never which chat, and without the
master key the digest cannot be tested against chat ids. Leaving or erasure
unlinks it, so the chat is then a stranger again."""

import hashlib
import hmac
import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

_NAMESPACE = UUID("3b0f4a52-7c1e-4b8e-9d6a-2f5c8e1a7b44")
TELEGRAM = "telegram"
DIGEST_KEY = "chat ids"  # the purpose of the key derived from the master key


def chat_digest(key: bytes, chat_id: int | str, network: str = TELEGRAM) -> str:
    """The keyed digest of a chat id; ``key`` is the vault's derived_key(DIGEST_KEY)."""
    return hmac.new(key, f"{network}:{chat_id}".encode(), hashlib.sha256).hexdigest()


class ChatLink(TrustAggregate):
    @staticmethod
    def create_id(digest: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, digest)

    @event("Linked")
    def __init__(self, digest: str, member_id: UUID, actor: str):
        self.member_id: UUID | None = member_id

    def relink(self, member_id: UUID, actor: str) -> None:
        if self.member_id is not None:
            raise NotAllowedNow("This chat or number is already linked to a member of the trust.")
        self._relinked(member_id=member_id, actor=actor)

    def unlink(self, actor: str) -> None:
        if self.member_id is not None:
            self._unlinked(actor=actor)

    @event("Relinked")
    def _relinked(self, member_id: UUID, actor: str) -> None:
        self.member_id = member_id

    @event("Unlinked")
    def _unlinked(self, actor: str) -> None:
        self.member_id = None
