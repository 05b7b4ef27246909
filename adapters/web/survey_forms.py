"""Forms of staff surveys: the business's new survey (the insight question rows and how many codes),
a member of staff's code, and their answers (the insight answer fields)."""

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from adapters.web.insight_forms import MAX_QUESTIONS, QuestionRow, answer_field, asked_rows, questions_of
from domain.insight.disclosure.release import Question

CODE_HINT = "It is on the slip you were given, e.g. ABCD-EFGH-JKMN. Capitals, spaces and dashes do not matter."


class StaffSurveyForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the survey a title."), Length(max=200)],
        description="Your staff see it above the questions, e.g. How is work going?",
    )
    questions = FieldList(FormField(QuestionRow), min_entries=MAX_QUESTIONS, max_entries=MAX_QUESTIONS)
    codes = IntegerField(
        "How many staff codes do you need?",
        validators=[InputRequired("Say how many staff codes you need."), NumberRange(0, 100000, "Use a whole number.")],
        description="One for each member of staff you will ask. Each code can be used once.",
    )


def survey_questions(form: StaffSurveyForm) -> tuple[Question, ...] | None:
    """The questions asked, or None with each problem beside its row."""
    rows = asked_rows(form.questions)
    return questions_of(rows) if rows else None


class CodeForm(FlaskForm):
    code = StringField(
        "Your code",
        validators=[DataRequired("Enter the code from your slip."), Length(max=40, message=CODE_HINT)],
        description=CODE_HINT,
    )


def answer_form(questions: list[dict], formdata=None) -> FlaskForm:  # type: ignore[no-untyped-def]
    """The survey's questions, with the code carried along (it is used only when the answers are sent)."""

    class SurveyAnswerForm(FlaskForm):
        code = HiddenField(validators=[DataRequired(), Length(max=40)])

    for q in questions:
        setattr(SurveyAnswerForm, f"answer_{q['code']}", answer_field(q))
    return SurveyAnswerForm(formdata=formdata) if formdata is not None else SurveyAnswerForm()
