"""In the portal, a member sees their dividend from the co-op's surplus, year by year, and may give
a year's dividend to one of that year's community projects instead of taking it: recorded as by
themself, via the portal, as the chat's /mydata does. Once given it cannot be taken back (the domain
refuses a second gift), so the form asks them to confirm, on the server, without JavaScript."""

from flask import abort, flash, g, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import DataRequired, InputRequired

from adapters.conversation.dividend_replies import pounds
from adapters.web.forms import options
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from domain.kernel.errors import TrustError
from domain.portal.commands import PORTAL_ACTOR


def _rows() -> list[dict]:
    rows = services().views.dividends_of(g.member["member_id"])
    for row in rows:
        row["amount"] = pounds(row["amount_pence"])
    return rows


@blueprint.route("/dividends")
@signed_in_member
def dividends():  # type: ignore[no-untyped-def]
    return page("portal/dividends.html", rows=_rows())


@blueprint.route("/dividends/<int:year>/give", methods=["GET", "POST"])
@signed_in_member
def give_dividend(year: int):  # type: ignore[no-untyped-def]
    row = next((r for r in _rows() if r["year"] == year), None)
    if row is None:
        abort(404)
    if row["given_to"] or not row["projects"]:
        given = f"It already goes to {row['given_to']}" if row["given_to"] else "There is no community project for it"
        flash(f"Your {year} dividend cannot be given: {given}. Nothing was changed.", "error")
        return redirect(url_for("portal.dividends"))

    class GiveForm(FlaskForm):
        project = RadioField(
            "Which community project",
            choices=options((p, p) for p in row["projects"]),
            validators=[InputRequired("Choose a community project.")],
        )
        confirm = BooleanField(
            f"I give my {year} dividend of {row['amount']} to this project; I understand it cannot be taken back",
            validators=[DataRequired("Nothing was given: tick the box to confirm.")],
        )

    form = GiveForm()
    if form.validate_on_submit():
        project = form.project.data
        try:
            services().trust.give_dividend(year, g.member["member_id"], project, PORTAL_ACTOR, "portal")
        except TrustError as error:
            form.form_errors.append(f"Nothing was recorded: {error}")
        else:
            flash(f"Thank you: your {year} dividend of {row['amount']} goes to {project}.", "success")
            return redirect(url_for("portal.dividends"))
    return page("portal/give_dividend.html", 400 if form.is_submitted() else 200, form=form, row=row)
