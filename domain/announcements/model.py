"""An announcement from the trust to its members: the text is the trust's, never personal."""

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import InvalidRequest
from domain.kernel.text import CONTROL

MAX_ANNOUNCEMENT = 4000  # Telegram takes 4096 characters in one message


class Announcement(TrustAggregate):
    @event("Announced")
    def __init__(self, text: str, actor: str, recipients: list[str] | None = None, action: dict | None = None):
        self.text = text
        self.recipients = recipients  # None: every member with a chat at the time
        self.action = action  # e.g. {"renew": consent id, "expires_at": iso}: a button (older events: None)


def announcement_text(text: str) -> str:
    text = (text or "").strip()
    if CONTROL.search(text.replace("\t", " ")):
        raise InvalidRequest("An announcement contains a control character; type it again as plain text.")
    if not text or len(text) > MAX_ANNOUNCEMENT:
        raise InvalidRequest(f"An announcement must be 1 to {MAX_ANNOUNCEMENT} characters.")
    return text
