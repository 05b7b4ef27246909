"""Applies the trust's events to the read models.

The same code runs in the command's own transaction (so access decisions never
trail a revocation), in catch-up and in rebuild: so a rebuilt model is the same
as the one maintained event by event.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from domain.sealing.vault import Vault
from projections import (
    consent_view,
    insight_projection,
    late_view,
    member_view,
    organisation_view,
    panel_pool,
    proposal_view,
    staff_read_view,
    staff_view,
)
from projections.access import recompute
from projections.name_search import reindex_names
from projections.personal import name_of, opened
from projections.steps import HANDLERS, Dirty, Step
from projections.tables import members, positions

PROJECTION = "trust"
assert consent_view and late_view and member_view and organisation_view and proposal_view and staff_view
assert insight_projection and panel_pool and staff_read_view  # their handlers register on import


class TrustProjector:
    def __init__(self, vault: Vault):
        self.vault = vault

    def keys_rotated(self, session: Session) -> None:
        """In the rotation's own transaction: the name-search digests again, under the new version's key."""
        connection = session.connection()
        living = select(members.c.member_id, members.c.personal).where(members.c.personal.is_not(None))
        people = opened(self.vault, connection, connection.execute(living))
        names = {member: name_of(personal) for member, personal in people.items() if personal}
        reindex_names(connection, self.vault, names)

    def project(self, session: Session, recorded: Sequence[tuple[int, Any]], deferred: Dirty | None = None) -> None:
        """Apply the events; the access rows they touch are recomputed at once, or,
        given ``deferred`` (a rebuild), collected there to recompute once at the end."""
        dirty: Dirty = {} if deferred is None else deferred
        connection = session.connection()  # Core statements on the command's own connection
        pending: dict = {}
        for position, event in recorded:
            step = Step(connection, position, dirty, self.vault, pending)
            for handler in HANDLERS.get(type(event).__qualname__, ()):
                handler(step, event)
        for table, rows in pending.items():
            connection.execute(insert(table), rows)
        if deferred is None:
            recompute(connection, dirty)
        if recorded:
            advance(connection, recorded[-1][0])


def advance(session: Session | Connection, position: int) -> None:
    done = session.execute(update(positions).where(positions.c.name == PROJECTION).values(position=position))
    if done.rowcount == 0:
        session.execute(insert(positions), dict(name=PROJECTION, position=position))
