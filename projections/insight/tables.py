"""Read models of insight requests and their panels. On the one ``metadata``, so
rebuild covers them. Nothing personal: no answers, only states and counts; the
released result and free text are the trust's own (anonymised, reviewed) text."""

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

insight_requests = Table(
    "insight_requests",
    metadata,
    Column("request_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("purpose", String(60), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("questions", JSON, nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("fee_offered_pence", BigInteger, nullable=False),
    Column("fee_paid_pence", BigInteger, nullable=False),
    Column("paid_at", Time),  # the latest payment
    Column("closes_at", Time, nullable=False),
    Column("submitted_by", String(160), nullable=False),
    Column("submitted_at", Time, nullable=False),
    # pool_size, size, lowest, highest, gini, below_half, solver, reserves (how many), seed, algorithm, at,
    # reminded(_at): no member ids
    Column("draw", JSON),
    Column("result", JSON),  # the Release, as recorded at the close
    Column("closed_at", Time),
    Column("free_text", JSON),  # released (reviewed) texts per question
)

insight_reviews = Table(
    "insight_reviews",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("request_id", Uuid, nullable=False, index=True),
    Column("decision", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("at", Time, nullable=False),
)

insight_payments = Table(
    "insight_payments",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("request_id", Uuid, nullable=False, index=True),
    Column("amount_pence", BigInteger, nullable=False),
    Column("reference", String(40), nullable=False),
    Column("actor", String(160), nullable=False),
    Column("at", Time, nullable=False),
)

panel_seats = Table(
    "panel_seats",
    metadata,
    Column("request_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True),
    Column("seat_id", Uuid, nullable=False, unique=True),  # the PanelSeat record's id
    Column("state", String(20), nullable=False),  # invited | answered | declined | withdrew
    Column("changed_at", Time, nullable=False),
    Index("panel_seats_by_member", "member_id"),
)

panel_seat_changes = Table(
    "panel_seat_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("position", BigInteger, nullable=False),
    Column("request_id", Uuid, nullable=False),
    Column("member_id", Uuid, nullable=False),
    Column("state", String(20), nullable=False),
    Column("at", Time, nullable=False),
    Index("panel_seat_changes_by_request", "request_id", "at"),
)

panel_reserves = Table(  # each drawn panel's ordered reserve list: member ids only, like the seats
    "panel_reserves",
    metadata,
    Column("request_id", Uuid, primary_key=True),
    Column("place", Integer, primary_key=True, autoincrement=False),  # 1 is asked first
    Column("member_id", Uuid, nullable=False),
)

panel_replacements = Table(  # a seat a panel member left, and the reserve invited to it (none: left empty)
    "panel_replacements",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("request_id", Uuid, nullable=False, index=True),
    Column("leaver", Uuid, nullable=False),
    Column("reserve", Uuid),
    Column("reason", Text, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("at", Time, nullable=False),
)

quota_adjustments = Table(  # a trustee's acceptance of the nearest quotas that can be met
    "quota_adjustments",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("request_id", Uuid, nullable=False, index=True),
    Column("changes", JSON, nullable=False),  # one sentence a quota changed
    Column("actor", String(160), nullable=False),
    Column("at", Time, nullable=False),
)
