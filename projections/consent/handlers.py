"""The consent catalogue view and the record of reads ("did see")."""

from typing import Any
from uuid import UUID

from domain.consent.access import AccessAttempt
from domain.consent.model import Consent
from projections.consent.tables import access_attempts, consents
from projections.core.handlers import Step, handles


def _timeline(step: Step, member_id: UUID, event: Any, what: str, effective_at: Any, **details: Any) -> None:
    step.add_fact(member_id, event, what, effective_at, **details)


@handles(Consent.Granted, working=True)
def granted(step: Step, event: Any) -> None:
    step.add(
        consents,
        dict(
            consent_id=event.originator_id,
            member_id=event.member_id,
            purpose=event.purpose,
            categories=list(event.categories),
            audience_organisation_id=event.audience_organisation_id,
            audience_kind=event.audience_kind,
            expires_at=event.expires_at,
            notice_version=event.notice_version,
            notice_hash=event.notice_hash,
            collected_via=event.collected_via,
            evidence_ref=event.evidence_ref,
            granted_by=event.actor,
            granted_eff=event.effective_at,
            granted_rec=event.timestamp,
        ),
    )
    step.mark(event.originator_id, new=True)
    audience = str(event.audience_organisation_id) if event.audience_organisation_id else None
    _timeline(
        step,
        event.member_id,
        event,
        "consent given",
        event.effective_at,
        consent=str(event.originator_id),
        purpose=event.purpose,
        categories=list(event.categories),
        organisation=audience,
        kind=event.audience_kind,
        via=event.collected_via,
        expires_at=event.expires_at.isoformat() if event.expires_at else None,
    )


def _changed(step: Step, event: Any, **values: Any) -> Any:
    """Set ``values`` on the consent's row and mark its periods for recomputing; returns the row."""
    step.mark(event.originator_id)
    return step.set(consents, event.originator_id, **values)


def _ended(step: Step, event: Any, reason: str, evidence_ref: str | None) -> None:
    row = _changed(
        step,
        event,
        ended_reason=reason,
        ended_by=event.actor,
        ended_evidence_ref=evidence_ref,
        ended_eff=event.effective_at,
        ended_rec=event.timestamp,
    )
    what = "consent withdrawn" if reason == "revoked" else "consent expired"
    _timeline(
        step,
        row["member_id"],
        event,
        what,
        event.effective_at,
        consent=str(event.originator_id),
        purpose=row["purpose"],
    )


@handles(Consent.Revoked, working=True)
def revoked(step: Step, event: Any) -> None:
    _ended(step, event, "revoked", event.evidence_ref)


@handles(Consent.Expired, working=True)
def expired(step: Step, event: Any) -> None:
    _ended(step, event, "expired", None)


@handles(Consent.Renewed, working=True)
def renewed(step: Step, event: Any) -> None:
    """The consent runs on to its new expiry, on the notice the member renewed on."""
    row = _changed(
        step, event, expires_at=event.expires_at, notice_version=event.notice_version, notice_hash=event.notice_hash
    )
    _timeline(
        step,
        row["member_id"],
        event,
        "consent renewed",
        event.timestamp,
        consent=str(event.originator_id),
        purpose=row["purpose"],
        expires_at=event.expires_at.isoformat(),
        notice_version=event.notice_version,
    )


@handles(AccessAttempt.Recorded, working=True)
def access_recorded(step: Step, event: Any) -> None:
    step.append(
        access_attempts,
        dict(
            attempt_id=event.originator_id,
            organisation_id=event.organisation_id,
            member_id=event.member_id,
            purpose=event.purpose,
            granted=dict(event.granted),
            refused=list(event.refused),
            reason=event.reason,
            actor=event.actor,
            recorded_at=event.timestamp,
        ),
    )
    _timeline(
        step,
        event.member_id,
        event,
        "read" if event.granted else "read refused",
        event.timestamp,
        organisation=str(event.organisation_id),
        purpose=event.purpose,
        categories=sorted(event.granted),
        refused=list(event.refused),
    )
