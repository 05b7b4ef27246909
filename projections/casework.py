"""What caseworkers look up: members by name or reference code, and who is
still waiting to confirm."""

from uuid import UUID

from sqlalchemy import Connection, func, select

from domain.member_codes import display, normalise
from domain.text import without_control_characters
from projections.registers import display_name, member_row
from projections.tables import members

SEARCH_LIMIT = 50


def _summary(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "member_id": row.member_id,
        "reference_code": display(row.reference_code) if row.reference_code else None,
        "name": display_name(row),
        "status": row.status,
        "area": (row.profile or {}).get("area"),
        "channel": row.channel,
        "registered_by": row.registered_by,
        "registered_at": row.registered_eff,
    }


def search_members(conn: Connection, text: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Members whose reference code is ``text``, or whose name contains it."""
    text = " ".join(without_control_characters(text).split())
    if not text:
        return []
    code = normalise(text)
    if code is not None:
        row = conn.execute(select(members).where(members.c.reference_code == code)).first()
        if row is not None:
            return [_summary(row)]
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        select(members)
        .where(func.lower(members.c.name).like(pattern, escape="\\"))
        .order_by(members.c.name, members.c.member_id)
        .limit(limit)
    ).all()
    return [_summary(r) for r in rows]


def pending_confirmation(conn: Connection, limit: int = 500) -> list[dict]:
    """The longest-waiting unconfirmed members first (at most ``limit``)."""
    rows = conn.execute(
        select(members).where(members.c.status == "unconfirmed").order_by(members.c.registered_rec).limit(limit)
    ).all()
    return [_summary(r) for r in rows]


def member_card(conn: Connection, member_id: UUID) -> dict:
    row = member_row(conn, member_id)
    card = _summary(row)
    card.update(
        kind=row.kind,
        profile=row.profile or {},
        contact_channels=row.contact_channels or [],
        evidence_ref=row.evidence_ref,
        confirmed_at=row.confirmed_eff,
        ended_at=row.ended_eff,
    )
    return card
