"""Read models of the co-op's surplus. On the one ``metadata``, so rebuild covers them. No
personal data: member ids, amounts and the projects members gave to."""

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Table, Uuid

from projections.core.tables import Time, metadata

surpluses = Table(
    "surpluses",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("surplus_id", Uuid, nullable=False, unique=True),  # the Surplus record's id
    Column("amount_pence", BigInteger, nullable=False),
    Column("income_pence", BigInteger, nullable=False),  # the income the trust recorded that year
    Column("evidence_ref", String(40), nullable=False),
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_at", Time, nullable=False),
    # Once members decided its uses (a split ballot):
    Column("uses_proposal_id", Uuid),
    Column("uses", JSON),  # [{"use", "percent", "amount_pence"}] in the ballot's order
    Column("dividend_use", String(60)),
    Column("projects", JSON),  # the community projects a member may give their dividend to
    # Once the dividends are shared:
    Column("rule_proposal_id", Uuid),
    Column("equal_percent", Integer),
    Column("participation_percent", Integer),
    Column("dividend_pot_pence", BigInteger),
    Column("members_paid", Integer),
    Column("shared_at", Time),
)

dividends = Table(
    "dividends",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("member_id", Uuid, primary_key=True, index=True),
    Column("amount_pence", BigInteger, nullable=False),
    Column("given_to", String(80)),  # None: paid to the member
    Column("given_at", Time),
)
