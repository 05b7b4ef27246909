"""Trustees' questions: who could see a member's data, and what an organisation
could see, at a moment or over a period, on either time axis."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select

from domain.kernel.errors import InvalidRequest
from domain.sealing.vault import Vault
from projections.consent.access import valid_at
from projections.consent.tables import access_grants
from projections.core.intervals import AXES
from projections.membership.registers import display_names, member_row
from projections.organisations.registers import organisation_row
from projections.organisations.tables import organisations


def check_axis(axis: str) -> str:
    if axis not in AXES:
        raise InvalidRequest(
            f"Unknown time axis {axis!r}; use 'recorded' (what the system enforced) or 'effective' (what was true)."
        )
    return axis


def who_could_see(conn: Connection, member_id: UUID, at: datetime, axis: str = "recorded") -> list[dict]:
    """Each organisation that could see the member's data at ``at``: categories,
    purposes and the consents that allowed it."""
    check_axis(axis)
    member_row(conn, member_id)
    rows = conn.execute(
        select(access_grants, organisations.c.name, organisations.c.kind)
        .join(organisations, organisations.c.organisation_id == access_grants.c.organisation_id)
        .where(access_grants.c.member_id == member_id, valid_at(at, axis))
        .order_by(organisations.c.name, access_grants.c.purpose, access_grants.c.category)
    ).all()
    result: dict[UUID, dict] = {}
    for row in rows:
        entry = result.setdefault(
            row.organisation_id,
            {
                "organisation_id": row.organisation_id,
                "organisation": row.name,
                "kind": row.kind,
                "categories": [],
                "purposes": [],
                "consents": {},
            },
        )
        if row.category not in entry["categories"]:
            entry["categories"].append(row.category)
        if row.purpose not in entry["purposes"]:
            entry["purposes"].append(row.purpose)
        consent = entry["consents"].setdefault(
            row.consent_id,
            {
                "consent_id": row.consent_id,
                "purpose": row.purpose,
                "categories": [],
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
            },
        )
        consent["categories"].append(row.category)
    for entry in result.values():
        entry["consents"] = list(entry["consents"].values())
    return list(result.values())


def what_could_see(
    conn: Connection,
    vault: Vault,
    organisation_id: UUID,
    start: datetime,
    end: datetime | None = None,
    axis: str = "recorded",
) -> list[dict]:
    """Members and categories the organisation could see at ``start`` (end None)
    or at any time in [start, end), with the intervals."""
    check_axis(axis)
    organisation_row(conn, organisation_id)
    if end is not None and end <= start:
        raise InvalidRequest("The end of the period must be after its start.")
    if end is None:
        when = valid_at(start, axis)
    else:
        when = and_(
            access_grants.c.axis == axis,
            access_grants.c.valid_from < end,
            or_(access_grants.c.valid_to.is_(None), access_grants.c.valid_to > start),
        )
    rows = conn.execute(
        select(access_grants)
        .where(access_grants.c.organisation_id == organisation_id, when)
        .order_by(access_grants.c.member_id, access_grants.c.category, access_grants.c.valid_from)
    ).all()
    names = display_names(conn, vault, {r.member_id for r in rows})
    return [
        {
            "member_id": r.member_id,
            "member": names[r.member_id],
            "category": r.category,
            "purpose": r.purpose,
            "consent_id": r.consent_id,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
        }
        for r in rows
    ]
