"""Trustee pages for funds: every fund funders published, whom it was told to (how many), and the
members' replies (when each shared its pack, and whether that consent still stands), never a
member's name or profile."""

from uuid import UUID

from flask import abort

from adapters.web.auth import requires
from adapters.web.pages import page, services
from adapters.web.portal_funds_words import amounts, criteria_words
from adapters.web.trustees import blueprint


@blueprint.route("/funds")
@requires("trustee")
def funds():  # type: ignore[no-untyped-def]
    svc = services()
    shown = [{**found, "amounts": amounts(found)} for found in svc.views.funds()]
    return page("trustees/funds.html", funds=shown)


@blueprint.route("/funds/<uuid:fund_id>")
@requires("trustee")
def fund(fund_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    found = svc.views.fund(fund_id, svc.clock())
    if found is None:
        abort(404)
    words = criteria_words(svc.catalogue, found["criteria"])
    return page("trustees/fund.html", fund={**found, "amounts": amounts(found)}, criteria=words)
