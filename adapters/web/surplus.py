"""The co-op's surplus on the web (trustees): record a year's surplus, the uses members chose
by a split ballot and the dividend rule a vote chose; download the treasurer's payment list
(reference code, amount, paid to the member or given to a project: nothing more). Opening the
list is a staff read of each member on it, recorded before it is sent."""

from uuid import UUID

from flask import Blueprint, flash, redirect, url_for

from adapters.web.audit import csv_download
from adapters.web.auth import requires
from adapters.web.insight_forms import pence
from adapters.web.pages import acting_as, page, services
from adapters.web.staff_reads import record_reads
from adapters.web.surplus_forms import SurplusForm, dividend_rule_form, uses_form
from domain.kernel.errors import TrustError

blueprint = Blueprint("surplus", __name__, url_prefix="/trustee/surplus")
PAYMENT_COLUMNS = ["reference_code", "amount", "pay_to"]


@blueprint.route("", methods=["GET", "POST"])
@requires("trustee")
def index():  # type: ignore[no-untyped-def]
    svc = services()
    form = SurplusForm()
    if form.validate_on_submit():
        try:
            amount = pence(form.amount.data)
            svc.trust.record_surplus(form.year.data, amount, form.evidence_ref.data, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"The surplus of {form.year.data} is recorded. Members decide its uses by a split ballot.", "success")
            return redirect(url_for("surplus.year", year=form.year.data))
    status = 400 if form.is_submitted() else 200
    return page("surplus/index.html", status, form=form, surpluses=svc.views.surpluses())


def _closed(split: bool | None = None) -> list[dict]:
    trust = services().trust
    closed = [p for p in services().views.proposals() if p["status"] == "closed"]
    return [p for p in closed if split is None or trust.proposal_outcome(p["proposal_id"]).split == split]


def _year_page(year: int, status: int = 200, uses=None, rule=None):  # type: ignore[no-untyped-def]
    """The year's surplus and the forms of its next step (a year with none recorded says so)."""
    surplus = services().views.surplus_of(year)
    uses = uses or uses_form(_closed(split=True))
    rule = rule or dividend_rule_form(_closed(split=False))
    return page("surplus/year.html", status, year=year, surplus=surplus, uses_form=uses, rule_form=rule)


@blueprint.route("/<int:year>")
@requires("trustee")
def year(year: int):  # type: ignore[no-untyped-def]
    return _year_page(year)


@blueprint.route("/<int:year>/uses", methods=["POST"])
@requires("trustee")
def uses(year: int):  # type: ignore[no-untyped-def]
    svc = services()
    form = uses_form(_closed(split=True))
    if form.validate_on_submit():
        proposal_id = UUID(form.proposal_id.data)
        named = (form.dividend_use.data or "").strip()
        choices = [option.casefold() for option in svc.trust.proposal_outcome(proposal_id).options]
        if named and named.casefold() not in choices:
            form.dividend_use.errors.append(f"“{named}” is not one of the ballot's uses.")
        else:
            dividend_use = choices.index(named.casefold()) if named else None
            projects = [line for line in (form.projects.data or "").splitlines() if line.strip()]
            try:
                svc.trust.decide_surplus_uses(year, proposal_id, dividend_use, projects, acting_as("trustee"))
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                flash("The uses members chose are recorded.", "success")
                return redirect(url_for("surplus.year", year=year))
    return _year_page(year, 400, uses=form)


@blueprint.route("/<int:year>/dividends", methods=["POST"])
@requires("trustee")
def dividends(year: int):  # type: ignore[no-untyped-def]
    svc = services()
    form = dividend_rule_form(_closed(split=False))
    if form.validate_on_submit():
        try:
            svc.trust.share_dividends(
                year,
                form.equal_percent.data,
                form.participation_percent.data,
                UUID(form.proposal_id.data),
                acting_as("trustee"),
            )
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Each member's dividend is recorded. Members see theirs in the chat's /mydata.", "success")
            return redirect(url_for("surplus.year", year=year))
    return _year_page(year, 400, rule=form)


@blueprint.route("/<int:year>/payments.csv")
@requires("trustee")
def payments(year: int):  # type: ignore[no-untyped-def]
    svc = services()
    lines = svc.views.payment_list(year)  # none before the dividends are shared
    record_reads([line["member_id"] for line in lines], "dividend-payments", role="trustee")
    rows = [
        dict(
            reference_code=line["reference_code"],
            amount=f"{line['amount_pence'] // 100}.{line['amount_pence'] % 100:02d}",
            pay_to="member" if line["given_to"] is None else f"community project: {line['given_to']}",
        )
        for line in lines
    ]
    return csv_download(rows, PAYMENT_COLUMNS, f"dividends-{year}")
