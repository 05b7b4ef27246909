"""Forms for insight requests and community panels, and their translation into
the trust's value types (questions, panel criteria, pence, closing time).

A request arrives either as the organisation's web form or as API JSON; both are
turned into one plain draft (``Draft``) first, and the draft into the domain's
arguments, so the two ways in accept exactly the same requests. Shape is checked
here; the trust's own rules (quotas, breakdowns, purposes) by the domain."""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from adapters.web.forms import Checkboxes, options, reference_field
from adapters.web.timefields import moment
from domain.insight.disclosure.release import Question
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.catalogue import Catalogue
from domain.kernel.errors import InvalidRequest, InvalidTime

KINDS = [
    ("single", "One answer from a list"),
    ("multiple", "Any answers from a list"),
    ("scale", "A point on a scale"),
    ("text", "Free text"),
]
DECISIONS = [
    ("approve", "Approve: the panel may be drawn"),
    ("changes", "Ask the organisation for changes"),
    ("reject", "Reject"),
]
ZONES = [("Europe/London", "UK time"), ("UTC", "UTC")]
MAX_QUESTIONS, QUOTA_ROWS = 5, 6
POUNDS = re.compile(r"^£?\s*(\d{1,7})(?:\.(\d{1,2}))?$")
STATUSES = ("submitted", "changes-requested", "approved", "rejected", "panel-drawn", "closed")


def pence(text: str | None) -> int:
    """'12.5' -> 1250: pounds typed by a person, read exactly (never through a float)."""
    found = POUNDS.match((text or "").strip().replace(",", ""))
    if not found:
        raise InvalidRequest("Write the amount in pounds, e.g. 250 or 250.00.")
    whole, fraction = found.groups()
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def pounds(amount_pence: int | None) -> str:
    return f"£{(amount_pence or 0) // 100:,}.{(amount_pence or 0) % 100:02d}"


def closing_time(text: str | None, zone: str) -> datetime:
    """A typed closing time, in the zone chosen unless the text names its own."""
    at = moment(text)  # refuses what is not a date and time (InvalidTime)
    if at is None:
        raise InvalidTime("Enter when the panel closes, e.g. 2026-04-01 17:00.")
    typed = datetime.fromisoformat(" ".join((text or "").split()).replace(" ", "T", 1))
    if typed.tzinfo is None and zone in dict(ZONES):
        at = typed.replace(tzinfo=ZoneInfo(zone))
    return at


def option_lines(kind: str, text: str | None) -> tuple[str, ...]:
    """Options one per line; for a scale, its points one per line or just the number of points."""
    lines = tuple(line.strip() for line in (text or "").splitlines() if line.strip())
    if kind == "scale" and len(lines) == 1 and lines[0].isdigit() and 2 <= int(lines[0]) <= 11:
        return tuple(str(point) for point in range(1, int(lines[0]) + 1))
    return () if kind == "text" else lines


@dataclass(frozen=True)
class Draft:
    """An insight request as typed or sent, before the trust's rules."""

    title: str
    purpose: str
    questions: tuple[Question, ...]
    criteria: PanelCriteria
    fee_offered_pence: int
    closes_at: datetime

    def revision(self) -> dict:
        return dict(
            title=self.title,
            questions=self.questions,
            criteria=self.criteria,
            fee_offered_pence=self.fee_offered_pence,
            closes_at=self.closes_at,
        )


def questions_of(rows: list[dict]) -> tuple[Question, ...]:
    return tuple(
        Question(f"q{number}", row["kind"], row["text"], tuple(row["options"]))
        for number, row in enumerate(rows, start=1)
    )


def criteria_of(size: int, quotas: list[dict], breakdown: list[str], one_per_household: bool = True) -> PanelCriteria:
    return PanelCriteria(
        size,
        tuple(Quota(q["attribute"], q["value"], q["minimum"], q["maximum"]) for q in quotas),
        tuple(breakdown),
        one_per_household,
    )


# The organisation's forms


class PortalSignInForm(FlaskForm):
    token = PasswordField(
        "Your organisation's API token",
        validators=[DataRequired("Paste the API token the trustees gave you."), Length(max=200)],
        description="The same secret your systems use for the API. It is not kept in the browser.",
    )


class QuestionRow(Form):
    text = StringField("Question", validators=[Optional(), Length(max=500)])
    # Checked only for the questions asked (see draft_from_form): a blank row may send nothing.
    kind = SelectField("Kind of answer", choices=options(KINDS), default="single", validate_choice=False)
    options = TextAreaField(
        "Options",
        validators=[Optional(), Length(max=2000)],
        description="One per line. For a scale, its points one per line, or just how many (e.g. 5).",
    )


def quota_row(catalogue: Catalogue) -> type[Form]:
    class QuotaRow(Form):
        attribute = SelectField(
            "Profile question",
            choices=options([("", "(no quota)"), *((c, c) for c in catalogue.profile)]),
            default="",
            validate_choice=False,  # checked for the rows filled in (see draft_from_form)
        )
        value = StringField("Answer", validators=[Optional(), Length(max=40)])
        minimum = IntegerField("At least", validators=[Optional(), NumberRange(0, 10000, "Use 0 to 10,000.")])
        maximum = IntegerField("At most", validators=[Optional(), NumberRange(0, 10000, "Use 0 to 10,000.")])

    return QuotaRow


def request_form(catalogue: Catalogue, formdata=None, **data) -> FlaskForm:  # type: ignore[no-untyped-def]
    panel_purposes = [(c, p.title) for c, p in catalogue.purposes.items() if getattr(p, "panels", False)]

    class InsightRequestForm(FlaskForm):
        title = StringField("Title", validators=[DataRequired("Give the request a title."), Length(max=200)])
        purpose = SelectField("Purpose", choices=options(panel_purposes))
        questions = FieldList(FormField(QuestionRow), min_entries=MAX_QUESTIONS, max_entries=MAX_QUESTIONS)
        size = IntegerField(
            "Panel size",
            validators=[InputRequired("Say how many members to invite."), NumberRange(1, 10000, "Use 1 to 10,000.")],
        )
        quotas = FieldList(FormField(quota_row(catalogue)), min_entries=QUOTA_ROWS, max_entries=QUOTA_ROWS)
        breakdown = Checkboxes("Break the results down by", choices=options((c, c) for c in catalogue.profile))
        one_per_household = BooleanField(
            "At most one member of a household on the panel",
            default=True,
            description="So that one home is not heard twice (households as the trust's caseworkers record them).",
        )
        fee = StringField(
            "Fee offered (pounds)",
            validators=[DataRequired("Enter the fee offered, in pounds (0 if none).")],
            description="e.g. 250 or 250.00",
        )
        closes_at = StringField(
            "Closes at",
            validators=[DataRequired("Enter when the panel closes."), Length(max=40)],
            description="Date and time, e.g. 2026-04-01 17:00.",
            render_kw={"type": "datetime-local"},
        )
        zone = SelectField("Time zone", choices=options(ZONES), default="Europe/London")

    if formdata is not None:
        return InsightRequestForm(formdata=formdata)
    return InsightRequestForm(data=data) if data else InsightRequestForm()


def _add(field, message: str) -> None:  # type: ignore[no-untyped-def]
    field.errors = [*field.errors, message]


def problems(form) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    """Every error of the form, rows of questions and quotas included: (field id, message)."""
    found: list[tuple[str | None, str]] = [(None, message) for message in form.form_errors]

    def walk(fields) -> None:  # type: ignore[no-untyped-def]
        for field in fields:
            if isinstance(field, FieldList):
                for entry in field.entries:
                    walk(entry.form)
            elif isinstance(field, FormField):
                walk(field.form)
            else:
                found.extend((field.id, message) for message in field.errors)

    walk(form)
    return found


def asked_rows(questions) -> list[dict]:  # type: ignore[no-untyped-def]
    """The question rows filled in (a FieldList of QuestionRow), as plain rows; each problem beside its field."""
    rows: list[dict] = []
    for entry in questions:
        sub = entry.form
        if not (sub.text.data or "").strip():
            if (sub.options.data or "").strip():
                _add(sub.text, "Write the question, or clear its options.")
            continue
        if sub.kind.data not in dict(KINDS):
            _add(sub.kind, "Choose the kind of answer from the list.")
            continue
        rows.append(
            {
                "kind": sub.kind.data,
                "text": sub.text.data.strip(),
                "options": option_lines(sub.kind.data, sub.options.data),
            }
        )
    if not rows:
        _add(questions[0].form.text, "Ask at least one question.")
    return rows


def draft_from_form(form, valid: bool) -> Draft | None:  # type: ignore[no-untyped-def]
    """The draft, or None with each problem beside its field (``valid``: the form's own checks passed)."""
    rows = asked_rows(form.questions)
    quotas: list[dict] = []
    for entry in form.quotas:
        sub = entry.form
        blank = not sub.attribute.data and not (sub.value.data or "").strip()
        blank = blank and sub.minimum.data is None and sub.maximum.data is None
        if blank:
            continue
        if sub.attribute.data not in {choice.value for choice in sub.attribute.choices if choice.value}:
            _add(sub.attribute, "Choose the profile question from the list, or clear the row.")
        if not (sub.value.data or "").strip():
            _add(sub.value, "Write the answer the quota counts, e.g. 65-74.")
        if sub.minimum.data is None and not sub.minimum.errors:
            _add(sub.minimum, "Enter the least number (0 for none).")
        if sub.maximum.data is None and not sub.maximum.errors:
            _add(sub.maximum, "Enter the greatest number.")
        if not problems(sub) and None not in (sub.minimum.data, sub.maximum.data):
            quotas.append(
                {
                    "attribute": sub.attribute.data,
                    "value": sub.value.data.strip(),
                    "minimum": sub.minimum.data,
                    "maximum": sub.maximum.data,
                }
            )
    fee = closes = None
    try:
        fee = pence(form.fee.data)
    except InvalidRequest as error:
        _add(form.fee, str(error))
    try:
        closes = closing_time(form.closes_at.data, form.zone.data)
    except InvalidTime as error:
        _add(form.closes_at, str(error))
    if not valid or problems(form) or fee is None or closes is None or not rows:
        return None
    return Draft(
        title=form.title.data,
        purpose=form.purpose.data,
        questions=questions_of(rows),
        criteria=criteria_of(form.size.data, quotas, form.breakdown.data or [], bool(form.one_per_household.data)),
        fee_offered_pence=fee,
        closes_at=closes,
    )


def form_data_of(request: dict) -> dict:
    """A recorded request, as the form's starting values (for a revision)."""
    questions = [
        {"text": q["text"], "kind": q["kind"], "options": "\n".join(q.get("options") or ())}
        for q in request["questions"]
    ]
    criteria = request["criteria"]
    return {
        "title": request["title"],
        "purpose": request["purpose"],
        "questions": questions,
        "size": criteria["size"],
        "quotas": list(criteria["quotas"]),
        "breakdown": list(criteria["breakdown"]),
        "one_per_household": criteria.get("one_per_household", False),
        "fee": pounds(request["fee_offered_pence"]).lstrip("£").replace(",", ""),
        "closes_at": request["closes_at"].astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M"),
        "zone": "Europe/London",
    }


# Trustees' forms


class ReviewForm(FlaskForm):
    decision = RadioField("Decision", choices=options(DECISIONS), validators=[InputRequired("Choose a decision.")])
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give the reason: the organisation sees it."), Length(max=2000)],
        description="Shown to the organisation. Do not include members' personal data.",
    )


def is_amount(form, field) -> None:  # type: ignore[no-untyped-def]
    try:
        if pence(field.data) <= 0:
            raise ValidationError("The amount must be more than £0.")
    except InvalidRequest as error:
        raise ValidationError(str(error)) from None


class PaymentForm(FlaskForm):
    amount = StringField("Amount received (pounds)", validators=[DataRequired("Enter the amount."), is_amount])
    reference = reference_field("Payment reference", description="The bank or invoice reference, e.g. INV-2026-14.")


class NearestQuotasForm(FlaskForm):
    """Accepting the nearest quotas shown: the proposal as shown, which the trust checks is still the nearest."""

    proposal = HiddenField(
        validators=[DataRequired("The proposal is missing; draw again to see it."), Length(max=4000)]
    )


def free_text_form(texts: dict[str, list[str]], formdata=None) -> FlaskForm:  # type: ignore[no-untyped-def]
    """One textarea per text answer (to redact or edit) and a box to leave it out."""

    class FreeTextForm(FlaskForm):
        pass

    for code, answers in texts.items():
        for number, answer in enumerate(answers):
            setattr(
                FreeTextForm,
                f"text_{code}_{number}",
                TextAreaField(f"Answer {number + 1}", default=answer, validators=[Length(max=1000)]),
            )
            setattr(FreeTextForm, f"leave_{code}_{number}", BooleanField(f"Leave answer {number + 1} out"))
    return FreeTextForm(formdata=formdata) if formdata is not None else FreeTextForm()


def released_texts(form, texts: dict[str, list[str]]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    chosen: dict[str, list[str]] = {}
    for code, answers in texts.items():
        chosen[code] = [
            (form[f"text_{code}_{n}"].data or "").strip()
            for n in range(len(answers))
            if not form[f"leave_{code}_{n}"].data and (form[f"text_{code}_{n}"].data or "").strip()
        ]
    return chosen


# The caseworker's paper answers


def paper_answer_form(questions: list[dict], formdata=None) -> FlaskForm:  # type: ignore[no-untyped-def]
    class PaperAnswerForm(FlaskForm):
        evidence_ref = reference_field("Paper form reference", description="The number printed on the form.")

    for q in questions:
        setattr(PaperAnswerForm, f"answer_{q['code']}", answer_field(q))
    return PaperAnswerForm(formdata=formdata) if formdata is not None else PaperAnswerForm()


def answer_field(q: dict):  # type: ignore[no-untyped-def]
    """The field that asks one question (``answer_<code>`` on a form): radios, checkboxes or a text box."""
    label, choices = q["text"], options((o, o) for o in q.get("options") or ())
    if q["kind"] == "multiple":
        return Checkboxes(label, choices=choices)
    if q["kind"] in ("single", "scale"):
        return RadioField(label, choices=choices, validators=[Optional()])
    return TextAreaField(label, validators=[Optional(), Length(max=1000)])


def paper_answers(form, questions: list[dict]) -> dict:  # type: ignore[no-untyped-def]
    """The answers written on the form (questions left blank are left out)."""
    answers = given_answers(form, questions)
    if not answers:
        form.form_errors.append("Enter at least one answer from the paper form.")
    return answers


def given_answers(form, questions: list[dict]) -> dict:  # type: ignore[no-untyped-def]
    """The answers given on a form of ``answer_field``s (questions left blank are left out)."""
    answers: dict = {}
    for q in questions:
        value = form[f"answer_{q['code']}"].data
        if q["kind"] == "multiple":
            if value:
                answers[q["code"]] = list(value)
        elif value and str(value).strip():
            answers[q["code"]] = str(value).strip()
    return answers
