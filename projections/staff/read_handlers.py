"""Staff reads of a member's personal data ("did see", by the trust's own staff)
in the member's timeline: the staff actor and the page code, nothing personal,
so the row outlives erasure like every other audit fact."""

from typing import Any

from domain.staff.reads import StaffRead
from projections.core.handlers import Step, handles

STAFF_READ = "read by staff"


@handles(StaffRead.Recorded)
def staff_read(step: Step, event: Any) -> None:
    step.add_fact(event.member_id, event, STAFF_READ, page=event.page)
