"""Caseworkers enter a member's panel answers from a paper form."""

from dataclasses import asdict
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, url_for

from adapters.web.auth import requires
from adapters.web.insight_forms import paper_answer_form, paper_answers
from adapters.web.pages import acting_as, page, services
from adapters.web.staff_reads import shows_member
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("panel_answers", __name__, url_prefix="/members")


def _member_or_404(member_id: UUID) -> dict:
    try:
        return services().views.member_card(member_id)
    except NotFound:
        abort(404)


@blueprint.route("/<uuid:member_id>/panels")
@requires("caseworker")
@shows_member("member-panels")
def panels(member_id: UUID):  # type: ignore[no-untyped-def]
    card = _member_or_404(member_id)
    return page("insight/member_panels.html", member=card, panels=services().trust.panel_invitations(member_id))


@blueprint.route("/<uuid:member_id>/panels/<uuid:request_id>", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-panel-answer")
def answer(member_id: UUID, request_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    seat = next((p for p in svc.trust.panel_invitations(member_id) if p.request_id == request_id), None)
    if seat is None:
        abort(404)
    questions = [q if isinstance(q, dict) else asdict(q) for q in seat.questions]
    form = paper_answer_form(questions)
    if form.validate_on_submit():
        answers = paper_answers(form, questions)
        if answers:
            try:
                svc.trust.answer_panel(
                    request_id, member_id, answers, acting_as("caseworker"), evidence_ref=form.evidence_ref.data
                )
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                flash("Panel answers recorded from the paper form.", "success")
                return redirect(url_for("panel_answers.panels", member_id=member_id))
    status = 400 if form.is_submitted() else 200
    return page("insight/paper_answer.html", status, form=form, member=card, seat=seat, questions=questions)
