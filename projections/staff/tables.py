"""Staff accounts and organisation API tokens, as trustees see them (no secrets)."""

from sqlalchemy import JSON, Column, String, Table, Uuid

from projections.core.tables import Time, metadata

staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("roles", JSON, nullable=False),
    Column("status", String(20), nullable=False),  # active | disabled
    Column("opened_by", String(160), nullable=False),
    Column("opened_rec", Time, nullable=False),
    Column("changed_rec", Time, nullable=False),
    Column("password_set_rec", Time),
)


api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("label", String(80), nullable=False),
    Column("issued_by", String(160), nullable=False),
    Column("issued_rec", Time, nullable=False),
    Column("revoked_by", String(160)),
    Column("revoked_rec", Time),
)
