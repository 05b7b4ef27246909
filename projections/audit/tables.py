"""The facts recorded after they took effect (paper forms, late reports)."""

from sqlalchemy import BigInteger, Column, String, Table, Uuid

from projections.core.tables import Time, metadata

late_facts = Table(
    "late_facts",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("fact", String(40), nullable=False),
    Column("member_id", Uuid),
    Column("organisation_id", Uuid),
    Column("consent_id", Uuid),
    Column("actor", String(160), nullable=False),
    Column("evidence_ref", String(200)),
    Column("effective_at", Time, nullable=False),
    Column("recorded_at", Time, nullable=False),
)
