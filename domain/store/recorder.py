"""eventsourcing-sqlalchemy's recorder, reading an aggregate's events with a prepared statement.

Every command loads the aggregates it decides on, and every recorded read of a member's data
checks that the member and the organisation exist, so reading one aggregate's events is the
store's most frequent query. The library builds it as an ORM query each time (a new Query, its
cache key, ORM rows); here it is one SQLAlchemy Core statement per shape, executed on the same
connection and transaction, which takes about a third of the time (benchmarks: the pack read,
docs/performance.md). Everything else is the library's own.
"""

from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Select, bindparam, select


class TrustRecorder(SQLAlchemyApplicationRecorder):
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


class TrustFactory(SQLAlchemyFactory):
    """The library's factory, with the recorder above (PERSISTENCE_MODULE names this class)."""

    application_recorder_class = TrustRecorder
