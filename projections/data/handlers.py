"""A member's history shows each submission: the category, its schema version, which fields or how
many records, the channel and who recorded it. Never the values."""

from typing import Any

from domain.data.model import MemberData
from projections.core.handlers import Step, handles


@handles(MemberData.Shared)
def shared(step: Step, event: Any) -> None:
    details = dict(category=event.category, version=event.version, channel=event.channel, fields=event.fields)
    if event.records is not None:
        details["records"] = event.records
    if event.evidence_ref:
        details["evidence_ref"] = event.evidence_ref
    step.add_fact(event.member_id, event, "data shared", event.effective_at, **details)
