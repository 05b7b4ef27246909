"""Questions about the membership terms members agreed to (member_terms: terms_handlers.py)."""

from uuid import UUID

from sqlalchemy import Connection, Engine, func, insert, inspect, select

from projections.core.tables import timeline
from projections.membership.tables import member_terms, members

CURRENT = ("active", "unconfirmed")  # members who have not left nor been erased


def terms_of(conn: Connection, member_id: UUID) -> dict:
    """The version the member last agreed to (None: none recorded), the version and time the chat
    last told them of newer terms (None: never), and whether they are a current member."""
    row = conn.execute(
        select(members.c.status, member_terms.c.version, member_terms.c.told_version, member_terms.c.told_rec)
        .select_from(members.outerjoin(member_terms, member_terms.c.member_id == members.c.member_id))
        .where(members.c.member_id == member_id)
    ).first()
    if row is None:
        return {"version": None, "told_version": None, "told_at": None, "current": False}
    return {
        "version": row.version,
        "told_version": row.told_version,
        "told_at": row.told_rec,
        "current": row.status in CURRENT,
    }


def current_members_by_terms(conn: Connection) -> dict[str | None, int]:
    """How many current members last agreed to each version (None: no agreement recorded, e.g. a
    member registered on paper whose agreement was not recorded)."""
    rows = conn.execute(
        select(member_terms.c.version, func.count())
        .select_from(members.outerjoin(member_terms, member_terms.c.member_id == members.c.member_id))
        .where(members.c.status.in_(CURRENT))
        .group_by(member_terms.c.version)
    ).all()
    return {version: count for version, count in rows}


def missing(engine: Engine) -> bool:
    """Whether the store was made before member_terms (so create_all makes it empty)."""
    return not inspect(engine).has_table(member_terms.name)


def fill_from_history(engine: Engine) -> None:
    """A store made before member_terms: the versions members agreed to, from their histories
    (no member was told of new terms before member_terms was kept)."""
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(member_terms)).scalar():
            return
        latest: dict = {}
        rows = conn.execute(
            select(timeline.c.member_id, timeline.c.details, timeline.c.recorded_at)
            .where(timeline.c.what == "terms accepted")
            .order_by(timeline.c.position)
        )
        for member_id, details, recorded_at in rows:
            latest[member_id] = {"member_id": member_id, "version": details["version"], "agreed_rec": recorded_at}
        if latest:
            conn.execute(insert(member_terms), list(latest.values()))
