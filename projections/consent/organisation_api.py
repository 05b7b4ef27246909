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
    now, in pages ordered by member id; returns (page, the id to continue after).
    The page's members are found first, with LIMIT in the query (a million-member
    trust must not send every visible member to read one page), then their categories."""
    kind = organisation_row(conn, organisation_id).kind
    seeing = (
        OP.organisation_id == organisation_id,
        # implied by the join; said here so the planner reads the consent periods by audience
        CP.audience.in_(audiences(organisation_id, kind)),
        CP.purpose == purpose,
        covering(now),
    )
    limit = limit or PAGE
    ids = reach("recorded").with_only_columns(CP.member_id).where(*seeing).distinct().order_by(CP.member_id)
    if after is not None:
        ids = ids.where(CP.member_id > after)
    page = list(conn.scalars(ids.limit(limit + 1)))
    more, page = len(page) > limit, page[:limit]
    if not page:
        return [], None
    rows = conn.execute(
        reach("recorded")
        .with_only_columns(CP.member_id, CP.category)
        .where(*seeing, CP.member_id >= page[0], CP.member_id <= page[-1])  # exactly the page's members
        .distinct()
        .order_by(CP.member_id, CP.category)
    )
    found: dict[UUID, list[str]] = {}
    for row in rows:
        found.setdefault(row.member_id, []).append(row.category)
    return _page(found), page[-1] if more else None


def _page(found: dict[UUID, list[str]]) -> list[dict]:
    return [{"member_id": member_id, "categories": categories} for member_id, categories in found.items()]
