"""Facts recorded after they took effect (paper forms, late reports)."""

from typing import Any

from domain.consent.model import Consent
from domain.membership.model import Member
from domain.organisations.model import Organisation
from projections.audit.tables import late_facts
from projections.consent.tables import consents
from projections.core.handlers import Step, handles

LATE_FACTS = {
    Member.Registered: "member registered",
    Member.Confirmed: "membership confirmed",
    Member.ProfileUpdated: "profile changed",
    Member.Left: "member left",
    Organisation.Approved: "organisation approved",
    Organisation.Suspended: "organisation suspended",
    Organisation.Reinstated: "organisation reinstated",
    Consent.Granted: "consent given",
    Consent.Revoked: "consent withdrawn",
}


@handles(*LATE_FACTS, working=True)
def maybe_late(step: Step, event: Any) -> None:
    if event.effective_at >= event.timestamp:
        return
    subject = type(event).__qualname__.split(".")[0]
    member_id = event.originator_id if subject == "Member" else getattr(event, "member_id", None)
    if subject == "Consent" and member_id is None:
        member_id = step.row(consents, event.originator_id)["member_id"]
    step.append(
        late_facts,
        dict(
            position=step.position,
            fact=LATE_FACTS[type(event)],
            member_id=member_id,
            organisation_id=event.originator_id if subject == "Organisation" else None,
            consent_id=event.originator_id if subject == "Consent" else None,
            actor=event.actor,
            evidence_ref=getattr(event, "evidence_ref", None),
            effective_at=event.effective_at,
            recorded_at=event.timestamp,
        ),
    )
