"""Pure interval arithmetic for the access model, on both time axes.

A fact that took effect at ``eff`` and was recorded at ``rec`` counts from
``eff`` on the effective axis (what was true) and from ``max(eff, rec)`` on the
recorded axis (what the system could enforce: it cannot act on what it has not
been told). Intervals are half-open [start, end); end None means still open.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

AXES = ("recorded", "effective")
Interval = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Fact:
    eff: datetime
    rec: datetime

    def on(self, axis: str) -> datetime:
        return self.eff if axis == "effective" else max(self.eff, self.rec)


def fact(eff: datetime | None, rec: datetime | None) -> Fact | None:
    return Fact(eff, rec) if eff is not None and rec is not None else None


def earliest(*ends: datetime | None) -> datetime | None:
    present = [end for end in ends if end is not None]
    return min(present) if present else None


def span(start: Fact | None, end: Fact | None, axis: str, hard_end: datetime | None = None) -> list[Interval]:
    """The interval from ``start`` until ``end`` (or ``hard_end``, e.g. an expiry)."""
    if start is None:
        return []
    begin = start.on(axis)
    finish = earliest(end.on(axis) if end else None, hard_end)
    return [(begin, finish)] if finish is None or finish > begin else []


def switched(changes: Iterable[tuple[Fact, bool]], axis: str) -> list[Interval]:
    """Intervals in which a switch was on, from (fact, on?) changes in recorded order."""
    ordered = sorted(enumerate(changes), key=lambda item: (item[1][0].on(axis), item[0]))
    result: list[Interval] = []
    start: datetime | None = None
    for _, (change, on) in ordered:
        at = change.on(axis)
        if on and start is None:
            start = at
        elif not on and start is not None:
            if at > start:
                result.append((start, at))
            start = None
    if start is not None:
        result.append((start, None))
    return result


def intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    result = []
    for a_start, a_end in left:
        for b_start, b_end in right:
            start = max(a_start, b_start)
            end = earliest(a_end, b_end)
            if end is None or end > start:
                result.append((start, end))
    return sorted(result, key=lambda interval: interval[0])


def covers(interval: Interval, at: datetime) -> bool:
    start, end = interval
    return start <= at and (end is None or at < end)
