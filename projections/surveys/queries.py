"""Staff surveys: a business's own, one by one, and those a trustee has to review."""

from uuid import UUID

from sqlalchemy import Connection, select

from projections.surveys.tables import staff_surveys


def _as_dict(row) -> dict:  # type: ignore[no-untyped-def]
    found = dict(row._mapping)
    found["id"] = found["survey_id"]
    found["has_free_text"] = any(q["kind"] == "text" for q in found["questions"])
    result = found["result"]
    # whether the close released anything (fewer than the minimum cell size answered: nothing at all)
    found["released"] = bool(result and (result["respondents"] is not None or result["tables"]))
    return found


def surveys_of(conn: Connection, member_id: UUID) -> list[dict]:
    """The business member's surveys, the newest first."""
    mine = select(staff_surveys).where(staff_surveys.c.member_id == member_id)
    return [_as_dict(row) for row in conn.execute(mine.order_by(staff_surveys.c.opened_at.desc()))]


def staff_survey(conn: Connection, survey_id: UUID) -> dict | None:
    row = conn.execute(select(staff_surveys).where(staff_surveys.c.survey_id == survey_id)).first()
    return None if row is None else _as_dict(row)


def staff_surveys_to_review(conn: Connection) -> list[dict]:
    """Closed surveys with free-text questions whose text is not released yet, the longest waiting first."""
    waiting = select(staff_surveys).where(staff_surveys.c.status == "closed", staff_surveys.c.free_text.is_(None))
    rows = [_as_dict(row) for row in conn.execute(waiting.order_by(staff_surveys.c.closed_at))]
    return [row for row in rows if row["has_free_text"] and row["released"]]
