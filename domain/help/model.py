"""A member's requests for help: one record per member, so at most one request is open at a
time. A message written while one is open is added to it; once a caseworker marks it handled,
the member's next message opens a new one.

The message and a caseworker's note are personal (free text): each is sealed under the
member's key, so erasure destroys them with everything else. What stays in the clear is
the audit fact: that they asked, when, on which channel, and who handled it."""

import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.kernel.text import SURROGATE, hidden, visible

HELP = uuid.uuid5(uuid.NAMESPACE_URL, "/help-requests")
MAX_MESSAGE = 1000  # characters: one chat message, short enough to read at once in a queue
MAX_NOTE = 1000
CHANNELS = ("telegram", "sms", "whatsapp")  # the networks a member writes to the trust on
MAY_HANDLE = ("caseworker", "trustee")
# What asking again gave: a new request, a message added to the open one, or the same text again.
OPENED, ADDED, ALREADY_SENT = "opened", "added", "already sent"


def message_text(text: str | None, what: str = "Your message", limit: int = MAX_MESSAGE) -> str:
    """Free text of several lines: trimmed, line breaks kept; refused when empty, too long, or
    holding control or invisible formatting characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if SURROGATE.search(text) or any(hidden(char) for char in text):
        raise InvalidRequest(f"{what} contains a control character or an invisible formatting character.")
    if not any(visible(char) for char in text):
        raise InvalidRequest(f"{what} is empty: write it in words.")
    if len(text) > limit:
        raise InvalidRequest(f"{what} is {len(text):,} characters long; the most is {limit:,}.")
    return text


class HelpRequests(TrustAggregate):
    """All of one member's requests for help (its id comes from the member's id)."""

    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return uuid.uuid5(HELP, str(member_id))

    @event("Started")
    def __init__(self, member_id: UUID, actor: str):
        self.member_id = member_id
        self.request = 0  # the number of the latest request (1, 2, ...)
        self.open = False
        self.last_message: str | None = None  # sealed: the latest message of the open request

    def ask(self, message: str, channel: str, actor: str) -> str:
        """``message`` sealed already. OPENED (a new request) or ADDED (to the open one)."""
        if channel not in CHANNELS:
            raise InvalidRequest(f"Unknown channel {channel!r}; use one of: {', '.join(CHANNELS)}.")
        added = self.open
        self._asked(
            member_id=self.member_id,
            request=self.request if added else self.request + 1,
            message=message,
            channel=channel,
            actor=actor,
            added=added,
        )
        return ADDED if added else OPENED

    def handle(self, request: int, note: str | None, actor: str) -> None:
        if not self.open or request != self.request:
            raise NotAllowedNow("This request for help was handled already; nothing was changed.")
        self._handled(member_id=self.member_id, request=request, note=note, actor=actor)

    @event("Asked")
    def _asked(self, member_id: UUID, request: int, message: str, channel: str, actor: str, added: bool) -> None:
        self.request, self.open, self.last_message = request, True, message

    @event("Handled")
    def _handled(self, member_id: UUID, request: int, note: str | None, actor: str) -> None:
        self.open, self.last_message = False, None
