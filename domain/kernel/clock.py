"""When the trust records a fact.

Every event carries the time the trust recorded it. The clock is injectable so
that tests, the demo history and the scheduler can control it; during one
command every event shares one recording instant.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


_recording_clock: ContextVar[Clock] = ContextVar("recording_clock", default=system_clock)


def recording_time() -> datetime:
    """The instant to stamp on an event recorded now."""
    return _recording_clock.get()()


@contextmanager
def recording_at(instant: datetime) -> Iterator[datetime]:
    """Stamp every event recorded inside the block with ``instant``."""
    token = _recording_clock.set(lambda: instant)
    try:
        yield instant
    finally:
        _recording_clock.reset(token)


UK = ZoneInfo("Europe/London")


def uk_time(moment: datetime) -> str:
    """A time as members read it: "5 March 2026 at 09:00 (UK time)"."""
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y at %H:%M} (UK time)"
