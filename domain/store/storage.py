"""How the event store and read models share one database safely.

Commands run one at a time against the store (a writer lock: PostgreSQL's table
lock, SQLite's BEGIN IMMEDIATE), so a command's checks and the events it records
see one consistent history, and the read models updated in the same transaction
never trail it. SQLite connections overwrite deleted content (secure_delete), so
erased personal data leaves no readable bytes behind in the file.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import sleep

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

_writing: ContextVar[bool] = ContextVar("writing", default=False)
LOCK_TIMEOUT = "15s"  # PostgreSQL: the longest a command waits for the writer lock
HOLDS_WRITER_LOCK = "holds the writer lock"  # in a session's info, once a command has taken it
CHECKPOINT_TRIES = 20  # readers are short-lived: wait for them, a little (then the scheduler retries)
CHECKPOINT_EVERY = 1.0  # seconds between a server's background checkpoints (SQLite)
log = logging.getLogger(__name__)


def configure_engine(engine: Engine) -> None:
    engine.hide_parameters = True  # errors must never print personal data
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _postgresql_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # The writer lock waits at most this long (then StoreBusy): set once per connection, not per command.
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            dbapi_connection.commit()

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "secure_delete=ON", "busy_timeout=15000", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


@contextmanager
def writing() -> Iterator[None]:
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def for_reading(engine: Engine) -> Engine:
    """The engine a read outside any command uses. On PostgreSQL it runs in autocommit: under READ
    COMMITTED (the default) a transaction gives its statements no common snapshot anyway, so its
    BEGIN and ROLLBACK were two round trips of three for a one-statement read, and bought nothing.
    SQLite keeps its read transaction, which does give one snapshot and costs no round trip."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def lock_for_writing(session: Session, events_table: str) -> None:
    """Take the store's writer lock for the rest of this transaction."""
    session.info[HOLDS_WRITER_LOCK] = True
    if session.get_bind().dialect.name == "postgresql":  # lock_timeout is set on connecting (configure_engine)
        session.execute(text(f"LOCK TABLE {events_table} IN EXCLUSIVE MODE"))
    else:
        session.connection()  # starts the transaction: BEGIN IMMEDIATE on SQLite


def is_lock_timeout(error: BaseException) -> bool:
    text = str(error).lower()
    return "database is locked" in text or "lock timeout" in text or "canceling statement due to lock" in text


def purge_old_versions(engine: Engine, tables: tuple[str, ...]) -> bool:
    """After an erasure, make the database files forget old copies of rows.

    SQLite keeps previous page images in its write-ahead log until a checkpoint;
    with secure_delete on, a completed TRUNCATE checkpoint leaves no copy of the
    scrubbed rows. PostgreSQL keeps dead row versions until VACUUM. Returns
    whether the purge completed (a busy SQLite reader can delay it: the caller
    records it unfinished, and the scheduler retries, see domain.keys.commands)."""
    if engine.dialect.name == "sqlite":
        for attempt in range(CHECKPOINT_TRIES):
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=100")
                busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
                conn.exec_driver_sql("PRAGMA busy_timeout=15000")
            if not busy:
                return True
            sleep(0.05 * (attempt + 1))
        return False
    vacuum(engine, tables)
    return True


def vacuum(engine: Engine, tables: tuple[str, ...]) -> None:
    """PostgreSQL: remove the dead row versions of ``tables`` and their index entries (plain VACUUM: readers
    and writers go on meanwhile). An index read from its start otherwise walks past the entry of every row
    deleted or updated since the last autovacuum. SQLite's B-trees keep no dead entries: nothing to do."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"VACUUM {', '.join(tables)}"))


class BackgroundCheckpoints(threading.Thread):
    """A serving process's SQLite checkpoints, away from its requests.

    Every read of a member's data is recorded, so every request commits. By default the commit that
    takes SQLite's write-ahead log past 1,000 pages also copies the log back into the database and
    syncs it before its answer goes: a request now and then waits for that (the pack read's p99, 17 ms
    against 9 without it, docs/performance.md). Here the process's connections leave checkpoints to
    this thread, which runs a PASSIVE one (never waiting for readers or blocking writers) every few
    moments. Other processes (the CLI, the scheduler) keep SQLite's default; the purge after an
    erasure still runs its own TRUNCATE checkpoint."""

    def __init__(self, engine: Engine, every: float = CHECKPOINT_EVERY):
        super().__init__(name="sqlite checkpoints", daemon=True)
        self.engine, self.every = engine, every
        self.passes = 0  # checkpoints run
        self.last: tuple[int, int, int] | None = None  # (busy, frames in the log, frames copied back)
        self.ran = threading.Condition()

    def run(self) -> None:
        while True:
            sleep(self.every)
            try:
                with self.engine.connect() as conn:
                    result = tuple(conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one())
            except Exception as error:  # noqa: BLE001 - e.g. the database briefly locked: next time
                log.warning("A background checkpoint did not run: %s", type(error).__name__)
                continue
            with self.ran:
                self.last, self.passes = result, self.passes + 1  # type: ignore[assignment]
                self.ran.notify_all()


def checkpoint_in_background(engine: Engine, every: float = CHECKPOINT_EVERY) -> BackgroundCheckpoints | None:
    """For a long-running server on SQLite: its connections never checkpoint; a thread does (None elsewhere)."""
    if engine.dialect.name != "sqlite":
        return None

    @event.listens_for(engine, "connect")
    def _leave_checkpoints_to_the_thread(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    engine.dispose()  # connections made before now are made again, with the setting
    checkpoints = BackgroundCheckpoints(engine, every)
    checkpoints.start()
    return checkpoints
