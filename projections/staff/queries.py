"""Staff accounts and organisation API tokens as the trustees see them."""

from uuid import UUID

from sqlalchemy import Connection, bindparam, select

from domain.staff.commands import UnknownStaffAccount
from domain.store.credentials import staff_credentials
from projections.organisations.tables import organisations
from projections.staff.tables import api_tokens, staff_accounts


def list_staff(conn: Connection) -> list[dict]:
    """Every account, with ``has_password``: whether it can sign in now (never the hash itself)."""
    rows = conn.execute(
        select(staff_accounts, staff_credentials.c.password_hash.isnot(None).label("has_password"))
        .outerjoin(staff_credentials, staff_credentials.c.account_id == staff_accounts.c.account_id)
        .order_by(staff_accounts.c.username)
    ).all()
    return [{**r._mapping, "has_password": bool(r.has_password)} for r in rows]


def staff_row(conn: Connection, account_id: UUID) -> dict:
    row = conn.execute(select(staff_accounts).where(staff_accounts.c.account_id == account_id)).first()
    if row is None:
        raise UnknownStaffAccount(account_id)
    return dict(row._mapping)


def session_account(conn: Connection, account_id: UUID) -> dict | None:
    """The account behind a web session, with its session epoch, in one read (every request)."""
    row = conn.execute(
        select(staff_accounts, staff_credentials.c.epoch)
        .outerjoin(staff_credentials, staff_credentials.c.account_id == staff_accounts.c.account_id)
        .where(staff_accounts.c.account_id == account_id)
    ).first()
    return dict(row._mapping) if row else None


def has_staff(conn: Connection) -> bool:
    return conn.execute(select(staff_accounts.c.account_id).limit(1)).first() is not None


def tokens_for(conn: Connection, organisation_id: UUID) -> list[dict]:
    rows = conn.execute(
        select(
            api_tokens.c.token_id,
            api_tokens.c.label,
            api_tokens.c.issued_by,
            api_tokens.c.issued_rec,
            api_tokens.c.revoked_by,
            api_tokens.c.revoked_rec,
        )
        .where(api_tokens.c.organisation_id == organisation_id)
        .order_by(api_tokens.c.issued_rec)
    ).all()
    return [dict(r._mapping) for r in rows]


# Built once: every API request runs it.
TOKEN_HOLDER = (
    select(
        api_tokens.c.token_id,
        api_tokens.c.organisation_id,
        api_tokens.c.revoked_rec,
        organisations.c.name,
        organisations.c.status,
    )
    .join(organisations, organisations.c.organisation_id == api_tokens.c.organisation_id)
    .where(api_tokens.c.digest == bindparam("digest"))
)


def token_holder(conn: Connection, digest: str) -> dict | None:
    """The token, whether it is revoked, and its organisation with its status, in one
    read (every API request); None if the token is unknown."""
    row = conn.execute(TOKEN_HOLDER, {"digest": digest}).first()
    return dict(row._mapping) if row else None
