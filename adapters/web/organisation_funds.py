"""Funds in the organisation portal: an approved funder, social lender or social investor publishes
one and sees, for each, how many members were told (withheld below the minimum cell size) and the
members who chose to share their application pack with it (read with the API's pack endpoint)."""

from flask import flash, g, redirect, url_for

from adapters.web.fund_api import shown
from adapters.web.fund_forms import fund_form, fund_of
from adapters.web.organisation_portal import acting, blueprint, signed_in_organisation
from adapters.web.pages import page, services
from adapters.web.portal_funds_words import amounts
from domain.kernel.errors import TrustError


@blueprint.route("/funds")
@signed_in_organisation
def funds():  # type: ignore[no-untyped-def]
    svc = services()
    least, now = svc.trust.live_rule("min-cell-size").value, svc.clock()
    mine = []
    for found in svc.views.funds(organisation_id=g.organisation["organisation_id"]):
        detail = svc.views.fund(found["id"], now)
        mine.append({**shown(detail, least), "amounts": amounts(found), "closes": found["closes_at"]})  # type: ignore[arg-type]
    return page("organisation/funds.html", funds=mine, least=least)


@blueprint.route("/funds/new", methods=["GET", "POST"])
@signed_in_organisation
def publish_fund():  # type: ignore[no-untyped-def]
    svc = services()
    form = fund_form(svc.catalogue)
    if form.validate_on_submit():
        try:
            title, low, high, criteria, closes_at = fund_of(form)
            svc.trust.publish_fund(g.organisation["organisation_id"], title, low, high, criteria, closes_at, acting())
        except TrustError as error:
            form.form_errors.append(f"Nothing was published: {error}")
        else:
            flash("Published. The trust has told the members it fits.", "success")
            return redirect(url_for("organisation.funds"))
    return page("organisation/fund_new.html", 400 if form.is_submitted() else 200, form=form)
