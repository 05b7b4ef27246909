"""What an organisation may currently see, as its API lists it."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection

from projections.consent.reach import CP, OP, audiences, covering, reach
from projections.organisations.registers import organisation_row

PAGE = 500


def visible_members(
    conn: Connection,
    organisation_id: UUID,
    purpose: str,
    now: datetime,
    after: UUID | None = None,
    limit: int | None = None,
) -> tuple[list[dict], UUID | None]:
    """Members (by id) and the categories the organisation may see for ``purpose``
    now, in pages ordered by member id; returns (page, the id to continue after)."""
    kind = organisation_row(conn, organisation_id).kind
    query = (
        reach("recorded")
        .with_only_columns(CP.member_id, CP.category)
        .where(
            OP.organisation_id == organisation_id,
            # implied by the join; said here so the planner reads the consent periods by audience
            CP.audience.in_(audiences(organisation_id, kind)),
            CP.purpose == purpose,
            covering(now),
        )
        .order_by(CP.member_id, CP.category)
    )
    limit = limit or PAGE
    if after is not None:
        query = query.where(CP.member_id > after)
    found: dict[UUID, list[str]] = {}
    for row in conn.execute(query):
        if row.member_id not in found and len(found) == limit:
            return _page(found), list(found)[-1]
        categories = found.setdefault(row.member_id, [])
        if row.category not in categories:
            categories.append(row.category)
    return _page(found), None


def _page(found: dict[UUID, list[str]]) -> list[dict]:
    return [{"member_id": member_id, "categories": categories} for member_id, categories in found.items()]
