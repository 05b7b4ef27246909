"""The organisation portal's form for publishing a fund: its amounts in pounds, its closing date in UK
time, and its criteria as the data standard's sectors and legal forms, postcode areas typed as letters,
and size bands; checked for shape here, the trust's rules (criteria, the minimum cell size) by the domain."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from adapters.web.forms import Checkboxes, options
from adapters.web.insight_forms import closing_time, pence
from domain.funds.criteria import SIZES
from domain.kernel.catalogue import Catalogue
from domain.reports.figures import size_words


def fund_form(catalogue: Catalogue) -> FlaskForm:
    profile = catalogue.standard.schema("organisation-profile").fields
    sector, legal_form = profile["sector"], profile["legal-form"]

    class FundForm(FlaskForm):
        title = StringField("Title", validators=[InputRequired("Give the fund a title."), Length(max=200)])
        amount_min = StringField("Smallest award, in pounds", validators=[InputRequired("Give the smallest award.")])
        amount_max = StringField("Largest award, in pounds", validators=[InputRequired("Give the largest award.")])
        closes_at = StringField(
            "Closes (UK time)",
            description="For example 2026-04-30 17:00.",
            validators=[InputRequired("Give the closing date and time.")],
        )
        sectors = Checkboxes(
            "Sectors",
            choices=options((code, sector.choice_label(code)) for code in sector.choices),
            description="None ticked: any sector.",
        )
        areas = StringField(
            "Postcode areas", description="The letters of each area, separated by commas (e.g. CA, LA); empty: any."
        )
        legal_forms = Checkboxes(
            "Legal forms",
            choices=options((code, legal_form.choice_label(code)) for code in legal_form.choices),
            description="None ticked: any legal form.",
        )
        sizes = Checkboxes(
            "Size", choices=options((code, size_words(code)) for code in SIZES), description="None ticked: any size."
        )

    return FundForm()


def fund_of(form) -> tuple[str, int, int, dict, datetime]:  # type: ignore[no-untyped-def]
    """The fund as typed: (title, smallest and largest award in pence, criteria, closing time);
    a sentence (InvalidRequest, InvalidTime) for an amount or a time that cannot be read."""
    criteria = {
        "sectors": list(form.sectors.data or []),
        "areas": [area.strip() for area in (form.areas.data or "").split(",") if area.strip()],
        "legal_forms": list(form.legal_forms.data or []),
        "sizes": list(form.sizes.data or []),
    }
    low, high = pence(form.amount_min.data), pence(form.amount_max.data)
    return form.title.data, low, high, criteria, closing_time(form.closes_at.data, "Europe/London")
