"""The forms of the co-op's surplus: a trustee records a year's surplus, the uses members chose
by a split ballot, and the dividend rule a passed vote chose."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from adapters.web.forms import options, reference_field
from adapters.web.insight_forms import is_amount


class SurplusForm(FlaskForm):
    year = IntegerField(
        "Year",
        validators=[InputRequired("Enter the year, e.g. 2025."), NumberRange(2000, 9999, "Enter a year such as 2025.")],
        description="A year that has ended.",
    )
    amount = StringField(
        "Surplus (pounds)",
        validators=[DataRequired("Enter the surplus."), is_amount],
        description="What is left of the year's income, as the accounts show it; no more than the income recorded.",
    )
    evidence_ref = reference_field("Evidence reference", description="The year's accounts, e.g. ACC-2025.")


def uses_form(proposals: list[dict]) -> FlaskForm:
    class UsesForm(FlaskForm):
        proposal_id = SelectField(
            "The split ballot members voted on",
            choices=options((str(p["proposal_id"]), p["title"]) for p in proposals),
            validators=[InputRequired("Choose the split ballot.")],
        )
        dividend_use = StringField(
            "The use paid to members as dividends",
            default="Dividends",
            validators=[Optional(), Length(max=60)],
            description="As the ballot names it; leave it empty if members chose no dividends.",
        )
        projects = TextAreaField(
            "Community projects a member may give their dividend to, one a line",
            validators=[Length(max=1000)],
            description="The projects members chose, e.g. by a vote among those members proposed.",
        )

    return UsesForm()


def dividend_rule_form(proposals: list[dict]) -> FlaskForm:
    class DividendRuleForm(FlaskForm):
        proposal_id = SelectField(
            "The vote that chose the rule (it must have passed)",
            choices=options((str(p["proposal_id"]), p["title"]) for p in proposals),
            validators=[InputRequired("Choose the vote.")],
        )
        equal_percent = IntegerField(
            "Shared in equal parts (%)", default=100, validators=[InputRequired("Enter a whole percentage.")]
        )
        participation_percent = IntegerField(
            "Shared by participation: community panels answered in the year (%)",
            default=0,
            validators=[InputRequired("Enter a whole percentage.")],
            description="The two must add up to 100%.",
        )

    return DividendRuleForm()
