"""In the portal, a social business sees the funds the trust told it of (those that fit its profile,
once it agreed to hear of funds) and shares its application pack with a fund's funder in one step:
recorded as a funding-applications consent naming that funder, withdrawn like any other consent."""

from uuid import UUID

from flask import flash, g, redirect, url_for

from adapters.web.forms import ActionForm
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from adapters.web.portal_funds_words import amounts
from domain.funds.commands import FUND_NEWS
from domain.kernel.errors import TrustError
from domain.portal.commands import PORTAL_ACTOR


@blueprint.route("/funds")
@signed_in_member
def funds():  # type: ignore[no-untyped-def]
    svc = services()
    now = svc.clock()
    member_id = g.member["member_id"]
    told = svc.views.funds_told(member_id)
    for fund in told:
        fund["amounts"] = amounts(fund)
        fund["open"] = fund["closes_at"] > now
    agreed = any(c["purpose"] == FUND_NEWS and c["ended_at"] is None for c in svc.views.consents(member_id, now))
    offered = FUND_NEWS in {p.code for p in svc.catalogue.offered_purposes(g.member["kind"])}
    return page("portal/funds.html", funds=told, agreed=agreed, offered=offered, action=ActionForm())


@blueprint.route("/funds/<uuid:fund_id>/share", methods=["POST"])
@signed_in_member
def share_pack(fund_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    form = ActionForm()
    if not form.validate_on_submit():
        flash("The form had expired; nothing was recorded. Please press the button again.", "error")
        return redirect(url_for("portal.funds"))
    try:
        svc.trust.share_pack(fund_id, g.member["member_id"], PORTAL_ACTOR, "portal")
    except TrustError as error:
        flash(f"Nothing was recorded: {error}", "error")
    else:
        funder = (svc.views.fund(fund_id, svc.clock()) or {}).get("funder", "The funder")
        flash(
            f"Shared: {funder} may now read your application pack (your organisation's profile, funding history "
            "and how to reach you). You can withdraw it at any time in Your consents.",
            "success",
        )
    return redirect(url_for("portal.funds"))
