"""Reading a benchmarked report's figures: the member's own, and their peers' in each group (only
organisations that agreed to benchmarking, for the categories they agreed to, and are members now),
each opened with its member's key. A group's figures are opened together: one query for the rows,
one per thousand members for their keys."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select

from domain.reports.figures import GROUPS, figures_on
from domain.sealing.vault import Vault
from projections.consent.tables import consents
from projections.membership.tables import members
from projections.reports.tables import peer_figures

BENCHMARKING = "benchmarking"
Figures = dict[str, float | None]


def agreed_at(at: datetime):  # type: ignore[no-untyped-def]
    """Consents to benchmarking in force at ``at`` (as recorded)."""
    c = consents.c
    return and_(
        c.purpose == BENCHMARKING,
        c.granted_rec <= at,
        or_(c.ended_rec.is_(None), c.ended_rec > at),
        or_(c.expires_at.is_(None), c.expires_at > at),
    )


def _rows(conn: Connection, at: datetime, *where):  # type: ignore[no-untyped-def]
    f = peer_figures.c
    query = (
        select(f.member_id, f.sector_tag, f.area_tag, f.size_tag, f.profile, f.funding, consents.c.categories)
        .join(consents, and_(consents.c.member_id == f.member_id, agreed_at(at)))
        .join(members, and_(members.c.member_id == f.member_id, members.c.status == "active"))
        .where(f.profile.is_not(None), *where)
    )
    chosen: dict[UUID, dict] = {}
    for row in conn.execute(query):
        held = chosen.setdefault(row.member_id, {"row": row, "categories": set()})
        held["categories"] |= set(row.categories)  # two consents to it: what either allows
    return [held for held in chosen.values() if "organisation-profile" in held["categories"]]


def _figures(vault: Vault, conn: Connection, held: list[dict], at: datetime) -> list[Figures]:
    keys = vault.keys_for(conn, [h["row"].member_id for h in held])
    figures = []
    for h in held:
        row, key = h["row"], keys.get(h["row"].member_id)
        if key is None:
            continue
        profile = vault.open(key, row.member_id, row.profile)
        allowed = "funding-history" in h["categories"] and row.funding is not None
        funding = vault.open(key, row.member_id, row.funding) if allowed else None
        figures.append(figures_on(profile, funding if allowed else None, at.date()))
    return figures


def benchmark_figures(
    conn: Connection, vault: Vault, member_id: UUID, at: datetime
) -> tuple[Figures, dict[str, str | None], dict[str, list[Figures]]] | None:
    """(the member's own figures, the values of their groups, each group's figures: theirs among them),
    or None unless the member agreed to benchmarking and shared a profile."""
    own = _rows(conn, at, peer_figures.c.member_id == member_id)
    key = vault.keys_for(conn, [member_id]).get(member_id)
    if not own or key is None:
        return None
    row = own[0]["row"]
    groups = (vault.open(key, member_id, row.profile) or {}).get("groups", {})
    peers = {}
    for group, _title in GROUPS:
        tag = getattr(row, f"{group}_tag")
        same = getattr(peer_figures.c, f"{group}_tag") == tag
        peers[group] = [] if tag is None else _figures(vault, conn, _rows(conn, at, same), at)
    (mine,) = _figures(vault, conn, own, at)
    return mine, groups, peers
