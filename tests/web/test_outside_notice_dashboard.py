"""The trustee dashboard warns of consents outside the notice the member was shown."""

from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF
from tests.outside_notice_support import record_as_before


def test_the_dashboard_lists_consents_outside_their_notice_without_names(trustee, web_services):
    trust = web_services.trust
    member = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    trust.grant_consent(member, "service-planning", ["profile"], Audience(kind="council"), MEMBER_THEMSELF)
    assert "outside the notice" not in trustee.text(trustee.get("/trustee"))
    widened = record_as_before(trust, member, "service-planning", kind="social-lender")
    page = trustee.text(trustee.get("/trustee"))
    code = web_services.views.member_card(member)["reference_code"]
    assert "1 consent outside the notice the member was shown" in page
    row = next(row for row in page.split("<tr") if str(widened) in row)
    for shown in (code, "Local service planning", "version 1", "council", "every approved social lender", "active"):
        assert shown in row
    assert "Ada" not in page
