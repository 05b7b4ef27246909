"""Plain words for times and facts, shared by every front end."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/London")


def when(moment: datetime | None) -> str:
    """A moment in UTC and in the trust's local time."""
    if moment is None:
        return "open-ended"
    utc = moment.astimezone(UTC)
    local = moment.astimezone(LOCAL)
    return f"{utc:%Y-%m-%d %H:%M} UTC ({local:%H:%M %Z}{'' if local.date() == utc.date() else f' on {local:%Y-%m-%d}'})"


def short(identifier: object) -> str:
    return str(identifier)[:8]
