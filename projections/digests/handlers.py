"""The trustees' digests as recorded, one row a day, kept from the events (so a rebuild
gives them back exactly as they were told)."""

from datetime import date
from typing import Any

from domain.digests.model import TrusteeDigest
from projections.core.handlers import Step, handles
from projections.digests.tables import trustee_digests


@handles(TrusteeDigest.Recorded)
def digest_recorded(step: Step, event: Any) -> None:
    step.append(
        trustee_digests,
        dict(
            day=date.fromisoformat(event.day),
            window_from=event.window_from,
            window_to=event.window_to,
            figures=dict(event.figures),
            failing_work=[dict(work) for work in event.failing_work],
            recorded_by=event.actor,
            recorded_at=event.timestamp,
        ),
    )
