"""What caseworkers look up: members by reference code or by the words of their
name, and who is still waiting to confirm. Names are opened under each member's
key for the page shown; the search itself compares keyed digests (name_search.py)."""

from uuid import UUID

from sqlalchemy import Connection, select

from domain.kernel.text import without_control_characters
from domain.membership.codes import display, normalise
from domain.sealing.vault import Vault
from projections.core.personal import name_of, opened, profile_of
from projections.membership.name_search import members_named, words
from projections.membership.registers import member_row
from projections.membership.tables import members

SEARCH_LIMIT = 50


def _summary(row, personal: dict) -> dict:  # type: ignore[no-untyped-def]
    return {
        "member_id": row.member_id,
        "reference_code": display(row.reference_code) if row.reference_code else None,
        "name": name_of(personal),
        "status": row.status,
        "area": profile_of(personal).get("area"),
        "channel": row.channel,
        "registered_by": row.registered_by,
        "registered_at": row.registered_eff,
    }


def _summaries(conn: Connection, vault: Vault, rows) -> list[dict]:  # type: ignore[no-untyped-def]
    personal = opened(vault, conn, rows)
    return [_summary(row, personal[row.member_id]) for row in rows]


def search_members(conn: Connection, vault: Vault, text: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Members whose reference code is ``text``, or whose name has each typed word
    as a whole word or as the start of one ("quarr smythe" finds Quarrington-Smythe)."""
    text = " ".join(without_control_characters(text).split())
    if not text:
        return []
    code = normalise(text)
    if code is not None:
        row = conn.execute(select(members).where(members.c.reference_code == code)).first()
        if row is not None:
            return _summaries(conn, vault, [row])
    keys = vault.search_keys(conn)
    while True:
        named = members_named(text, keys)
        if named is None:
            return []
        rows = conn.execute(
            select(members)
            .where(members.c.member_id.in_(named))
            .order_by(members.c.registered_rec, members.c.member_id)
            .limit(limit)
        ).all()
        live = vault.search_keys(conn)
        if live.keys() == keys.keys():
            break
        keys = live  # a rotation began meanwhile: it may have moved names to its version, so look again
    found = _summaries(conn, vault, rows)
    return sorted(found, key=lambda member: (words(member["name"]), member["name"], str(member["member_id"])))


def pending_confirmation(conn: Connection, vault: Vault, limit: int = 500) -> list[dict]:
    """The longest-waiting unconfirmed members first (at most ``limit``)."""
    rows = conn.execute(
        select(members).where(members.c.status == "unconfirmed").order_by(members.c.registered_rec).limit(limit)
    ).all()
    return _summaries(conn, vault, rows)


def member_card(conn: Connection, vault: Vault, member_id: UUID) -> dict:
    row = member_row(conn, member_id)
    personal = opened(vault, conn, [row])[member_id]
    card = _summary(row, personal)
    card.update(
        kind=row.kind,
        profile=profile_of(personal),
        contact_channels=row.contact_channels or [],
        evidence_ref=row.evidence_ref,
        confirmed_at=row.confirmed_eff,
        ended_at=row.ended_eff,
    )
    return card
