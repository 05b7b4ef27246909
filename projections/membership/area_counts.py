"""How many members each area has, by status: kept as counts, so the trustees'
dashboard never opens every member's sealed profile to draw its table.

Each member event moves the member from one (area, status) count to another;
the area is read from the member's sealed row (through the step: core/working.py)
under their key. A batch's moves are summed and written once after its events
(Step.tally). Erasure is projected while the key still exists (the count moves
to "not said", erased); a rebuild after it has no key and counts the member as
"not said" from the start, which ends in the same place."""

from collections import Counter
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, delete, insert, update

from projections.core.handlers import Step, tallied
from projections.core.personal import profile_of
from projections.membership.tables import members, members_by_area

PREFER_NOT_TO_SAY = "prefer-not-to-say"
NOT_SAID = "not said"  # the area of a member who did not say, or preferred not to


def area_named(profile: dict) -> str:
    area = profile.get("area") or NOT_SAID
    return NOT_SAID if area == PREFER_NOT_TO_SAY else area


# Built once: a batch's moves run them.
_COUNT = (members_by_area.c.area == bindparam("in_area"), members_by_area.c.status == bindparam("with_status"))
GROW = update(members_by_area).where(*_COUNT).values(members=members_by_area.c.members + bindparam("by"))
NEW_COUNT = insert(members_by_area)
NONE_LEFT = delete(members_by_area).where(*_COUNT, members_by_area.c.members == 0)


def _bucket(step: Step, member_id: UUID) -> tuple[str, str] | None:
    row = step.row(members, member_id)
    if row is None:
        return None
    if not row["personal"]:
        return NOT_SAID, row["status"]
    key = step.key_for(member_id)
    return area_named(profile_of(step.vault.open(key, member_id, row["personal"]))), row["status"]


def _add(step: Step, bucket: tuple[str, str], by: int) -> None:
    step.tally(members_by_area, bucket, by)


@tallied(members_by_area)
def moved(conn: Connection, moves: Counter) -> None:
    """Move each (area, status) count by its batch's sum: one statement when it grows (the common case),
    a row when it is new, none left when it falls to nothing."""
    for (area, status), by in moves.items():
        if by == 0:
            continue
        which = {"in_area": area, "with_status": status}
        if conn.execute(GROW, {**which, "by": by}).rowcount == 0:
            conn.execute(NEW_COUNT, dict(area=area, status=status, members=by))
        elif by < 0:
            conn.execute(NONE_LEFT, which)


def joined(step: Step, profile: dict, status: str) -> None:
    """A new member into their (area, status) count: the handler knows both, so nothing is read back."""
    _add(step, (area_named(profile), status), 1)


def counted(step: Step, event: Any, change: Callable[[], None]) -> None:
    """Apply ``change`` to the member's row and move them between the area counts."""
    before = _bucket(step, event.originator_id)
    change()
    after = _bucket(step, event.originator_id)
    if before != after:
        if before is not None:
            _add(step, before, -1)
        if after is not None:
            _add(step, after, 1)
