"""Reading funds: the members a new fund is matched against (their sealed profiles opened with their
keys, in the publishing command's transaction), each fund with how many it reached and who shared their
pack, and the funds a member was told of (their own sealed list, opened with their key)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from domain.funds.commands import FUND_NEWS
from domain.funds.criteria import PROFILE
from domain.sealing.vault import Vault
from projections.consent.tables import consents
from projections.funds.tables import fund_notices, fund_profiles, fund_shares, funds
from projections.membership.tables import members
from projections.organisations.tables import organisations


def _standing(at: datetime):  # type: ignore[no-untyped-def]
    return (consents.c.ended_rec.is_(None), or_(consents.c.expires_at.is_(None), consents.c.expires_at > at))


CURRENT = ("active", "unconfirmed")  # a member who left or was erased shares nothing any more


def _ends():  # type: ignore[no-untyped-def]
    return consents.c.ended_rec, consents.c.expires_at


def fund_audience(conn: Session | Connection, vault: Vault, at: datetime) -> dict[UUID, dict[str, str | None]]:
    """Active organisation-members with a profile shared whose consent to hear of funds (covering their
    profile) stands at ``at``, with what funds are matched on, opened with their keys."""
    query = (
        select(fund_profiles.c.member_id, fund_profiles.c.attributes, consents.c.categories)
        .join(members, members.c.member_id == fund_profiles.c.member_id)
        .join(consents, consents.c.member_id == fund_profiles.c.member_id)
        .where(members.c.status == "active", consents.c.purpose == FUND_NEWS, *_standing(at))
    )
    sealed = {row.member_id: row.attributes for row in conn.execute(query) if PROFILE in row.categories}
    keys = vault.keys_for(conn, list(sealed))
    found = {}
    for member_id, attributes in sealed.items():
        opened = vault.open(keys.get(member_id), member_id, attributes)
        if opened is not None:
            found[member_id] = opened
    return found


def _summary(row) -> dict:  # type: ignore[no-untyped-def]
    return dict(
        id=row.fund_id,
        organisation_id=row.organisation_id,
        funder=row.name,
        title=row.title,
        amount_min_pence=row.amount_min_pence,
        amount_max_pence=row.amount_max_pence,
        criteria=row.criteria,
        closes_at=row.closes_at,
        published_at=row.published_at,
        published_by=row.published_by,
        told=row.told,
        shared=getattr(row, "shared", None) or 0,
    )


def _funds(conn: Connection, *where) -> list[dict]:  # type: ignore[no-untyped-def]
    shared = select(func.count()).where(fund_shares.c.fund_id == funds.c.fund_id).scalar_subquery()
    query = (
        select(funds, organisations.c.name, shared.label("shared"))
        .join(organisations, organisations.c.organisation_id == funds.c.organisation_id)
        .where(*where)
        .order_by(funds.c.published_at.desc())
    )
    return [_summary(row) for row in conn.execute(query)]


def funds_published_by(conn: Session | Connection, organisation_id: UUID) -> list[UUID]:
    query = select(funds.c.fund_id).where(funds.c.organisation_id == organisation_id).order_by(funds.c.published_at)
    return list(conn.execute(query).scalars())


def list_funds(conn: Connection, organisation_id: UUID | None = None) -> list[dict]:
    """Every fund (or one funder's), newest first, with how many were told and shared their pack."""
    return _funds(conn, *(() if organisation_id is None else (funds.c.organisation_id == organisation_id,)))


def fund_detail(conn: Connection, fund_id: UUID, at: datetime) -> dict | None:
    """One fund, with each member who shared their pack (and whether that still stands at ``at``: the
    consent not withdrawn nor expired, the member not gone)."""
    found = _funds(conn, funds.c.fund_id == fund_id)
    if not found:
        return None
    query = (
        select(fund_shares.c.member_id, fund_shares.c.shared_at, fund_shares.c.consent_id, *_ends(), members.c.status)
        .join(consents, consents.c.consent_id == fund_shares.c.consent_id)
        .join(members, members.c.member_id == fund_shares.c.member_id)
        .where(fund_shares.c.fund_id == fund_id)
        .order_by(fund_shares.c.shared_at)
    )
    shares = [
        dict(
            member_id=row.member_id,
            shared_at=row.shared_at,
            consent_id=row.consent_id,
            standing=row.status in CURRENT
            and row.ended_rec is None
            and (row.expires_at is None or row.expires_at > at),
        )
        for row in conn.execute(query)
    ]
    return {**found[0], "shares": shares}


def funds_told(conn: Connection, vault: Vault, member_id: UUID) -> list[dict]:
    """The funds a member was told of, newest first, with when they shared their pack (None: not yet):
    from their own list, opened with their key (nothing once erased)."""
    sealed = conn.execute(select(fund_notices.c.notices).where(fund_notices.c.member_id == member_id)).scalar()
    key = vault.key_for(conn, member_id) if sealed else None
    notices = (vault.open(key, member_id, sealed) or {}).get("funds", []) if sealed else []
    shared = {UUID(hex=n["fund"]): n["shared_at"] for n in notices if n.get("told_at") is not None}
    if not shared:
        return []
    query = (
        select(funds, organisations.c.name)
        .join(organisations, organisations.c.organisation_id == funds.c.organisation_id)
        .where(funds.c.fund_id.in_(list(shared)))
        .order_by(funds.c.published_at.desc())
    )
    return [{**_summary(row), "shared_at": _moment(shared[row.fund_id])} for row in conn.execute(query)]


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
