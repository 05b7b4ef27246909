"""The forms for proposals: a trustee opens one; a caseworker records a signed paper ballot."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from adapters.web.forms import options, reference_field
from adapters.web.timefields import moment
from domain.kernel.errors import TrustError

POLL, DECISION, RULE_CHANGE, SPLIT = "poll", "decision", "rule", "split"
KINDS = [
    (POLL, "An advisory poll: the result is simply the tally"),
    (DECISION, "A decision: it passes if the quorum is met and the first option gets the share needed"),
    (RULE_CHANGE, "A rule change: if it passes (as a decision), the rule takes the new value"),
    (SPLIT, "A split ballot: each member shares 100% across the options (e.g. the uses of a surplus)"),
]


class OptionalInteger(IntegerField):
    """A whole number, or nothing when left blank."""

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def closing_time(form, field) -> None:  # type: ignore[no-untyped-def]
    try:
        field.moment = moment(field.data)
    except TrustError as error:
        raise ValidationError(str(error)) from None
    if field.moment is None:
        raise ValidationError("Enter when voting closes.")


def option_lines(form, field) -> None:  # type: ignore[no-untyped-def]
    field.options = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
    if not 2 <= len(field.options) <= 8:
        raise ValidationError("Give 2 to 8 options, one a line.")


def proposal_form(rules: list) -> FlaskForm:  # type: ignore[type-arg]
    class OpenProposalForm(FlaskForm):
        title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=150)])
        text = TextAreaField(
            "What members are asked, in plain language",
            validators=[DataRequired("Enter the proposal's text."), Length(max=3000)],
            description="Members read this in the chat before they vote.",
        )
        choices = TextAreaField(
            "Options, one a line",
            validators=[option_lines],
            default="For\nAgainst",
            description="2 to 8 options, e.g. For and Against. The first is the one that passes a decision.",
        )
        closes = StringField(
            "Voting closes",
            validators=[closing_time],
            description="Date and time, e.g. 2026-03-09 17:00 (UK time unless a zone is given).",
            render_kw={"type": "datetime-local"},
        )
        quorum_percent = IntegerField(
            "Quorum: share of eligible members who must vote (%)",
            default=25,
            validators=[InputRequired("Enter the quorum."), NumberRange(0, 100, "Use a whole number from 0 to 100.")],
        )
        pass_percent = IntegerField(
            "Share of votes cast the first option needs to pass (%)",
            default=50,
            validators=[
                InputRequired("Enter the share needed to pass."),
                NumberRange(0, 100, "Use a whole number from 0 to 100."),
            ],
        )
        kind = RadioField("What the vote decides", choices=options(KINDS), default=POLL)
        rule_code = SelectField("Rule to change", choices=options((r.code, r.title) for r in rules))
        rule_value = OptionalInteger("The rule's new value", description="Only for a rule change.")

        def validate_rule_value(self, field) -> None:  # type: ignore[no-untyped-def]
            if self.kind.data == RULE_CHANGE and field.data is None:
                raise ValidationError("Enter the rule's new value.")

    return OpenProposalForm()


def paper_ballot_form(choices: list[str]) -> FlaskForm:
    class PaperBallotForm(FlaskForm):
        option = RadioField(
            "The member's choice, as marked on the signed ballot",
            choices=options((str(n), text) for n, text in enumerate(choices)),
            validators=[InputRequired("Choose the option marked on the ballot.")],
        )
        ballot_ref = reference_field("Signed ballot reference", description="The number on the ballot, e.g. BAL-1042.")

    return PaperBallotForm()


def paper_split_form(choices: list[str]) -> FlaskForm:
    """A split ballot on paper: the share the member gave each option, in whole percents."""

    class PaperSplitForm(FlaskForm):
        ballot_ref = reference_field("Signed ballot reference", description="The number on the ballot, e.g. BAL-1042.")

        @property
        def shares(self) -> list[int]:
            return [self[f"share_{n}"].data for n in range(len(choices))]

        @property
        def share_fields(self) -> list:  # type: ignore[type-arg]
            return [self[f"share_{n}"] for n in range(len(choices))]

    for number, text in enumerate(choices):
        setattr(
            PaperSplitForm,
            f"share_{number}",
            IntegerField(
                f"{text} (%)",
                validators=[InputRequired("Enter the share marked on the ballot."), NumberRange(0, 100)],
            ),
        )
    return PaperSplitForm()
