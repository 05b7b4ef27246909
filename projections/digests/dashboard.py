"""The trustees' dashboard: the trust at a glance, in counts (no personal data)."""

from datetime import datetime

from sqlalchemy import Connection, func, select

from domain.sealing.versions import key_state
from projections.audit.tables import late_facts
from projections.consent.registers import consent_status
from projections.consent.tables import consents
from projections.membership.tables import members, members_by_area
from projections.membership.terms import current_members_by_terms
from projections.organisations.tables import organisations


def dashboard(conn: Connection, now: datetime) -> dict:
    by_status = dict(conn.execute(select(members.c.status, func.count()).group_by(members.c.status)).all())
    by_area: dict[str, dict[str, int]] = {}
    for area, status, count in conn.execute(select(members_by_area)):
        by_area.setdefault(area, {})[status] = count
    by_purpose: dict[str, dict[str, int]] = {}
    rows = conn.execute(
        select(consents.c.purpose, consents.c.ended_reason, consents.c.expires_at, members.c.status).join(
            members, members.c.member_id == consents.c.member_id
        )
    )
    for row in rows:
        status = consent_status(row, now, row.status)
        counts = by_purpose.setdefault(row.purpose, {})
        counts[status] = counts.get(status, 0) + 1
    organisation_rows = conn.execute(
        select(organisations.c.name, organisations.c.kind, organisations.c.status).order_by(organisations.c.name)
    ).all()
    return {
        "members_by_status": by_status,
        "members_total": sum(by_status.values()),
        "members_by_area": dict(sorted(by_area.items())),
        "members_by_terms": current_members_by_terms(conn),  # version last agreed to -> current members
        "consents_by_purpose": dict(sorted(by_purpose.items())),
        "organisations": [dict(r._mapping) for r in organisation_rows],
        "late_facts": conn.execute(select(func.count()).select_from(late_facts)).scalar() or 0,
        "erasures": key_state(conn),  # pending until their key version is destroyed; unfinished purges
    }
