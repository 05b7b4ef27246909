"""Who read a member's data, and when: every organisation's read (allowed or
refused) and every read by the trust's own staff, from the member's timeline."""

from uuid import UUID

from sqlalchemy import Connection, select

from projections.audit.history import describe
from projections.audit.naming import CODES, Codes
from projections.core.tables import timeline
from projections.membership.registers import member_row
from projections.organisations.tables import organisations
from projections.staff.read_handlers import STAFF_READ

READS = ("read", "read refused", STAFF_READ)


def who_read(conn: Connection, member_id: UUID, naming: Codes = CODES) -> list[dict]:
    """Oldest first: when, who (the organisation, or the staff actor), and what they read
    (named by ``naming``: codes for JSON and CSV, the catalogue's titles for a trustee to read)."""
    member_row(conn, member_id)
    names = {str(k): v for k, v in conn.execute(select(organisations.c.organisation_id, organisations.c.name))}
    rows = conn.execute(
        select(timeline)
        .where(timeline.c.member_id == member_id, timeline.c.what.in_(READS))
        .order_by(timeline.c.position)
    )
    return [
        {
            "recorded_at": r.recorded_at,
            "reader": r.actor if r.what == STAFF_READ else _organisation(r.details, names),
            "staff": r.what == STAFF_READ,
            "text": describe(r.what, r.details, names, naming),
            "actor": r.actor,
        }
        for r in rows
    ]


def _organisation(details: dict, names: dict[str, str]) -> str:
    return names.get(details.get("organisation", ""), "an organisation")
