"""The registry of event handlers (by event class), and what each handler is given."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent
from sqlalchemy import Connection, Table

from domain.sealing.vault import Vault
from projections.core.intervals import AXES, Fact
from projections.core.tables import timeline
from projections.core.working import Working


@dataclass
class Dirty:
    """What events left for the access model to recompute after them: each of these consents' periods,
    and each of these organisations' open periods (never the product of the two)."""

    consents: set[UUID] = field(default_factory=set)
    # Each organisation's open periods from when, on each axis, its changes since the last recompute
    # count: the periods ending earlier stand (in a rebuild, its first change: all of them).
    organisations: dict[UUID, dict[str, datetime]] = field(default_factory=dict)
    new: set[UUID] = field(default_factory=set)  # consents given since the last recompute: no periods yet
    members: set[UUID] = field(default_factory=set)  # members whose status changed: all their consents' periods


@dataclass
class Step:
    session: Connection
    position: int
    dirty: Dirty
    vault: Vault
    working: Working
    tallies: dict[Table, Counter]

    def append(self, table: Table, row: dict) -> None:
        """Insert a row no handler reads back: written with the batch's rows when it settles."""
        self.working.append(table, row)

    def row(self, table: Table, key: Any) -> dict | None:
        """A row of the working set's tables as the events so far left it (core/working.py), or None."""
        return self.working.row(table, key)

    def add(self, table: Table, row: dict) -> None:
        self.working.add(table, row)

    def set(self, table: Table, key: Any, **values: Any) -> dict:
        """Set ``values`` on the row; returns the row."""
        return self.working.set(table, key, **values)

    def key_for(self, member_id: UUID) -> bytes | None:
        """The member's key (None once erased)."""
        return self.working.key_for(member_id)

    def remove(self, table: Table, key: Any) -> None:
        self.working.remove(table, key)

    def settle(self) -> None:
        """Write what the batch holds, before reading the tables kept in it by a statement of one's own
        (only reading: a handler of the working set changes them only through its step)."""
        self.working.settle(keep=True)

    def tally(self, table: Table, key: tuple, by: int) -> None:
        """Move a count that no handler reads back by ``by``: the moves are summed over the batch and
        written once after the events, by the writer registered for the table (``@tallied``). A count
        written once for each event, in a rebuild's one long transaction, would leave PostgreSQL a
        chain of row versions to walk that grows with every update."""
        self.tallies.setdefault(table, Counter())[key] += by

    def add_fact(self, member_id: UUID, event: Any, what: str, effective_at: Any = None, **details: Any) -> None:
        """One fact of a member's history (the timeline audit/ reads), by the event's actor, recorded at its
        time and true from ``effective_at`` (the same time unless reported late)."""
        row = dict(position=self.position, member_id=member_id, what=what, details=details, actor=event.actor)
        self.append(timeline, {**row, "effective_at": effective_at or event.timestamp, "recorded_at": event.timestamp})

    def mark(self, consent_id: UUID, new: bool = False) -> None:
        """This consent's periods need recomputing (it, or its member's status, changed); ``new``: it was
        just given, so it has none to replace yet."""
        self.dirty.consents.add(consent_id)
        if new:
            self.dirty.new.add(consent_id)

    def mark_member(self, member_id: UUID) -> None:
        """Every consent of this member needs its periods recomputing (their status changed)."""
        self.dirty.members.add(member_id)

    def mark_organisation(self, organisation_id: UUID, change: Fact) -> None:
        """This organisation's open periods need recomputing from ``change`` on (its status changed), so a
        command rewrites the few periods that end after it, however long the organisation's history."""
        since = {axis: change.on(axis) for axis in AXES}
        known = self.dirty.organisations.get(organisation_id)
        self.dirty.organisations[organisation_id] = {a: min(known[a], since[a]) for a in AXES} if known else since

    def personal(self, event: Any) -> dict:
        key = self.key_for(event.originator_id)
        return self.vault.open(key, event.originator_id, event.personal) or {}


Handler = Callable[[Step, Any], None]
HANDLERS: dict[type, list[Handler]] = defaultdict(list)
Tallier = Callable[[Connection, Counter], None]
TALLIERS: dict[Table, Tallier] = {}


def tallied(table: Table) -> Callable[[Tallier], Tallier]:
    """``@tallied(members_by_area)``: writes the summed moves of that table's counts after a batch."""

    def register(writer: Tallier) -> Tallier:
        TALLIERS[table] = writer
        return writer

    return register


# The handlers that read and change the working set's tables (members, consents, peer figures) only through
# their step, read them or the appended rows by statements only after step.settle(), and write neither by
# statements: the batch need not settle before them (core/working.py).
WORKING: set[Handler] = set()


def handles(*events: type, working: bool = False) -> Callable[[Handler], Handler]:
    """``@handles(Consent.Revoked)``: the handler runs for every event of that class (a name
    that is not a real event class fails at import, not silently at run time). ``working=True``: it
    keeps to the working set (above), so the batch need not settle before it."""
    for event in events:
        if not (isinstance(event, type) and issubclass(event, DomainEvent)):
            raise TypeError(f"@handles takes event classes, not {event!r}")

    def register(handler: Handler) -> Handler:
        for event in events:
            HANDLERS[event].append(handler)
        if working:
            WORKING.add(handler)
        return handler

    return register
