"""The questions about the co-op's surplus: each year's, a member's own dividends, the
treasurer's payment list; and what the surplus commands ask the read side in their own
transaction (members at the year's end, panels answered, income recorded)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.orm import Session

from domain.membership.codes import display
from projections.core.reading import ReadModels
from projections.insight.tables import insight_payments, panel_seat_changes
from projections.membership.tables import members
from projections.surplus.tables import dividends, surpluses


def _row(row: Any) -> dict:
    return dict(row._mapping)


def members_at(session: Session | Connection, at: datetime) -> list[UUID]:
    confirmed = and_(members.c.confirmed_rec.isnot(None), members.c.confirmed_rec < at)
    still = or_(members.c.ended_rec.is_(None), members.c.ended_rec >= at)
    rows = session.execute(select(members.c.member_id).where(confirmed, still, members.c.erased_rec.is_(None)))
    return [row.member_id for row in rows]


def panels_answered(session: Session | Connection, start: datetime, end: datetime) -> dict[UUID, int]:
    answered = panel_seat_changes.c
    rows = session.execute(
        select(answered.member_id, func.count(answered.request_id.distinct()).label("panels"))
        .where(answered.state == "answered", answered.at >= start, answered.at < end)
        .group_by(answered.member_id)
    )
    return {row.member_id: row.panels for row in rows}


def income_in(session: Session | Connection, start: datetime, end: datetime) -> int:
    paid = insight_payments.c
    total = session.execute(select(func.sum(paid.amount_pence)).where(paid.at >= start, paid.at < end)).scalar()
    return int(total or 0)


def surplus_row(conn: Connection, year: int) -> dict | None:
    row = conn.execute(select(surpluses).where(surpluses.c.year == year)).first()
    return None if row is None else _row(row)


def payment_list(conn: Connection, year: int) -> list[dict]:
    """One line per member with a dividend: their reference code (as printed, K7QM-4TXR), the amount,
    and whether it is paid to them or given to a community project; in reference-code order."""
    rows = conn.execute(
        select(members.c.reference_code, dividends.c.member_id, dividends.c.amount_pence, dividends.c.given_to)
        .join(members, members.c.member_id == dividends.c.member_id)
        .where(dividends.c.year == year)
        .order_by(members.c.reference_code, dividends.c.member_id)
    )
    return [{**_row(row), "reference_code": display(row.reference_code or "")} for row in rows]


class SurplusViews:
    """TrustViews forwards each of these questions by name."""

    def __init__(self, models: ReadModels) -> None:
        self.models = models

    # The read side a command consults in its own transaction (see domain.kernel.ports.AccessRules)

    def members_at(self, session: Session, at: datetime) -> list[UUID]:
        return members_at(session, at)

    def panels_answered(self, session: Session, start: datetime, end: datetime) -> dict[UUID, int]:
        return panels_answered(session, start, end)

    def income_in(self, session: Session, start: datetime, end: datetime) -> int:
        return income_in(session, start, end)

    # Questions

    def surpluses(self) -> list[dict]:
        """Every year's surplus, the latest year first."""
        with self.models.reading() as conn:
            return [_row(row) for row in conn.execute(select(surpluses).order_by(surpluses.c.year.desc()))]

    def surplus_of(self, year: int) -> dict | None:
        with self.models.reading() as conn:
            return surplus_row(conn, year)

    def income_of_year(self, start: datetime, end: datetime) -> int:
        with self.models.reading() as conn:
            return income_in(conn, start, end)

    def dividends_of(self, member_id: UUID) -> list[dict]:
        """A member's own dividends, the latest year first, with the projects they may give each to."""
        with self.models.reading() as conn:
            rows = conn.execute(
                select(dividends, surpluses.c.projects, surpluses.c.equal_percent, surpluses.c.participation_percent)
                .join(surpluses, surpluses.c.year == dividends.c.year)
                .where(dividends.c.member_id == member_id)
                .order_by(dividends.c.year.desc())
            )
            return [_row(row) for row in rows]

    def payment_list(self, year: int) -> list[dict]:
        with self.models.reading() as conn:
            return payment_list(conn, year)
