"""Each year's surplus and each member's dividend, kept from their events."""

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from domain.surplus.model import DividendGift, Surplus
from projections.core.handlers import Step, handles
from projections.surplus.tables import dividends, surpluses


@handles(Surplus.Recorded)
def recorded(step: Step, event: Any) -> None:
    step.session.execute(
        insert(surpluses),
        dict(
            year=event.year,
            surplus_id=event.originator_id,
            amount_pence=event.amount_pence,
            income_pence=event.income_pence,
            evidence_ref=event.evidence_ref,
            recorded_by=event.actor,
            recorded_at=event.timestamp,
        ),
    )


def _update(step: Step, event: Any, **values: Any) -> None:
    step.session.execute(update(surpluses).where(surpluses.c.surplus_id == event.originator_id).values(**values))


@handles(Surplus.UsesDecided)
def uses_decided(step: Step, event: Any) -> None:
    uses = [
        dict(use=use, percent=percent, amount_pence=amount)
        for use, percent, amount in zip(event.uses, event.percents, event.amounts_pence, strict=True)
    ]
    _update(
        step,
        event,
        uses_proposal_id=UUID(event.proposal_id),
        uses=uses,
        dividend_use=None if event.dividend_use is None else event.uses[event.dividend_use],
        projects=list(event.projects),
    )


@handles(Surplus.DividendsShared)
def dividends_shared(step: Step, event: Any) -> None:
    year = step.session.execute(select(surpluses.c.year).where(surpluses.c.surplus_id == event.originator_id)).scalar()
    _update(
        step,
        event,
        rule_proposal_id=UUID(event.proposal_id),
        equal_percent=event.equal_percent,
        participation_percent=event.participation_percent,
        dividend_pot_pence=event.pot_pence,
        members_paid=len(event.entitlements),
        shared_at=event.timestamp,
    )
    rows = [dict(year=year, member_id=UUID(m), amount_pence=p) for m, p in event.entitlements.items()]
    if rows:
        step.session.execute(insert(dividends), rows)


DIVIDEND_GIVEN = "dividend given"


@handles(DividendGift.Given)
def given(step: Step, event: Any) -> None:
    step.add_fact(event.member_id, event, DIVIDEND_GIVEN, year=event.year, project=event.project, channel=event.channel)
    step.session.execute(
        update(dividends)
        .where(dividends.c.year == event.year, dividends.c.member_id == event.member_id)
        .values(given_to=event.project, given_at=event.timestamp)
    )
