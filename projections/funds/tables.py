"""Funds and whom they reached.

``fund_profiles``: what a fund is matched on of each organisation-member's latest profile (sector,
postcode area, legal form, size band), sealed under the member's key like everything personal, so it
is never in the clear here and erasure destroys it with the key.

``funds``: each fund as its funder published it (nothing personal: its title, amounts, criteria, closing
date) and how many members were told. ``fund_notices``: each member told of a fund, and when they shared
their application pack with its funder (the consent that records it)."""

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

fund_profiles = Table(
    "fund_profiles",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("attributes", Text, nullable=False),  # sealed (member's key): sector, area, legal_form, size
)

funds = Table(
    "funds",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("amount_min_pence", BigInteger, nullable=False),
    Column("amount_max_pence", BigInteger, nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("closes_at", Time, nullable=False),
    Column("published_at", Time, nullable=False),
    Column("published_by", String(160), nullable=False),
    Column("told", Integer, nullable=False),
)

fund_notices = Table(
    "fund_notices",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True, index=True),
    Column("told_at", Time, nullable=False),
    Column("shared_at", Time),  # when the member shared its pack with the funder (NULL: not yet)
    Column("consent_id", Uuid),  # the funding-applications consent that reply recorded
)
