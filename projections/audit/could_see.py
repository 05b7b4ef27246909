"""Trustees' questions: who could see a member's data, and what an organisation
could see, at a moment or over a period, on either time axis."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, bindparam

from domain.kernel.errors import InvalidRequest
from domain.sealing.vault import Vault
from projections.consent.reach import CP, ENDS, OP, STARTS, audiences, covering, meeting, reach
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


# Built once per axis: the trustees' most frequent question, asked of one member at a time.
SEEING = {
    axis: reach(axis)
    .add_columns(organisations.c.name, organisations.c.kind)
    .join(organisations, organisations.c.organisation_id == OP.organisation_id)
    .where(CP.member_id == bindparam("member_id"), covering(bindparam("at")))
    .order_by(organisations.c.name, CP.purpose, CP.category)
    for axis in AXES
}


def who_could_see(conn: Connection, member_id: UUID, at: datetime, axis: str = "recorded") -> list[dict]:
    """Each organisation that could see the member's data at ``at``: categories,
    purposes and the consents that allowed it."""
    member_row(conn, member_id)
    rows = conn.execute(SEEING[check_axis(axis)], {"member_id": member_id, "at": at}).all()
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
    organisation = organisation_row(conn, organisation_id)
    if end is not None and end <= start:
        raise InvalidRequest("The end of the period must be after its start.")
    rows = conn.execute(
        reach(axis)
        .where(
            OP.organisation_id == organisation_id,
            # implied by the join; said here so the planner reads the consent periods by audience
            CP.audience.in_(audiences(organisation_id, organisation.kind)),
            covering(start) if end is None else meeting(start, end),
        )
        .order_by(CP.member_id, CP.category, STARTS, ENDS)
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
