"""Commands about insight requests: an approved organisation asks a community
panel questions; a trustee reviews the request, draws the panel (panel_draws.py),
members answer (panel_answers.py); at the close the organisation gets counts and
shares with small cells withheld (domain/insight/disclosure/release.py); a trustee releases the
reviewed free text; payments are recorded."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

from domain.insight.checks import check_criteria, check_fee, check_released_texts, whole_number
from domain.insight.disclosure.release import Question, check_questions
from domain.insight.draws import DrawCheck, PanelDrawn
from domain.insight.lookups import PanelLookups, require_trustee
from domain.insight.model import DECISIONS, InsightRequest, PanelCriteria
from domain.kernel.actors import Actor
from domain.kernel.catalogue import Purpose
from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownInsightRequest
from domain.kernel.references import reference as evidence_reference
from domain.kernel.text import one_line
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

MAX_TITLE, MAX_REASON = 200, 2000

__all__ = ["InsightCommands", "PanelCriteria", "PanelDrawn", "DrawCheck", "UnknownInsightRequest"]


def question_dicts(questions: Sequence[Question]) -> list[dict]:
    return [dict(code=q.code, kind=q.kind, text=q.text, options=list(q.options)) for q in check_questions(questions)]


class InsightCommands:
    def __init__(self, app: TrustApplication, organisations: "OrganisationCommands", panels: "PanelLookups") -> None:
        self.app = app
        self.organisations = organisations
        self.panels = panels

    def submit_insight_request(
        self,
        organisation_id: UUID,
        title: str,
        purpose: str,
        questions: Sequence[Question],
        criteria: PanelCriteria,
        fee_offered_pence: int,
        closes_at: datetime,
        actor: Actor,
    ) -> UUID:
        chosen = self.app.catalogue.purpose(purpose)
        if not getattr(chosen, "panels", False):
            raise InvalidRequest(f"The purpose {purpose!r} is not one members answer community panels for.")
        title, asked, fee = (
            one_line(title, "An insight request's title", MAX_TITLE),
            question_dicts(questions),
            check_fee(fee_offered_pence),
        )
        criteria = check_criteria(self.app.catalogue, criteria, self.panels.min_cell())
        with self.app.command() as (_session, now):
            organisation = self.organisations.organisation(organisation_id)
            if not organisation.is_approved:
                raise NotAllowedNow(
                    f"{organisation.name} is {organisation.status}; only an approved organisation can ask for insight."
                )
            self._reachable(chosen, organisation.kind, organisation.name)
            request = InsightRequest(
                organisation_id=organisation_id,
                title=title,
                purpose=purpose,
                questions=asked,
                criteria=criteria.as_dict(),
                fee_offered_pence=fee,
                closes_at=self.panels.closing_time(closes_at, now),
                actor=str(actor),
            )
            self.app.save(request)
        return request.id

    def _reachable(self, purpose: Purpose, kind: str, name: str) -> None:
        """Refuse a request whose pool can only be empty: no notice of the purpose names the
        organisation's kind, so no member's consent to it can ever reach this organisation."""
        covered = {k for version in purpose.notices for k in purpose.covered_kinds(version)}
        if kind in covered:
            return
        named = " or ".join(self._a(k) for k in sorted(covered)) or "no kind of organisation"
        raise NotAllowedNow(
            f"No member could be asked: members' consent to {purpose.title} reaches only {named}, "
            f"not {self._a(kind)} like {name}, so the panel's pool would always be "
            "empty. Nothing was sent."
        )

    def _a(self, kind: str) -> str:
        label = self.app.catalogue.kind_label(kind).lower()
        return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"

    def revise_insight_request(
        self,
        request_id: UUID,
        title: str,
        questions: Sequence[Question],
        criteria: PanelCriteria,
        fee_offered_pence: int,
        closes_at: datetime,
        actor: Actor,
    ) -> None:
        title, asked, fee = (
            one_line(title, "An insight request's title", MAX_TITLE),
            question_dicts(questions),
            check_fee(fee_offered_pence),
        )
        criteria = check_criteria(self.app.catalogue, criteria, self.panels.min_cell())
        with self.app.command() as (_session, now):
            request = self.panels.insight_request(request_id)
            closing = self.panels.closing_time(closes_at, now)
            request.revise(title, asked, criteria.as_dict(), fee, closing, str(actor))
            self.app.save(request)

    def review_insight_request(self, request_id: UUID, decision: str, reason: str, actor: Actor) -> None:
        require_trustee(actor, "review an insight request")
        if decision not in DECISIONS:
            raise InvalidRequest(f"Unknown decision {decision!r}; use one of: {', '.join(DECISIONS)}.")
        reason = one_line(reason, "A reason for the decision", MAX_REASON)
        with self.app.command():
            request = self.panels.insight_request(request_id)
            request.review(decision, reason, str(actor))
            self.app.save(request)

    def release_free_text(self, request_id: UUID, texts: Mapping[str, Sequence[str]], actor: Actor) -> None:
        """The reviewed (redacted) free-text answers the organisation may now see: the trust's text."""
        require_trustee(actor, "release free-text answers")
        with self.app.command():
            request = self.panels.insight_request(request_id)
            released = check_released_texts(self.panels.questions_of(request), texts)
            request.release_free_text(released, str(actor))
            self.app.save(request)

    def record_payment(self, request_id: UUID, amount_pence: int, reference: str, actor: Actor) -> None:
        require_trustee(actor, "record a payment")
        amount = whole_number(amount_pence, "A payment (in pence)", 1, 10**9)
        ref = evidence_reference(reference)
        if ref is None:
            raise InvalidRequest("A payment needs its reference (e.g. the invoice or bank reference).")
        with self.app.command():
            request = self.panels.insight_request(request_id)
            request.record_payment(amount, ref, str(actor))
            self.app.save(request)
