"""Members answering a panel (in the chat, or on paper through a caseworker),
leaving it, and the close: the anonymised release of what was answered.

Answers are sealed with the member's key. At the close only members who answered,
still let the organisation have their panel answers, and are not erased count."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from domain.insight.checks import check_answers
from domain.insight.disclosure.release import Question, Release, release
from domain.insight.lookups import PanelLookups
from domain.insight.model import CLOSED, PANEL_DRAWN, InsightRequest
from domain.insight.replacements import DECLINED_REASON, PanelReplacementCommands
from domain.insight.seats import ANSWERED, DECLINED, PanelSeat
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.kernel.references import reference
from domain.store.application import TrustApplication


@dataclass(frozen=True)
class PanelInvitation:
    request_id: UUID
    title: str
    questions: tuple[Question, ...]
    closes_at: datetime
    answered: bool
    declined: bool


class PanelAnswerCommands:
    def __init__(self, app: TrustApplication, panels: "PanelLookups", replacements: PanelReplacementCommands) -> None:
        self.app = app
        self.panels = panels
        self.replacements = replacements

    def answer_panel(
        self,
        request_id: UUID,
        member_id: UUID,
        answers: Mapping[str, str | Sequence[str]],
        actor: Actor,
        evidence_ref: str | None = None,
    ) -> None:
        """The member's answers (the latest count); from a caseworker only with the paper form's reference."""
        if actor.role == "caseworker" and not evidence_ref:
            raise InvalidRequest("Answers from a paper form need the form's reference as evidence.")
        if actor.role not in ("member", "caseworker"):
            raise NotAllowedNow("Panel answers come from the member, or from a caseworker entering their paper form.")
        evidence_ref = reference(evidence_ref)
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            cleaned = check_answers(self.panels.questions_of(request), answers)
            seat = self.open_seat(session, request, member_id, now)
            key = self.app.vault.key_for(session, member_id)
            sealed = self.app.vault.seal(key, member_id, {"answers": cleaned})  # type: ignore[arg-type]
            seat.answer(sealed, sorted(cleaned), evidence_ref, str(actor))
            self.app.save(seat)

    def decline_panel(self, request_id: UUID, member_id: UUID, actor: Actor) -> None:
        """The member leaves this panel: nothing they answered counts, and the first reserve who keeps
        every quota met is invited to take the seat (or, when none does, the seat is recorded as empty)."""
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            seat = self.open_seat(session, request, member_id, now, declining=True)
            seat.decline(str(actor))
            aggregates: list = []
            if str(member_id) in request.panel_members:
                leaver = str(member_id)
                _, aggregates = self.replacements.fill_seat(session, now, request, leaver, DECLINED_REASON, actor)
            self.app.save(seat, *aggregates)

    def open_seat(
        self, session: Session, request: InsightRequest, member_id: UUID, now: datetime, declining: bool = False
    ) -> PanelSeat:
        if request.status != PANEL_DRAWN or now >= request.closes_at:
            when = f"closed at {request.closes_at:%Y-%m-%d %H:%M} UTC" if now >= request.closes_at else request.status
            raise NotAllowedNow(f"This panel is not open for answers (the request is {when}).")
        seat = self.panels.seat(request.id, member_id)
        if seat is None:
            raise NotAllowedNow("This member is not on this panel.")
        if seat.state == DECLINED:
            raise NotAllowedNow("This member has left this panel.")
        if str(member_id) not in request.panel_members:
            raise NotAllowedNow("This member's seat on this panel has gone to a reserve, so they are no longer on it.")
        if not declining and (
            self.app.vault.key_for(session, member_id) is None
            or not self.panels.still_consents(session, request, member_id, now)
        ):
            raise NotAllowedNow(
                "This member no longer lets the organisation have their panel answers, so has left this panel."
            )
        return seat

    def close_insight_request(self, request_id: UUID, actor: Actor) -> Release:
        """After the closing time: the release is worked out and recorded; closing again returns it."""
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            if request.status == CLOSED:
                return Release.from_dict(request.result)  # type: ignore[arg-type]
            request.require(PANEL_DRAWN, doing="be closed (only once its panel is drawn)")
            if now < request.closes_at:
                raise NotAllowedNow(
                    f"This insight request closes at {request.closes_at:%Y-%m-%d %H:%M} UTC; "
                    "it cannot be closed before then."
                )
            answers = self.counted_answers(session, request, now)
            pool, _ = self.panels.unsealed_pool(session, request)
            attributes = {member: pool.get(member, {}) for member in answers}
            breakdown = tuple(request.criteria["breakdown"])
            result = release(self.panels.questions_of(request), answers, attributes, breakdown, self.panels.min_cell())
            request.close(result.as_dict(), sorted(answers), str(actor))
            self.app.save(request)
        return result

    def counted_answers(self, session: Session, request: InsightRequest, at: datetime) -> dict[str, dict]:
        """Seated members who answered, still consent at ``at`` and are not erased: their latest answers."""
        assert request.draw is not None
        counted = {}
        for member in request.panel_members:
            member_id = UUID(member)
            seat = self.panels.seat(request.id, member_id)
            if (
                seat is None
                or seat.state != ANSWERED
                or not self.panels.still_consents(session, request, member_id, at)
            ):
                continue
            opened = self.app.vault.open(
                self.app.vault.key_for(session, member_id), member_id, seat.sealed_answers or ""
            )
            if opened is not None:
                counted[member] = opened["answers"]
        return counted

    def free_text_for_review(self, request_id: UUID) -> dict[str, list[str]]:
        """After the close, per free-text question, the texts of the members counted (sorted, no member ids)."""
        with self.app.reading() as session:
            request = self.panels.insight_request(request_id)
            if request.status != CLOSED:
                raise NotAllowedNow("Free-text answers can be reviewed only after the request closes.")
            texts: dict[str, list[str]] = {q.code: [] for q in self.panels.questions_of(request) if q.kind == "text"}
            for member in request.counted:
                member_id = UUID(member)
                seat = self.panels.seat(request.id, member_id)
                key = self.app.vault.key_for(session, member_id)
                opened = self.app.vault.open(key, member_id, seat.sealed_answers or "") if seat else None
                for code in texts:
                    if opened and opened["answers"].get(code):
                        texts[code].append(opened["answers"][code])
        return {code: sorted(found) for code, found in texts.items()}

    def panel_invitations(self, member_id: UUID) -> list[PanelInvitation]:
        """The open panels this member sits on (and still consents to), soonest closing first."""
        invitations = []
        with self.app.reading() as session:
            now = self.app.clock()
            for request_id in self.panels.panel_reads.panels_of(session, member_id):
                request = self.panels.insight_request(request_id)
                seat = self.panels.seat(request_id, member_id)
                if request.status != PANEL_DRAWN or now >= request.closes_at or seat is None:
                    continue
                if seat.state != DECLINED and str(member_id) not in request.panel_members:
                    continue  # their seat went to a reserve after they withdrew
                if not self.panels.still_consents(session, request, member_id, now):
                    continue
                invitations.append(
                    PanelInvitation(
                        request_id,
                        request.title,
                        self.panels.questions_of(request),
                        request.closes_at,
                        seat.state == ANSWERED,
                        seat.state == DECLINED,
                    )
                )
        return sorted(invitations, key=lambda invitation: invitation.closes_at)

    def my_panel_answers(self, request_id: UUID, member_id: UUID) -> dict | None:
        """The member's own latest answers, or None if they have none (or were erased)."""
        self.panels.insight_request(request_id)
        seat = self.panels.seat(request_id, member_id)
        if seat is None or seat.state != ANSWERED or not seat.sealed_answers:
            return None
        with self.app.reading() as session:
            opened = self.app.vault.open(self.app.vault.key_for(session, member_id), member_id, seat.sealed_answers)
        return None if opened is None else opened["answers"]
