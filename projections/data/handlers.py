"""A member's history shows each submission: the category, its schema version, which fields or how
many records, the channel and who recorded it. Never the values."""

from typing import Any

from domain.data.model import MemberData
from projections.core.handlers import Step, handles
from projections.core.tables import timeline


@handles(MemberData.Shared)
def shared(step: Step, event: Any) -> None:
    details = dict(category=event.category, version=event.version, channel=event.channel, fields=event.fields)
    if event.records is not None:
        details["records"] = event.records
    if event.evidence_ref:
        details["evidence_ref"] = event.evidence_ref
    step.append(
        timeline,
        dict(
            position=step.position,
            member_id=event.member_id,
            what="data shared",
            details=details,
            actor=event.actor,
            effective_at=event.effective_at,
            recorded_at=event.timestamp,
        ),
    )
