"""Staff reads of a member's personal data ("did see", by the trust's own staff)
in the member's timeline: the staff actor and the page code, nothing personal,
so the row outlives erasure like every other audit fact."""

from typing import Any

from domain.staff.reads import StaffRead
from projections.core.handlers import Step, handles
from projections.core.tables import timeline

STAFF_READ = "read by staff"


@handles(StaffRead.Recorded)
def staff_read(step: Step, event: Any) -> None:
    step.append(
        timeline,
        dict(
            position=step.position,
            member_id=event.member_id,
            what=STAFF_READ,
            details={"page": event.page},
            actor=event.actor,
            effective_at=event.timestamp,
            recorded_at=event.timestamp,
        ),
    )
