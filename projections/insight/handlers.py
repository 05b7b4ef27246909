"""Keeping the insight read models from the events: requests, reviews, payments,
and each panel's roster with its history (withdrawals: projections/insight/panel_pool.py).
The draw (JSON) carries when it was drawn ("at") and, once reminded, "reminded" and "reminded_at"."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from domain.insight.model import InsightRequest
from domain.insight.seats import PanelSeat
from projections.core.handlers import Step, handles
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

DECIDED = {"approve": "approved", "changes": "changes-requested", "reject": "rejected"}


def _request(step: Step, event: Any, **values: Any) -> None:
    step.session.execute(
        update(insight_requests).where(insight_requests.c.request_id == event.originator_id).values(**values)
    )


@handles(InsightRequest.Submitted)
def submitted(step: Step, event: Any) -> None:
    step.session.execute(
        insert(insight_requests),
        dict(
            request_id=event.originator_id,
            organisation_id=event.organisation_id,
            title=event.title,
            purpose=event.purpose,
            status="submitted",
            questions=list(event.questions),
            criteria=dict(event.criteria),
            fee_offered_pence=event.fee_offered_pence,
            fee_paid_pence=0,
            closes_at=event.closes_at,
            submitted_by=event.actor,
            submitted_at=event.timestamp,
        ),
    )


@handles(InsightRequest.Revised)
def revised(step: Step, event: Any) -> None:
    _request(
        step,
        event,
        title=event.title,
        questions=list(event.questions),
        criteria=dict(event.criteria),
        fee_offered_pence=event.fee_offered_pence,
        closes_at=event.closes_at,
        status="submitted",
    )


@handles(InsightRequest.Reviewed)
def reviewed(step: Step, event: Any) -> None:
    _request(step, event, status=DECIDED[event.decision])
    step.append(
        insight_reviews,
        dict(
            position=step.position,
            request_id=event.originator_id,
            decision=event.decision,
            reason=event.reason,
            actor=event.actor,
            at=event.timestamp,
        ),
    )


@handles(InsightRequest.PanelDrawn)
def panel_drawn(step: Step, event: Any) -> None:
    draw = dict(
        pool_size=len(event.pool),
        size=event.size,
        lowest=event.lowest,
        highest=event.highest,
        seed=event.seed,
        algorithm=event.algorithm,
        at=event.timestamp.isoformat(),
    )
    reserves = list(getattr(event, "reserves", None) or [])  # draws recorded before reserves have none
    draw.update(
        gini=getattr(event, "gini", None),
        below_half=getattr(event, "below_half", None),
        solver=getattr(event, "solver", ""),
        reserves=len(reserves),
    )
    _request(step, event, status="panel-drawn", draw=draw)
    if reserves:
        rows = [dict(request_id=event.originator_id, place=n, member_id=UUID(m)) for n, m in enumerate(reserves, 1)]
        step.session.execute(insert(panel_reserves), rows)


@handles(InsightRequest.PanelMemberReplaced)
def panel_member_replaced(step: Step, event: Any) -> None:
    step.append(
        panel_replacements,
        dict(
            position=step.position,
            request_id=event.originator_id,
            leaver=UUID(event.leaver),
            reserve=UUID(event.reserve) if event.reserve else None,
            reason=event.reason,
            actor=event.actor,
            at=event.timestamp,
        ),
    )


@handles(InsightRequest.QuotasAdjusted)
def quotas_adjusted(step: Step, event: Any) -> None:
    where = insight_requests.c.request_id == event.originator_id
    criteria = step.session.execute(select(insight_requests.c.criteria).where(where)).scalar_one()
    _request(step, event, criteria={**dict(criteria), "quotas": list(event.quotas)})
    step.append(
        quota_adjustments,
        dict(
            position=step.position,
            request_id=event.originator_id,
            changes=list(event.changes),
            actor=event.actor,
            at=event.timestamp,
        ),
    )


@handles(InsightRequest.Reminded)
def reminded(step: Step, event: Any) -> None:
    where = insight_requests.c.request_id == event.originator_id
    draw = step.session.execute(select(insight_requests.c.draw).where(where)).scalar_one()
    _request(step, event, draw={**(draw or {}), "reminded": event.count, "reminded_at": event.timestamp.isoformat()})


@handles(InsightRequest.Closed)
def closed(step: Step, event: Any) -> None:
    _request(step, event, status="closed", result=dict(event.release), closed_at=event.timestamp)


@handles(InsightRequest.FreeTextReleased)
def free_text_released(step: Step, event: Any) -> None:
    _request(step, event, free_text={code: list(texts) for code, texts in event.texts.items()})


@handles(InsightRequest.PaymentRecorded)
def payment_recorded(step: Step, event: Any) -> None:
    paid = step.session.execute(
        select(insight_requests.c.fee_paid_pence).where(insight_requests.c.request_id == event.originator_id)
    ).scalar_one()
    _request(step, event, fee_paid_pence=paid + event.amount_pence, paid_at=event.timestamp)
    step.append(
        insight_payments,
        dict(
            position=step.position,
            request_id=event.originator_id,
            amount_pence=event.amount_pence,
            reference=event.reference,
            actor=event.actor,
            at=event.timestamp,
        ),
    )


def seat_changed(step: Step, request_id: UUID, member_id: UUID, state: str, at: datetime) -> None:
    step.session.execute(
        update(panel_seats)
        .where(panel_seats.c.request_id == request_id, panel_seats.c.member_id == member_id)
        .values(state=state, changed_at=at)
    )
    step.append(
        panel_seat_changes,
        dict(position=step.position, request_id=request_id, member_id=member_id, state=state, at=at),
    )


@handles(PanelSeat.Invited)
def invited(step: Step, event: Any) -> None:
    step.session.execute(
        insert(panel_seats),
        dict(
            request_id=event.request_id,
            member_id=event.member_id,
            seat_id=event.originator_id,
            state="invited",
            changed_at=event.timestamp,
        ),
    )
    step.append(
        panel_seat_changes,
        dict(
            position=step.position,
            request_id=event.request_id,
            member_id=event.member_id,
            state="invited",
            at=event.timestamp,
        ),
    )


@handles(PanelSeat.Answered, PanelSeat.Declined)
def answered_or_declined(step: Step, event: Any) -> None:
    seat = step.session.execute(
        select(panel_seats.c.request_id, panel_seats.c.member_id).where(panel_seats.c.seat_id == event.originator_id)
    ).one()
    state = "answered" if type(event).__qualname__.endswith("Answered") else "declined"
    seat_changed(step, seat.request_id, seat.member_id, state, event.timestamp)
