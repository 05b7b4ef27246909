"""What a WhatsApp notification tells the outbox (the webhook, adapters.bot.whatsapp.webhook, hands
each signed notification here):

- when each member last wrote: every message from a member's number starts their 24-hour window
  (kept by member id, at the message's own time, so a redelivery does not move it);
- the ``statuses`` of the announcements sent: delivered, or failed with Meta's error code, recorded
  once against the delivery whose wamid they name (a redelivered notification changes nothing).
  A failure is undeliverable (131026: not a WhatsApp user, or cannot receive); a 131047
  (re-engagement) is taken, as the issue says, as the member having blocked the trust there: a stop.

Numbers are personal data: never logged."""

import logging
from datetime import UTC, datetime
from typing import Any

from adapters.bot.whatsapp.notifications import dicts, values
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError

WHATSAPP = "whatsapp"
RE_ENGAGEMENT = 131047
MEMBER_BY_WHATSAPP = Actor("member", "via whatsapp")
log = logging.getLogger(__name__)


def take_notification(svc, notification: Any, phone_id: str | None) -> None:  # type: ignore[no-untyped-def]
    """Note who wrote and record the statuses; a bad part of a notification is skipped, never an error to Meta."""
    for value in values(notification, phone_id):
        for message in dicts(value.get("messages")):
            _heard(svc, message)
        for status in dicts(value.get("statuses")):
            _reported(svc, status)


def _heard(svc, message: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    wa_id, timestamp = message.get("from"), message.get("timestamp")
    if not isinstance(wa_id, str) or not wa_id.isdigit():
        return
    try:
        member_id = svc.trust.member_for_address(WHATSAPP, f"+{wa_id}")
        if member_id is not None:
            svc.trust.heard_from(member_id, WHATSAPP, _when(timestamp))
    except TrustError as error:  # a number not in international form: a stranger
        log.info("A WhatsApp message's sender was not noted: %s", type(error).__name__)


def _reported(svc, status: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    wamid, state = status.get("id"), status.get("status")
    if not isinstance(wamid, str) or not isinstance(state, str) or not 0 < len(wamid) <= 64:
        return
    errors = dicts(status.get("errors"))
    code = errors[0].get("code") if errors else None
    try:
        reported = svc.trust.record_delivery_report(WHATSAPP, wamid, state, None if code is None else str(code))
        if reported is not None and reported.recorded and code == RE_ENGAGEMENT:
            svc.trust.stop_messages(reported.member_id, WHATSAPP, "blocked", MEMBER_BY_WHATSAPP)
    except TrustError as error:
        log.warning("A WhatsApp status was not recorded: %s", type(error).__name__)


def _when(timestamp: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
