"""The figures of the trustees' daily digest: what the trust recorded in a window
[window_from, window_to), from the read models, in counts only (no names, no member
ids). Plain JSON, so the digest keeps them as they were that day."""

from collections import Counter
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from domain.sealing.vault import Vault
from projections.audit.tables import late_facts
from projections.consent.tables import access_attempts, consents
from projections.core.personal import opened, profile_of
from projections.membership.area_counts import NOT_SAID
from projections.membership.tables import members
from projections.organisations.tables import organisations

PREFER_NOT_TO_SAY = "prefer-not-to-say"


def _between(column, window_from: datetime, window_to: datetime):  # type: ignore[no-untyped-def]
    return and_(column >= window_from, column < window_to)


def _counts(pairs) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {str(key): int(count) for key, count in sorted(pairs, key=lambda pair: str(pair[0])) if count}


def _joined(conn: Connection, vault: Vault, window_from: datetime, window_to: datetime) -> dict:
    rows = conn.execute(
        select(members.c.member_id, members.c.channel, members.c.personal).where(
            _between(members.c.registered_rec, window_from, window_to)
        )
    ).all()
    personal = opened(vault, conn, rows)
    areas = Counter()
    for row in rows:
        area = profile_of(personal[row.member_id]).get("area") or NOT_SAID
        areas[NOT_SAID if area == PREFER_NOT_TO_SAY else area] += 1
    return {
        "total": len(rows),
        "by_channel": _counts(Counter(row.channel for row in rows).items()),
        "by_area": _counts(areas.items()),
    }


def _ended(conn: Connection, window_from: datetime, window_to: datetime) -> dict:
    left = conn.execute(
        select(func.count()).where(
            members.c.ended_reason == "left", _between(members.c.ended_rec, window_from, window_to)
        )
    ).scalar()
    erased = conn.execute(select(func.count()).where(_between(members.c.erased_rec, window_from, window_to))).scalar()
    return {"left": int(left or 0), "erased": int(erased or 0)}


def _withdrawn(conn: Connection, window_from: datetime, window_to: datetime) -> dict[str, int]:
    return _counts(
        conn.execute(
            select(consents.c.purpose, func.count())
            .where(consents.c.ended_reason == "revoked", _between(consents.c.ended_rec, window_from, window_to))
            .group_by(consents.c.purpose)
        ).all()
    )


def _expired(conn: Connection, window_from: datetime, window_to: datetime) -> dict[str, int]:
    """Consents whose expiry fell in the window, unless withdrawn or their member gone before it."""
    not_withdrawn = or_(
        consents.c.ended_reason.is_(None),
        consents.c.ended_reason != "revoked",
        consents.c.ended_eff >= consents.c.expires_at,
    )
    member_stayed = or_(members.c.ended_eff.is_(None), members.c.ended_eff >= consents.c.expires_at)
    return _counts(
        conn.execute(
            select(consents.c.purpose, func.count())
            .join(members, members.c.member_id == consents.c.member_id)
            .where(_between(consents.c.expires_at, window_from, window_to), not_withdrawn, member_stayed)
            .group_by(consents.c.purpose)
        ).all()
    )


def _late(conn: Connection, window_from: datetime, window_to: datetime) -> dict[str, int]:
    return _counts(
        conn.execute(
            select(late_facts.c.fact, func.count())
            .where(_between(late_facts.c.recorded_at, window_from, window_to))
            .group_by(late_facts.c.fact)
        ).all()
    )


def _refused_reads(conn: Connection, window_from: datetime, window_to: datetime) -> list[dict]:
    """Per organisation and purpose: reads refused outright, and reads given only in part."""
    rows = conn.execute(
        select(organisations.c.name, access_attempts.c.purpose, access_attempts.c.granted, access_attempts.c.refused)
        .join(organisations, organisations.c.organisation_id == access_attempts.c.organisation_id)
        .where(_between(access_attempts.c.recorded_at, window_from, window_to))
    )
    refused: Counter = Counter()
    partly: Counter = Counter()
    for row in rows:
        if not row.refused and row.granted:
            continue
        (partly if row.granted else refused)[(row.name, row.purpose)] += 1
    return [
        {
            "organisation": name,
            "purpose": purpose,
            "refused": refused[(name, purpose)],
            "partly": partly[(name, purpose)],
        }
        for name, purpose in sorted(set(refused) | set(partly))
    ]


def digest_figures(conn: Connection, vault: Vault, window_from: datetime, window_to: datetime) -> dict:
    """What happened in [window_from, window_to), by when the trust recorded it (an expiry: when it fell)."""
    return {
        "members_joined": _joined(conn, vault, window_from, window_to),
        "members_ended": _ended(conn, window_from, window_to),
        "consents_withdrawn": _withdrawn(conn, window_from, window_to),
        "consents_expired": _expired(conn, window_from, window_to),
        "late_facts": _late(conn, window_from, window_to),
        "refused_reads": _refused_reads(conn, window_from, window_to),
    }
