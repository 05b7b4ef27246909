"""The questions asked about insight requests and panels ,
and the read-side answers insight commands need in their own transaction."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from projections.core.reading import ReadModels
from projections.insight import panel_pool
from projections.insight.tables import (
    insight_payments,
    insight_requests,
    insight_reviews,
    panel_replacements,
    panel_reserves,
    panel_seat_changes,
    panel_seats,
    quota_adjustments,
)
from projections.membership.tables import members
from projections.organisations.tables import organisations

SUMMARY = (
    "request_id",
    "organisation_id",
    "title",
    "purpose",
    "status",
    "fee_offered_pence",
    "fee_paid_pence",
    "closes_at",
    "submitted_at",
)
STATES = ("invited", "answered", "declined", "withdrew")


def _summary(row) -> dict:  # type: ignore[no-untyped-def]
    found = {name: getattr(row, name) for name in SUMMARY}
    found["id"] = found.pop("request_id")
    found["organisation_name"] = row.organisation_name
    return found


def _requests(conn: Connection, *where) -> list:  # type: ignore[no-untyped-def]
    query = (
        select(insight_requests, organisations.c.name.label("organisation_name"))
        .join(organisations, organisations.c.organisation_id == insight_requests.c.organisation_id)
        .where(*where)
        .order_by(insight_requests.c.submitted_at.desc(), insight_requests.c.request_id)
    )
    return conn.execute(query).all()


def request_detail(conn: Connection, request_id: UUID) -> dict | None:
    rows = _requests(conn, insight_requests.c.request_id == request_id)
    if not rows:
        return None
    row = rows[0]
    found = _summary(row)
    reviews = conn.execute(
        select(insight_reviews).where(insight_reviews.c.request_id == request_id).order_by(insight_reviews.c.position)
    )
    states = dict(
        conn.execute(
            select(panel_seats.c.state, func.count())
            .where(panel_seats.c.request_id == request_id)
            .group_by(panel_seats.c.state)
        ).all()
    )
    adjusted = conn.execute(
        select(quota_adjustments)
        .where(quota_adjustments.c.request_id == request_id)
        .order_by(quota_adjustments.c.position)
    )
    found.update(
        quota_changes=[dict(changes=list(a.changes), at=a.at) for a in adjusted],  # no names: the org sees these
        questions=list(row.questions),
        criteria=dict(row.criteria),
        reviews=[dict(decision=r.decision, reason=r.reason, actor=r.actor, at=r.at) for r in reviews],
        draw=dict(row.draw) if row.draw else None,
        result=dict(row.result) if row.result else None,
        free_text=dict(row.free_text) if row.free_text is not None else None,
        counts={state: states.get(state, 0) for state in STATES},
        seated=sum(states.values()),
        paid_at=row.paid_at,
        closed_at=row.closed_at,
    )
    return found


def roster(conn: Connection, request_id: UUID, as_of: datetime | None) -> list[dict]:
    """Each drawn member's state as of ``as_of`` (now when None), from the roster's history."""
    query = select(panel_seat_changes).where(panel_seat_changes.c.request_id == request_id)
    if as_of is not None:
        query = query.where(panel_seat_changes.c.at <= as_of)
    latest: dict[UUID, object] = {}
    for change in conn.execute(query.order_by(panel_seat_changes.c.position, panel_seat_changes.c.id)):
        latest[change.member_id] = change
    codes = {
        m.member_id: (None if m.status == "erased" else m.reference_code)
        for m in conn.execute(
            select(members.c.member_id, members.c.reference_code, members.c.status).where(
                members.c.member_id.in_(list(latest))
            )
        )
    }
    return [
        dict(member_id=member_id, reference_code=codes.get(member_id), state=c.state, changed_at=c.at)  # type: ignore[attr-defined]
        for member_id, c in sorted(latest.items(), key=lambda item: (codes.get(item[0]) or "", str(item[0])))
    ]


def _codes(conn: Connection, member_ids: list[UUID]) -> dict[UUID, str | None]:
    rows = conn.execute(
        select(members.c.member_id, members.c.reference_code, members.c.status).where(
            members.c.member_id.in_(member_ids)
        )
    )
    return {m.member_id: (None if m.status == "erased" else m.reference_code) for m in rows}


def reserves(conn: Connection, request_id: UUID, shown: int = 5) -> dict:
    """For the trustee: the reserves not yet invited (how many, the next few in order, by reference code),
    each seat a panel member left and who was invited to it, and each change of quotas accepted."""
    seated = select(panel_seats.c.member_id).where(panel_seats.c.request_id == request_id)
    waiting = select(panel_reserves).where(
        panel_reserves.c.request_id == request_id, panel_reserves.c.member_id.not_in(seated)
    )
    remaining = conn.execute(select(func.count()).select_from(waiting.subquery())).scalar_one()
    upcoming = [r.member_id for r in conn.execute(waiting.order_by(panel_reserves.c.place).limit(shown))]
    changes = conn.execute(
        select(panel_replacements)
        .where(panel_replacements.c.request_id == request_id)
        .order_by(panel_replacements.c.position)
    ).all()
    codes = _codes(conn, upcoming + [c.leaver for c in changes] + [c.reserve for c in changes if c.reserve])
    adjustments = conn.execute(
        select(quota_adjustments)
        .where(quota_adjustments.c.request_id == request_id)
        .order_by(quota_adjustments.c.position)
    )
    return dict(
        remaining=remaining,
        next=[dict(member_id=m, reference_code=codes.get(m)) for m in upcoming],
        replacements=[
            dict(
                leaver=c.leaver,
                leaver_code=codes.get(c.leaver),
                reserve=c.reserve,
                reserve_code=codes.get(c.reserve) if c.reserve else None,
                reason=c.reason,
                actor=c.actor,
                at=c.at,
            )
            for c in changes
        ],
        quota_changes=[dict(changes=list(a.changes), actor=a.actor, at=a.at) for a in adjustments],
    )


def income(conn: Connection) -> dict:
    requests = []
    for row in reversed(_requests(conn)):
        requests.append(
            dict(
                id=row.request_id,
                title=row.title,
                organisation=row.organisation_name,
                status=row.status,
                fee_offered_pence=row.fee_offered_pence,
                fee_paid_pence=row.fee_paid_pence,
                paid_at=row.paid_at,
                payments=[
                    dict(amount_pence=p.amount_pence, reference=p.reference, at=p.at)
                    for p in conn.execute(
                        select(insight_payments)
                        .where(insight_payments.c.request_id == row.request_id)
                        .order_by(insight_payments.c.position)
                    )
                ],
            )
        )
    offered = sum(r["fee_offered_pence"] for r in requests if r["status"] != "rejected")
    return dict(requests=requests, offered_pence=offered, paid_pence=sum(r["fee_paid_pence"] for r in requests))


class InsightViews:
    """TrustViews forwards each of these questions by name."""

    def __init__(self, models: ReadModels) -> None:
        self.models = models

    def panel_pool(
        self, session: Session, organisation_id: UUID, purpose: str, at: datetime
    ) -> dict[UUID, dict[str, str]]:
        return panel_pool.panel_pool(session, self.models.vault, organisation_id, purpose, at)

    def panels_of(self, session: Session, member_id: UUID) -> list[UUID]:
        return panel_pool.panels_of(session, member_id)

    def insight_requests(self, organisation_id: UUID | None = None, status: str | None = None) -> list[dict]:
        where = []
        if organisation_id is not None:
            where.append(insight_requests.c.organisation_id == organisation_id)
        if status is not None:
            where.append(insight_requests.c.status == status)
        with self.models.reading() as conn:
            return [_summary(row) for row in _requests(conn, *where)]

    def insight_request(self, request_id: UUID) -> dict | None:
        with self.models.reading() as conn:
            return request_detail(conn, request_id)

    def panel_roster(self, request_id: UUID, as_of: datetime | None = None) -> list[dict]:
        with self.models.reading() as conn:
            return roster(conn, request_id, as_of)

    def panel_reserves(self, request_id: UUID) -> dict:
        """The trustee's view of a panel's reserves, replacements and quota changes (see ``reserves``)."""
        with self.models.reading() as conn:
            return reserves(conn, request_id)

    def income_report(self) -> dict:
        """Per request: fee offered and paid, when; totals offered (not rejected) and paid."""
        with self.models.reading() as conn:
            return income(conn)
