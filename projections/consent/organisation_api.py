"""What an organisation may currently see, as its API lists it."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from projections.consent.access import valid_at
from projections.consent.tables import access_grants

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
    query = (
        select(access_grants.c.member_id, access_grants.c.category)
        .where(
            access_grants.c.organisation_id == organisation_id,
            access_grants.c.purpose == purpose,
            valid_at(now, "recorded"),
        )
        .order_by(access_grants.c.member_id, access_grants.c.category)
    )
    limit = limit or PAGE
    if after is not None:
        query = query.where(access_grants.c.member_id > after)
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
