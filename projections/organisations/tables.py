"""The organisation register's tables: each organisation and its status changes."""

from sqlalchemy import BigInteger, Column, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

organisations = Table(
    "organisations",
    metadata,
    Column("organisation_id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    Column("agreement_ref", String(100)),
    Column("agreement_date", String(10)),
    Column("registered_rec", Time, nullable=False),
)


organisation_changes = Table(
    "organisation_changes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("change", String(20), nullable=False),  # approved | suspended | reinstated
    Column("reason", Text),
    Column("actor", String(160), nullable=False),
    Column("eff", Time, nullable=False),
    Column("rec", Time, nullable=False),
)


# An organisation's identifier in an org-id.guide scheme, for those registered with one (a table of its
# own, so a store made before org-ids were asked gains it at start without changing its other tables).
organisation_org_ids = Table(
    "organisation_org_ids",
    metadata,
    Column("organisation_id", Uuid, primary_key=True),
    Column("org_id", String(120), nullable=False, unique=True),
)
