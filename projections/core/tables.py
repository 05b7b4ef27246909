"""What every read model shares: one ``metadata`` (each part's tables.py adds its tables to it,
so rebuild and create_all cover them all), times stored in UTC on every engine, and how far
the projector has read the log. Every read-model table can be dropped and rebuilt from the
events (see rebuild.py)."""

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, Column, MetaData, String, Table, Uuid
from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
Time = UTCDateTime

# The tables whose rows the working set keeps (core/working.py): the events' handlers change them only
# through their step, so the rows in memory are the rows in the store.
KEPT: set[Table] = set()


def kept(table: Table) -> Table:
    """``members = kept(Table(...))``: a table of the working set."""
    KEPT.add(table)
    return table


positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

# Each member's timeline, in facts: every part's handlers add to it; audit/ reads it.
timeline = Table(
    "timeline",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("what", String(40), nullable=False),
    Column("details", JSON, nullable=False),  # never personal data
    Column("actor", String(160), nullable=False),
    Column("effective_at", Time, nullable=False),
    Column("recorded_at", Time, nullable=False),
)


# Read models earlier versions kept and this one does not: a store that still has one is rebuilt at
# start (its other tables were made for them too), and the rebuild drops them.
RETIRED = ("access_grants",)  # every consent x every organisation it reached: see consent/access.py
