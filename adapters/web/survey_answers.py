"""The page where a member of a business's staff answers its survey: no sign-in, just the one-time
code from their slip. The code is checked first (nothing is used up), then the questions are shown
with the code carried along; sending the answers uses the code up. A used, unknown or closed code,
or a bad answer, is refused with a sentence and records nothing. Pages carrying a code are not kept
by the browser's cache."""

from flask import Blueprint, redirect, request, url_for

from adapters.web.insight_forms import given_answers
from adapters.web.one_time import no_store
from adapters.web.pages import page, services
from adapters.web.survey_forms import CodeForm, answer_form
from domain.insight.disclosure.release import Question
from domain.kernel.errors import TrustError

blueprint = Blueprint("survey", __name__, url_prefix="/survey")


def _questions(asked: tuple[Question, ...]) -> list[dict]:
    return [dict(code=q.code, kind=q.kind, text=q.text, options=list(q.options)) for q in asked]


def _code_page(form: CodeForm, status: int = 200):  # type: ignore[no-untyped-def]
    return no_store(page("survey/code.html", status, form=form))


@blueprint.route("", methods=["GET", "POST"])
def enter_code():  # type: ignore[no-untyped-def]
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(form, 400 if form.is_submitted() else 200)
    try:
        survey = services().trust.survey_for_code(form.code.data)
    except TrustError as error:
        form.code.errors = [str(error)]
        return _code_page(form, 400)
    questions = _questions(survey.questions)
    answers = answer_form(questions, formdata=None)
    answers.code.data = form.code.data
    return no_store(page("survey/answer.html", title=survey.title, questions=questions, form=answers))


@blueprint.route("/answers", methods=["POST"])
def answer():  # type: ignore[no-untyped-def]
    trust, code = services().trust, (request.form.get("code") or "")[:40]
    try:
        survey = trust.survey_for_code(code)
    except TrustError as error:
        form = CodeForm(formdata=None)
        form.code.errors = [str(error)]
        return _code_page(form, 400)
    questions = _questions(survey.questions)
    form = answer_form(questions, formdata=request.form)
    if form.validate_on_submit():
        answers = given_answers(form, questions)
        if not answers:
            form.form_errors.append("Answer at least one question, then send your answers.")
        else:
            try:
                trust.answer_staff_survey(code, answers)
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                return redirect(url_for("survey.thanks"))
    return no_store(page("survey/answer.html", 400, title=survey.title, questions=questions, form=form))


@blueprint.route("/thanks")
def thanks():  # type: ignore[no-untyped-def]
    return page("survey/thanks.html")
