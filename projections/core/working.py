"""The rows a batch of events works on: kept in memory, written when the batch settles.

Most events read or change a member's, a consent's or a business's peer-figures row. Instead of a
statement for each, a handler asks its step for the row (read from the store once, then kept), adds
one, sets values on one or removes one; the working set writes them in bulk (core/bulk.py) when it
settles, with the rows no handler reads back (``append``). It settles:

- at the end of every batch: a command's events, a catch-up's batch, a rebuild's batch;
- before any handler that has not promised to keep to the working set (``@handles(..., working=True)``):
  such a handler may read these tables by statements of its own, so it finds them as the events left
  them. The rows stay in memory, unless it changes one of these tables by a statement: then they are
  forgotten after it, and read from the store again.

The promise is checked as the handlers run (``watching``): a handler that made it and then changes one
of these tables (``KEPT``, core/tables.py) by a statement it has SQLAlchemy compile is stopped with an
error. (A driver-level write, such as core/bulk.py's ``COPY``, is not seen: it is the working set's own.)

A rebuild keeps the rows between its batches (a consent withdrawn a year after it was given is still
in memory), up to ``limit`` rows; past that they are dropped once written, so memory stays bounded,
and each later batch reads the rows it names back in bulk (``fetch``).
It starts on empty tables, so until it drops rows, a row it does not hold does not exist (``complete``).
Members' keys are kept the same way: no handler creates or destroys one.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID
from weakref import WeakSet

from sqlalchemy import Connection, Engine, Table, bindparam, delete, event, select, update

from domain.kernel.batches import batches
from domain.sealing.vault import Vault
from projections.core.bulk import insert_rows
from projections.core.tables import KEPT

LIMIT = 200_000  # rows kept between a rebuild's batches: a few hundred MB at most


class Working:
    def __init__(self, connection: Connection, vault: Vault, limit: int = LIMIT, complete: bool = False):
        """``complete``: the tables hold no row that this working set has not seen (a rebuild's empty
        tables), so a row it does not hold is not in the store either, until it forgets rows."""
        self.connection = connection
        self.vault = vault
        self.limit = limit
        self.complete = complete
        self.rows: dict[Table, dict[Any, dict | None]] = {}
        self.new: dict[Table, set] = {}
        self.changed: dict[Table, set] = {}
        self.removed: dict[Table, set] = {}
        self.pending: dict[Table, list[dict]] = {}
        self.keys: dict[UUID, bytes | None] = {}
        self._search_key: tuple[int, bytes] | None = None
        self.running: Callable | None = None  # the handler running, and whether it made the promise
        self.promised = False
        self.stale = False  # a handler changed a kept table by a statement: forget the rows after it
        self._settling = False

    # Rows read back: by primary key, from memory or once from the store.

    def row(self, table: Table, key: Any) -> dict | None:
        kept = self.rows.setdefault(table, {})
        if key not in kept:
            if self.complete:
                return None
            kept[key] = self._read(table, [key]).get(key)
        return kept[key]

    def rows_of(self, table: Table, keys: Iterable[Any]) -> dict[Any, dict]:
        """The rows of these keys that exist, from memory, and those not held read in bulk (and not kept:
        a rebuild's last pass may read more rows than memory should hold)."""
        keys, kept = list(keys), self.rows.get(table, {})
        found = {key: kept[key] for key in keys if key in kept}
        found.update(self._read(table, [key for key in keys if key not in kept]))
        return {key: row for key, row in found.items() if row is not None}

    def fetch(self, tables: Iterable[Table], keys: Iterable[Any]) -> None:
        """Read and keep the rows of these keys (any keys: one that is not a row is remembered as none) from
        each table, in bulk: a rebuild past its limit reads a batch's rows back in a few statements."""
        keys = list(keys)
        for table in tables:
            kept = self.rows.setdefault(table, {})
            missing = [key for key in keys if key not in kept]
            found = self._read(table, missing)
            kept.update({key: found.get(key) for key in missing})

    def _read(self, table: Table, keys: list) -> dict[Any, dict]:
        """The rows of these keys found in the store, by key (nothing, when the working set is complete)."""
        if self.complete:  # nothing is in the store that is not held
            return {}
        found, name = {}, _key_of(table).name
        for chunk in batches(keys):
            for row in self.connection.execute(_statements(table).some, {"keys": chunk}):
                found[row._mapping[name]] = dict(row._mapping)
        return found

    def held_where(self, table: Table, column: str, values: set) -> list[dict] | None:
        """Every row whose ``column`` is among ``values``, from memory, if the working set holds every row
        of the store (``complete``); else None (the caller asks the store)."""
        if not self.complete:
            return None
        return [row for row in self.rows.get(table, {}).values() if row is not None and row[column] in values]

    def add(self, table: Table, row: dict) -> None:
        full = {column.name: row.get(column.name) for column in table.columns}
        key = full[_key_of(table).name]
        self.rows.setdefault(table, {})[key] = full
        self.new.setdefault(table, set()).add(key)

    def set(self, table: Table, key: Any, **values: Any) -> dict:
        """Set ``values`` on the row (which must exist); returns it."""
        row = self.row(table, key)
        if row is None:
            raise LookupError(f"no {table.name} row {key}")
        row.update(values)
        if key not in self.new.get(table, ()):
            self.changed.setdefault(table, set()).add(key)
        return row

    def remove(self, table: Table, key: Any) -> None:
        kept = self.rows.setdefault(table, {})
        kept[key] = None
        self.changed.get(table, set()).discard(key)
        if key in self.new.get(table, ()):
            self.new[table].discard(key)
        else:
            self.removed.setdefault(table, set()).add(key)

    def append(self, table: Table, row: dict) -> None:
        self.pending.setdefault(table, []).append(row)

    # Keys, kept: unwrapping is cheap, a statement each is not.

    def key_for(self, member_id: UUID) -> bytes | None:
        if member_id not in self.keys:
            self.keys[member_id] = self.vault.key_for(self.connection, member_id)
        return self.keys[member_id]

    def fetch_keys(self, member_ids: Iterable[UUID]) -> None:
        """Read the keys of these members (any ids: an id with no key is remembered as such) in bulk."""
        wanted = {member_id for member_id in member_ids if member_id not in self.keys}
        found = self.vault.keys_for(self.connection, wanted)
        self.keys.update({member_id: found.get(member_id) for member_id in wanted})

    def search_key(self) -> tuple[int, bytes]:
        if self._search_key is None:
            self._search_key = self.vault.search_key(self.connection)
        return self._search_key

    # Watching the handlers' own statements.

    @contextmanager
    def watching(self) -> Iterator[None]:
        """While the events are applied: a statement of a handler's own that changes a kept table makes the
        rows stale (a handler that promised not to is stopped)."""
        engine = self.connection.engine
        if engine not in _LISTENING:  # one listener an engine, for good: adding and removing one a command cost more
            event.listen(engine, "before_cursor_execute", _statement_seen)
            _LISTENING.add(engine)
        token = _WATCHED.set(self)
        try:
            yield
        finally:
            _WATCHED.reset(token)

    def run(self, handler: Callable, promised: bool, *args: Any) -> None:
        """Run one handler; a handler that has not promised to keep to the working set finds the batch
        written before it, and the rows forgotten after it if it changed a kept table."""
        if not promised:
            self.settle(keep=True)
        self.running, self.promised = handler, promised
        try:
            handler(*args)
        finally:
            self.running, self.promised = None, False
        if self.stale:
            self.forget()

    def _seen(self, _conn, _cursor, _statement, _parameters, context, _executemany) -> None:  # type: ignore[no-untyped-def]
        if self._settling or self.running is None or context.compiled is None:
            return
        if not (context.isinsert or context.isupdate or context.isdelete):
            return
        table = getattr(context.compiled.statement, "table", None)
        if table not in KEPT:
            return
        if self.promised:
            name = getattr(self.running, "__qualname__", repr(self.running))
            raise RuntimeError(
                f"{name} is marked working=True but changed {table.name} by a statement of its own: "
                "change it through the step (step.add, step.set, step.remove), or drop working=True"
            )
        self.stale = True

    def forget(self) -> None:
        """Drop the rows kept (not the keys: no handler creates or destroys one); read again when asked."""
        self.rows, self.complete, self.stale = {}, False, False

    # Settling.

    def settle(self, keep: bool = False) -> None:
        """Write every new, changed and removed row and every appended one; then forget the rows, or, given
        ``keep`` (nothing but the events' handlers through their steps touched the tables since they were
        read), keep them up to the limit."""
        self._settling = True
        try:
            self._write()
        finally:
            self._settling = False
        if len(self.keys) + sum(map(len, self.rows.values())) > self.limit:
            self.keys, keep = {}, False
        if not keep:
            self.forget()

    def _write(self) -> None:
        for table, keys in self.removed.items():
            if keys:
                self.connection.execute(_statements(table).remove, {"keys": list(keys)})
        for table, keys in self.new.items():
            if keys:
                kept = self.rows[table]
                insert_rows(self.connection, table, [kept[key] for key in keys])
        for table, keys in self.changed.items():
            if keys:
                kept, name = self.rows[table], _key_of(table).name
                self.connection.execute(
                    _statements(table).change,
                    [{"where_key": key, **{f"_{n}": v for n, v in kept[key].items() if n != name}} for key in keys],
                )
        for table, rows in self.pending.items():
            insert_rows(self.connection, table, rows)
        self.new, self.changed, self.removed, self.pending = {}, {}, {}, {}


_WATCHED: ContextVar[Working | None] = ContextVar("watched", default=None)  # the working set whose handlers run
_LISTENING: "WeakSet[Engine]" = WeakSet()


def _statement_seen(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
    working = _WATCHED.get()
    if working is not None and working.connection is connection:
        working._seen(connection, cursor, statement, parameters, context, executemany)


def _key_of(table: Table) -> Any:
    (key,) = table.primary_key.columns
    return key


class _Statements:
    def __init__(self, table: Table):
        key = _key_of(table)
        self.some = select(table).where(key.in_(bindparam("keys", expanding=True)))
        self.remove = delete(table).where(key.in_(bindparam("keys", expanding=True)))
        others = {column.name: bindparam(f"_{column.name}") for column in table.columns if column is not key}
        self.change = update(table).where(key == bindparam("where_key")).values(others)


_BUILT: dict[Table, _Statements] = {}


def _statements(table: Table) -> _Statements:
    """Each table's read and update, built once."""
    if table not in _BUILT:
        _BUILT[table] = _Statements(table)
    return _BUILT[table]
