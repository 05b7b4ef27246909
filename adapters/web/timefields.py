"""Dates and times from the forms, read in the trust's local time (UK)."""

from datetime import UTC, date, datetime, time

from domain.kernel.errors import InvalidTime
from projections.core.wording import LOCAL


def start_of(day: date, at: time | None = None) -> datetime:
    """A paper form gives a date (and perhaps a time): that moment in UK time.
    With no time, the start of the day: the member's wish counts from then."""
    return datetime.combine(day, at or time(0, 0), tzinfo=LOCAL).astimezone(UTC)


def moment(text: str | None) -> datetime | None:
    """A typed or datetime-local moment, UK time unless a zone is given."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        raise InvalidTime(f"{text[:40]!r} is not a date and time; write it like 2026-03-02 14:30.") from None
    if not 1900 <= parsed.year <= 9000:
        raise InvalidTime("Give a year between 1900 and 9000.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL)
    return parsed.astimezone(UTC)
