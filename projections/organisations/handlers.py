"""The organisation register and its status history."""

from typing import Any

from sqlalchemy import insert, update

from domain.organisations.model import Organisation
from projections.core.handlers import Step, handles
from projections.core.intervals import Fact
from projections.organisations.tables import organisation_changes, organisation_org_ids, organisations


@handles(Organisation.Registered, working=True)
def registered(step: Step, event: Any) -> None:
    step.session.execute(
        insert(organisations),
        dict(
            organisation_id=event.originator_id,
            name=event.name,
            kind=event.kind,
            status="awaiting approval",
            registered_rec=event.timestamp,
        ),
    )
    org_id = getattr(event, "org_id", None)  # events recorded before org-ids were asked have none
    if org_id:
        step.session.execute(insert(organisation_org_ids), dict(organisation_id=event.originator_id, org_id=org_id))


@handles(Organisation.Approved, working=True)
def approved(step: Step, event: Any) -> None:
    _change(step, event, "approved", None, agreement_ref=event.agreement_ref, agreement_date=event.agreement_date)


@handles(Organisation.Suspended, working=True)
def suspended(step: Step, event: Any) -> None:
    _change(step, event, "suspended", event.reason)


@handles(Organisation.Reinstated, working=True)
def reinstated(step: Step, event: Any) -> None:
    _change(step, event, "reinstated", event.reason)


def _change(step: Step, event: Any, change: str, reason: str | None, **extra: Any) -> None:
    organisation_id = event.originator_id
    step.append(
        organisation_changes,
        dict(
            position=step.position,
            organisation_id=organisation_id,
            change=change,
            reason=reason,
            actor=event.actor,
            eff=event.effective_at,
            rec=event.timestamp,
        ),
    )
    status = "suspended" if change == "suspended" else "approved"
    where = organisations.c.organisation_id == organisation_id
    step.session.execute(update(organisations).where(where).values(status=status, **extra))
    # its open periods from this change on (a change takes effect no earlier than the last); no consent's rows change
    step.mark_organisation(organisation_id, Fact(event.effective_at, event.timestamp))
