"""In the portal, a business member asks its own staff a few questions through the trust: it writes
the questions (the insight kinds) and says how many one-time codes it needs; the codes are shown
once, as a printable page of slips, and never again. The survey's page shows how many codes were
used and, once the business closes it, only what the trust's disclosure control released, with
the free text once a trustee has reviewed it. Which code gave which answers is never known."""

from uuid import UUID

from flask import abort, flash, g, redirect, url_for

from adapters.web.forms import ActionForm
from adapters.web.insight_forms import problems
from adapters.web.one_time import hold, no_store, take
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from adapters.web.survey_forms import StaffSurveyForm, survey_questions
from domain.kernel.errors import TrustError
from domain.portal.commands import PORTAL_ACTOR

BUSINESS_KIND = "organisation-member"


def _business() -> UUID:
    """The signed-in member, if a business (an organisation-member); else there is no such page."""
    if g.member["kind"] != BUSINESS_KIND:
        abort(404)
    return g.member["member_id"]


def _own(survey_id: UUID) -> dict:
    found = services().views.staff_survey(survey_id)
    if found is None or found["member_id"] != _business():
        abort(404)
    return found


@blueprint.route("/staff-surveys")
@signed_in_member
def staff_surveys():  # type: ignore[no-untyped-def]
    svc = services()
    surveys = svc.views.staff_surveys_of(_business())
    return page("portal/staff_surveys.html", surveys=surveys, min_cell=svc.trust.live_rule("min-cell-size").value)


@blueprint.route("/staff-surveys/new", methods=["GET", "POST"])
@signed_in_member
def new_staff_survey():  # type: ignore[no-untyped-def]
    svc, member_id = services(), _business()
    min_cell = svc.trust.live_rule("min-cell-size").value
    form = StaffSurveyForm()
    if form.validate_on_submit():
        questions = survey_questions(form)
        if questions is not None:
            try:
                issued = svc.trust.open_staff_survey(
                    member_id, form.title.data, questions, form.codes.data, PORTAL_ACTOR
                )
            except TrustError as error:
                form.form_errors.append(f"Nothing was recorded: {error}")
            else:
                hold("staff-survey-codes", {"survey_id": str(issued.survey_id), "codes": list(issued.codes)})
                return redirect(url_for("portal.staff_survey_codes", survey_id=issued.survey_id))
    status = 400 if form.is_submitted() else 200
    return page("portal/new_staff_survey.html", status, form=form, problems=problems(form), min_cell=min_cell)


@blueprint.route("/staff-surveys/<uuid:survey_id>/codes")
@signed_in_member
def staff_survey_codes(survey_id: UUID):  # type: ignore[no-untyped-def]
    survey = _own(survey_id)
    held = take("staff-survey-codes", survey_id=survey_id)
    address = url_for("survey.enter_code", _external=True)
    codes = held["codes"] if held else None
    return no_store(page("portal/staff_survey_codes.html", survey=survey, codes=codes, address=address))


@blueprint.route("/staff-surveys/<uuid:survey_id>")
@signed_in_member
def staff_survey(survey_id: UUID):  # type: ignore[no-untyped-def]
    return _survey_page(_own(survey_id))


def _survey_page(survey: dict, status: int = 200, form: ActionForm | None = None):  # type: ignore[no-untyped-def]
    min_cell = services().trust.live_rule("min-cell-size").value
    return page("portal/staff_survey.html", status, survey=survey, action=form or ActionForm(), min_cell=min_cell)


@blueprint.route("/staff-surveys/<uuid:survey_id>/close", methods=["POST"])
@signed_in_member
def close_staff_survey(survey_id: UUID):  # type: ignore[no-untyped-def]
    survey, form = _own(survey_id), ActionForm()
    if form.validate_on_submit():
        try:
            services().trust.close_staff_survey(survey_id, survey["member_id"], PORTAL_ACTOR)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("The survey is closed. The codes not used no longer work.", "success")
            return redirect(url_for("portal.staff_survey", survey_id=survey_id))
    return _survey_page(survey, 400, form)
