"""A member's seat on one insight request's panel: invited by the draw, then
answered (again and again: the latest answers count) or declined.

One seat per request and member, its id derived from both, so answering loads one
small record. The answers are sealed with the member's key: the log shows only
which questions were answered; erasure makes the answers unreadable."""

import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

INVITED, ANSWERED, DECLINED, WITHDREW = "invited", "answered", "declined", "withdrew"


class PanelSeat(TrustAggregate):
    @staticmethod
    def create_id(request_id: UUID, member_id: UUID) -> UUID:
        return uuid.uuid5(request_id, f"panel-seat:{member_id}")

    @event("Invited")
    def __init__(self, request_id: UUID, member_id: UUID, actor: str):
        self.request_id = request_id
        self.member_id = member_id
        self.state = INVITED
        self.sealed_answers: str | None = None

    def answer(self, sealed_answers: str, questions: list[str], evidence_ref: str | None, actor: str) -> None:
        if self.state == DECLINED:
            raise NotAllowedNow("This member has left this panel; their answers cannot be recorded.")
        self._answered(sealed_answers=sealed_answers, questions=questions, evidence_ref=evidence_ref, actor=actor)

    @event("Answered")
    def _answered(self, sealed_answers: str, questions: list[str], evidence_ref: str | None, actor: str) -> None:
        self.state = ANSWERED
        self.sealed_answers = sealed_answers

    def decline(self, actor: str) -> None:
        if self.state == DECLINED:
            raise NotAllowedNow("This member has already left this panel.")
        self._declined(actor=actor)

    @event("Declined")
    def _declined(self, actor: str) -> None:
        self.state = DECLINED
        self.sealed_answers = None
