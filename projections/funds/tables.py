"""Funds and whom they reached.

``fund_profiles``: what a fund is matched on of each organisation-member's latest profile (sector,
postcode area, legal form, size band), sealed under the member's key like everything personal, so it
is never in the clear here and erasure destroys it with the key.

``funds``: each fund as its funder published it (nothing personal: its title, amounts, criteria, closing
date) and how many members were told. Whom it was told to is never kept beside it in the clear: being
told of a fund says that the member fits its criteria (its sector, area, legal form, size).

``fund_notices``: for each member told of any fund, the funds they were told of, when, and when they
shared their application pack, sealed together under the member's own key (their /mydata and portal
open it); erasure destroys it with the key, and the row is scrubbed.

``fund_shares``: each member who shared their application pack with a fund's funder: their reply to the
fund, which the funder sees by name (it reads the pack), recorded as a funding-applications consent
naming that funder."""

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
    Column("member_id", Uuid, primary_key=True),
    Column(
        "notices", Text, nullable=False
    ),  # sealed (member's key): {"funds": [{fund, told_at, shared_at}]}, oldest first
)

fund_shares = Table(
    "fund_shares",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True, index=True),
    Column("shared_at", Time, nullable=False),
    Column("consent_id", Uuid, nullable=False),  # the funding-applications consent that reply recorded
)
