"""Applies the trust's events to the read models.

The same code runs in the command's own transaction (so access decisions never
trail a revocation), in catch-up and in rebuild: so a rebuilt model is the same
as the one maintained event by event. Each part registers its handlers by event
class (core/handlers.py); the read facade (projections/views.py) imports them all
and gives the projector what to do after a batch and after a key rotation.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.orm import Session

from domain.sealing.rotation import Position
from domain.sealing.vault import Vault
from projections.core.handlers import HANDLERS, TALLIERS, WORKING, Dirty, Step
from projections.core.tables import KEPT, positions
from projections.core.working import Working

PROJECTION = "trust"

Finish = Callable[[Session | Connection, Dirty, Working], None]
Rekey = Callable[[Connection, Vault, int, int, Position | None], tuple[int, Position | None]]


class TrustProjector:
    def __init__(self, vault: Vault, finish: Finish, rekey: Rekey):
        """``finish`` recomputes what a batch left dirty (the access model); ``rekey`` makes again, a
        step at a time, what is keyed by an older key version (the name-search digests) in a rotation."""
        self.vault = vault
        self.finish = finish
        self.rekey = rekey

    def rekey_some(
        self, session: Session, version: int, step: int, after: Position | None = None
    ) -> tuple[int, Position | None]:
        """In a rotation's step (its command): how many members' digests it made again (0: none left after
        ``after``), and where it stopped."""
        return self.rekey(session.connection(), self.vault, version, step, after)

    def project(
        self,
        session: Session,
        recorded: Sequence[tuple[int, Any]],
        deferred: Dirty | None = None,
        kept: Working | None = None,
    ) -> None:
        """Apply the events; the access rows they touch are recomputed at once, or,
        given ``deferred`` (a rebuild), collected there to recompute once at the end;
        given ``kept`` (a rebuild), the rows worked on stay in memory for the next batch."""
        dirty = Dirty() if deferred is None else deferred
        connection = session.connection()  # Core statements on the command's own connection
        working = Working(connection, self.vault) if kept is None else kept
        if kept is not None:  # a rebuild's batch: its members' keys in a few statements, not one each,
            named = _members_in(recorded)
            working.fetch_keys(named)
            if not working.complete:  # and, once rows have been dropped, the kept rows it may ask for
                working.fetch(KEPT, named)
        tallies: dict = {}
        with working.watching():  # a handler that changes a kept table by a statement of its own is seen
            for position, event in recorded:
                step = Step(connection, position, dirty, self.vault, working, tallies)
                for handler in HANDLERS.get(type(event), ()):
                    working.run(handler, handler in WORKING, step, event)
        working.settle(keep=True)  # the rows in memory are the rows in the store
        for table, moves in tallies.items():
            TALLIERS[table](connection, moves)
        if deferred is None:
            self.finish(connection, dirty, working)
        if recorded:
            advance(connection, recorded[-1][0])


ADVANCE = update(positions).where(positions.c.name == PROJECTION).values(position=bindparam("at"))


def advance(session: Session | Connection, position: int) -> None:
    done = session.execute(ADVANCE, {"at": position})
    if done.rowcount == 0:
        session.execute(insert(positions), dict(name=PROJECTION, position=position))


def _members_in(recorded: Sequence[tuple[int, Any]]) -> set:
    """The members the events are about: a member's own events, and those naming one."""
    return {getattr(event, "member_id", None) or event.originator_id for _position, event in recorded}
