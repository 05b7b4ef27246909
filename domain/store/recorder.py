"""eventsourcing-sqlalchemy's recorder, with its two busiest statements made plain.

- **Reading an aggregate's events.** Every command loads the aggregates it decides on, and every
  recorded read of a member's data checks that the member and the organisation exist, so this is
  the store's most frequent query. The library builds it as an ORM query each time (a new Query,
  its cache key, ORM rows); here it is one SQLAlchemy Core statement per shape, on the same
  connection and transaction: about a third of the time.
- **Recording events.** The library adds ORM records and flushes them, locks the events table
  again and sends a PostgreSQL NOTIFY. Here the events go in with one multi-row INSERT ... RETURNING
  their positions (in the order given); inside a command, which holds the store's writer lock
  already (domain/store/storage.py), the table is not locked a second time; and no NOTIFY is sent,
  since nothing in the trust listens (the projector runs in the command's own transaction).

- **Reading outside a command.** On PostgreSQL, without a transaction (domain.store.storage.for_reading):
  no BEGIN and ROLLBACK around every load or read.

Everything else is the library's own (benchmarks: the pack read, docs/performance.md).
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.datastore import Transaction, transactions
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Insert, Select, bindparam, insert, select
from sqlalchemy.orm import Session

from domain.store.storage import HOLDS_WRITER_LOCK, for_reading


class TrustRecorder(SQLAlchemyApplicationRecorder):
    def transaction(self, commit: bool = True) -> Transaction:
        """The library's transaction, except a read outside any other one on PostgreSQL: that runs in
        autocommit (for_reading), in a session of its own that nested reads and loads join as usual."""
        if commit or transactions.get(None) is not None or self.datastore.engine.dialect.name != "postgresql":
            return super().transaction(commit)
        reads = self.__dict__.get("_reads")
        if reads is None:
            reads = self.__dict__["_reads"] = for_reading(self.datastore.engine)
        transaction = Transaction(Session(bind=reads), commit=False, lock=None)
        transaction.token = transactions.set(transaction)
        return transaction

    def select_events(
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        statement = self._events_statement(gt is not None, lte is not None, desc, limit is not None)
        values = {"originator_id": originator_id, "gt": gt, "lte": lte, "limit": limit}
        with self.transaction(commit=False) as session:
            rows = session.connection().execute(statement, {k: v for k, v in values.items() if v is not None})
            return [
                StoredEvent(
                    originator_id=row.originator_id,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state) if isinstance(row.state, memoryview) else row.state,
                )
                for row in rows
            ]

    def _events_statement(self, after: bool, up_to: bool, desc: bool, limited: bool) -> Select:
        shapes = self.__dict__.setdefault("_event_statements", {})
        shape = (after, up_to, desc, limited)
        if shape not in shapes:
            columns = self.events_record_cls.__table__.c  # type: ignore[attr-defined]
            version = columns.originator_version
            statement = select(columns.originator_id, version, columns.topic, columns.state).where(
                columns.originator_id == bindparam("originator_id")
            )
            if after:
                statement = statement.where(version > bindparam("gt"))
            if up_to:
                statement = statement.where(version <= bindparam("lte"))
            statement = statement.order_by(version.desc() if desc else version)
            if limited:
                statement = statement.limit(bindparam("limit"))
            shapes[shape] = statement
        return shapes[shape]

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        if not self._has_autoincrementing_ids or not stored_events:
            return super()._insert_stored_events(session, stored_events, **kwargs)
        if not session.info.get(HOLDS_WRITER_LOCK):  # else a command took it already
            self._lock_table(session)
        rows = [
            {
                "originator_id": e.originator_id,
                "originator_version": e.originator_version,
                "topic": e.topic,
                "state": e.state,
            }
            for e in stored_events
        ]
        one, many = self._insert_statements()
        if len(rows) == 1:  # most commands record one event: a plain INSERT ... RETURNING
            return [session.connection().execute(one, rows[0]).scalar_one()]
        return [row.id for row in session.connection().execute(many, rows)]

    def _insert_statements(self) -> tuple[Insert, Insert]:
        """Built once: a statement built anew costs more than running it (its cache key, compiled each time
        RETURNING is sorted). One event's, and many events' positions in the order given."""
        if self.__dict__.get("_inserts") is None:
            table = self.events_record_cls.__table__  # type: ignore[attr-defined]
            self.__dict__["_inserts"] = (
                insert(table).returning(table.c.id),
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
            )
        return self.__dict__["_inserts"]


class TrustFactory(SQLAlchemyFactory):
    """The library's factory, with the recorder above (PERSISTENCE_MODULE names this class), and sessions
    that do not expire their objects on commit: no ORM object outlives the transaction it was read in (each
    session is closed with it), so expiring them walked the identity map at every command's commit for
    nothing."""

    application_recorder_class = TrustRecorder

    def __init__(self, env: Any):  # type: ignore[no-untyped-def]
        super().__init__(env)
        if self.datastore.session_maker is not None:
            self.datastore.session_maker.configure(expire_on_commit=False)
