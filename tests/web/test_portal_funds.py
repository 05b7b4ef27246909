# ruff: noqa: F811 - the portal fixtures are imported by name
"""In the portal, a social business agrees to hear of funds, sees the fund the trust told it of, and
shares its application pack with the funder with one button: a consent naming that funder, so the
funder reads its pack; a second press, or a fund it was not told of, records nothing."""

from uuid import uuid4

import pytest

from domain.kernel.actors import Actor
from tests.conftest import TRUSTEE
from tests.integration.fund_support import CAFE, CAFES_IN_CA, CLOSES, approved_funder, cafes
from tests.integration.fund_support import business as another_business
from tests.support import nothing_recorded
from tests.web.conftest import Web
from tests.web.test_audit_in_words import visible
from tests.web.test_member_portal import business, member  # noqa: F401 - fixtures

FUNDER_S_TOKEN = Actor("organisation", "api token 1")


@pytest.fixture
def funder(web_services, web_clock):
    return approved_funder(web_services.trust, web_clock)


def publish(web_services, funder, title="Green kitchens"):  # type: ignore[no-untyped-def]
    trust = web_services.trust
    return trust.publish_fund(funder, title, 500_000, 2_500_000, CAFES_IN_CA, CLOSES, FUNDER_S_TOKEN)


def test_a_member_told_of_a_fund_shares_its_pack_with_one_button(member, business, funder, web_services):
    before = visible(member.text(member.get("/portal/funds")))
    assert "Read about news of funds and agree" in before
    own = {**CAFE, "org-id": "GB-MPR-30084R"}
    web_services.trust.share_data(business, "organisation-profile", own, Actor("member", "self"), "portal")
    give = member.text(member.get("/portal/consents/give/fund-news"))
    assert "A funder learns only how many organisations were told, never which" in give
    assert member.post("/portal/consents/give/fund-news", {"audience": "kind:trust"}).status_code == 302
    cafes(web_services.trust, 11)
    another_business(web_services.trust, "Village Shop", sector="G")  # not a cafe: never told
    fund_id = publish(web_services, funder)

    shown = visible(member.text(member.get("/portal/funds")))
    assert "Green kitchens Cumbria Community Foundation £5,000 to £25,000" in shown
    assert "Share my application pack with Cumbria Community Foundation" in shown
    replied = member.post(f"/portal/funds/{fund_id}/share")
    assert replied.status_code == 302 and replied.headers["Location"] == "/portal/funds"
    after = visible(member.text(member.get("/portal/funds")))
    assert "Shared: Cumbria Community Foundation may now read your application pack" in after
    assert "Pack shared on" in after and "Share my application pack" not in after
    consents = visible(member.text(member.get("/portal/consents")))
    assert "Funding applications" in consents and "Cumbria Community Foundation" in consents
    found = web_services.views.fund(fund_id, web_services.clock())
    assert [share["member_id"] for share in found["shares"]] == [business]


def test_a_second_reply_or_one_to_a_fund_not_told_records_nothing(member, business, funder, web_services):
    web_services.trust.share_data(
        business, "organisation-profile", {**CAFE, "org-id": "GB-MPR-30084R"}, Actor("member", "self"), "portal"
    )
    cafes(web_services.trust, 10)
    fund_id = publish(web_services, funder)  # the business did not agree to hear of funds: not told
    assert "Green kitchens" not in member.text(member.get("/portal/funds"))
    with nothing_recorded(web_services):
        refused = member.post(f"/portal/funds/{fund_id}/share")
    assert refused.status_code == 302
    shown = visible(member.text(member.get("/portal/funds")))
    assert "Nothing was recorded: You were not told of this fund, so there is nothing to reply to." in shown


FUND_FORM = {"title": "Green kitchens", "amount_min": "1000", "amount_max": "5000", "closes_at": "2026-04-30 17:00"}


def test_a_funder_publishes_a_fund_in_its_portal_and_sees_how_many_were_told(app, web_services, web_clock, funder):
    trust = web_services.trust
    _token_id, token = trust.issue_api_token(funder, "portal", TRUSTEE)
    cafes(trust, 10)
    web = Web(app.test_client())
    assert web.form("/organisation/sign-in", {"token": token}).status_code == 302
    with nothing_recorded(web_services):
        refused = web.form("/organisation/funds/new", {**FUND_FORM, "sectors": ["I"], "areas": "LA"})
    assert refused.status_code == 400
    assert "Nothing was published: Fewer than 10 of the members who asked to hear of funds" in web.text(refused)
    with nothing_recorded(web_services):
        unknown = web.form("/organisation/funds/new", {**FUND_FORM, "areas": "QQ"})
    assert unknown.status_code == 400 and "Unknown postcode area QQ" in web.text(unknown)
    published = web.form("/organisation/funds/new", {**FUND_FORM, "sectors": ["I"], "areas": "ca"})
    assert published.status_code == 302 and published.headers["Location"] == "/organisation/funds"
    shown = visible(web.text(web.get("/organisation/funds")))
    assert "Green kitchens £1,000 to £5,000" in shown and "10 None yet" in shown
    [fund] = web_services.views.funds(funder)
    assert fund["closes_at"].isoformat() == "2026-04-30T16:00:00+00:00"  # 17:00 UK time (BST)


def test_trustees_see_every_fund_how_many_were_told_and_the_replies(trustee, web_services, funder):
    told = cafes(web_services.trust, 10)
    fund_id = publish(web_services, funder)
    web_services.trust.share_pack(fund_id, told[0], Actor("member", "via portal"))
    listing = visible(trustee.text(trustee.get("/trustee/funds")))
    assert "Green kitchens Cumbria Community Foundation £5,000 to £25,000" in listing
    detail = visible(trustee.text(trustee.get(f"/trustee/funds/{fund_id}")))
    assert "Sector Accommodation and food services Postcode area CA Legal form Any Size Any" in detail
    assert "Members told 10 Shared their application pack 1" in detail and "stands" in detail
    assert trustee.get(f"/trustee/funds/{uuid4()}").status_code == 404
