"""Staff surveys kept from their events. An answer only adds one to the count: its time and
its sealed answers stay out of the read model."""

from typing import Any

from sqlalchemy import insert, update

from domain.surveys.model import CLOSED, OPEN, StaffSurvey
from projections.core.handlers import Step, handles
from projections.surveys.tables import staff_surveys


def _this(event: Any) -> Any:
    return staff_surveys.c.survey_id == event.originator_id


@handles(StaffSurvey.Opened)
def opened(step: Step, event: Any) -> None:
    step.session.execute(
        insert(staff_surveys).values(
            survey_id=event.originator_id,
            member_id=event.member_id,
            title=event.title,
            status=OPEN,
            questions=event.questions,
            codes_issued=event.codes_issued,
            answered=0,
            opened_at=event.timestamp,
        )
    )


@handles(StaffSurvey.Answered)
def answered(step: Step, event: Any) -> None:
    step.session.execute(update(staff_surveys).where(_this(event)).values(answered=staff_surveys.c.answered + 1))


@handles(StaffSurvey.Closed)
def closed(step: Step, event: Any) -> None:
    step.session.execute(
        update(staff_surveys).where(_this(event)).values(status=CLOSED, closed_at=event.timestamp, result=event.release)
    )


@handles(StaffSurvey.FreeTextReleased)
def free_text_released(step: Step, event: Any) -> None:
    step.session.execute(update(staff_surveys).where(_this(event)).values(free_text=event.texts))
