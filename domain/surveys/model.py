"""A business member's survey of its own staff: the questions (the insight question kinds), how
many one-time codes were issued, each set of answers given with a code, the close with the
anonymised release (domain.insight.disclosure.release), and the free text a trustee released.

What the log keeps of an answer is only the answers, sealed with the business member's key:
no code, no digest of one, nothing about who gave them, and the event is stamped with the day
only (see commands.ANSWER_STAMP), so answers cannot be matched to people by the time they came in."""

from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow, NotFound

OPEN, CLOSED = "open", "closed"
STAFF_ANSWERING = "staff:with a survey code"  # who answers: one of the business's staff, never named


class UnknownStaffSurvey(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No staff survey {reference}.")


class StaffSurvey(TrustAggregate):
    @event("Opened")
    def __init__(self, member_id: UUID, title: str, questions: list[dict], codes_issued: int, actor: str):
        self.member_id = member_id
        self.title = title
        self.questions = questions
        self.codes_issued = codes_issued
        self.status = OPEN
        self.sealed_answers: list[str] = []
        self.result: dict | None = None
        self.free_text: dict | None = None

    def require_open(self) -> None:
        if self.status != OPEN:
            raise NotAllowedNow("This survey has closed, so it takes no more answers. Nothing was recorded.")

    def answer(self, sealed_answers: str) -> None:
        self.require_open()
        self._answered(sealed_answers=sealed_answers, actor=STAFF_ANSWERING)

    @event("Answered")
    def _answered(self, sealed_answers: str, actor: str) -> None:
        self.sealed_answers.append(sealed_answers)

    def close(self, release: dict, codes_unused: int, actor: str) -> None:
        if self.status == CLOSED:
            raise NotAllowedNow("This survey is already closed.")
        self._closed(release=release, codes_unused=codes_unused, actor=actor)

    @event("Closed")
    def _closed(self, release: dict, codes_unused: int, actor: str) -> None:
        self.status = CLOSED
        self.result = release

    def release_free_text(self, texts: dict[str, list[str]], actor: str) -> None:
        if self.status != CLOSED:
            raise NotAllowedNow("Free-text answers can be released only after the survey closes.")
        self._free_text_released(texts=texts, actor=actor)

    @event("FreeTextReleased")
    def _free_text_released(self, texts: dict[str, list[str]], actor: str) -> None:
        self.free_text = texts
