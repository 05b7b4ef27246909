"""Trustee pages for staff surveys: the closed surveys whose free text waits for review, and the
review itself (edit out anything that could identify someone, or leave an answer out), with the
insight requests' review form. The texts are shown sorted, never in the order they were given."""

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, request, url_for

from adapters.web.auth import requires
from adapters.web.insight_forms import free_text_form, released_texts
from adapters.web.pages import acting_as, page, services
from domain.kernel.errors import TrustError

blueprint = Blueprint("survey_review", __name__, url_prefix="/trustee/staff-surveys")


@blueprint.route("")
@requires("trustee")
def waiting():  # type: ignore[no-untyped-def]
    return page("survey/review_list.html", surveys=services().views.staff_surveys_to_review())


@blueprint.route("/<uuid:survey_id>/free-text", methods=["GET", "POST"])
@requires("trustee")
def free_text(survey_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    survey = svc.views.staff_survey(survey_id)
    if survey is None:
        abort(404)
    try:
        texts = svc.trust.staff_survey_free_text(survey_id)
    except TrustError as error:  # not closed yet: the trust's sentence, and no form
        status = 400 if request.method == "POST" else 200
        return page("survey/review.html", status, survey=survey, texts={}, form=None, problem=str(error))
    if not texts:
        problem = (
            "This survey asks no free-text questions."
            if not survey["has_free_text"]
            else "Fewer staff answered than the minimum cell size, so none of their free text may be released."
        )
        return page(
            "survey/review.html",
            400 if request.method == "POST" else 200,
            survey=survey,
            texts={},
            form=None,
            problem=problem,
        )
    form = free_text_form(texts)
    if form.validate_on_submit():
        try:
            svc.trust.release_staff_survey_free_text(survey_id, released_texts(form, texts), acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Free text released to the business.", "success")
            return redirect(url_for("survey_review.waiting"))
    status = 400 if form.is_submitted() else 200
    return page("survey/review.html", status, survey=survey, texts=texts, form=form, problem=None)
