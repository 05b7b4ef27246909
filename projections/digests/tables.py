"""The trustees' digests as recorded, one row a day."""

from sqlalchemy import JSON, Column, Date, String, Table

from projections.core.tables import Time, metadata

trustee_digests = Table(  # counts only, as recorded that day (projections/digests/figures.py)
    "trustee_digests",
    metadata,
    Column("day", Date, primary_key=True),
    Column("window_from", Time, nullable=False),
    Column("window_to", Time, nullable=False),
    Column("figures", JSON, nullable=False),
    Column("failing_work", JSON, nullable=False),  # [{key, kind, attempts, last_error, failing_since, ...}]
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_at", Time, nullable=False),
)
