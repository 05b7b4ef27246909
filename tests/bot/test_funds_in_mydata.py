"""A member sees in /mydata the funds the trust told it of: each with its funder and, once shared,
when it shared its application pack; in Welsh too."""

from datetime import UTC, datetime

from adapters.conversation import fund_replies
from adapters.conversation.channels import SMS
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import translator
from domain.kernel.actors import Actor
from tests.conftest import MEMBER_THEMSELF
from tests.integration.fund_support import CAFES_IN_CA, CLOSES, approved_funder, cafes

ADDRESS = "+447700900555"


def test_my_data_lists_the_funds_the_member_was_told_of(services, clock):
    trust = services.trust
    funder = approved_funder(trust, clock)
    [first, *_others] = cafes(trust, 10)
    fund_id = trust.publish_fund(
        funder, "Green kitchens", 500_000, 2_500_000, CAFES_IN_CA, CLOSES, Actor("organisation", "api token 1")
    )
    trust.link_address(first, "sms", ADDRESS, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    said = "\n".join(r.text for r in conversation.answer(ADDRESS, Said(key="t:1", text="MYDATA")))
    assert "Funds the trust told you of:" in said
    assert "Green kitchens, from Cumbria Community Foundation: open until 30 April 2026" in said
    trust.share_pack(fund_id, first, MEMBER_THEMSELF)
    said = "\n".join(r.text for r in conversation.answer(ADDRESS, Said(key="t:2", text="MYDATA")))
    assert "Green kitchens, from Cumbria Community Foundation: you shared your application pack on 2 March 2026" in said


def test_the_funds_are_said_in_welsh_and_a_closed_one_says_so():
    funds = [
        {"title": "Green kitchens", "funder": "Cumbria Community Foundation", "shared_at": None, "closes_at": CLOSES}
    ]
    after = datetime(2026, 5, 1, tzinfo=UTC)
    assert fund_replies.funds_told(translator("en"), funds, after) == (
        "Funds the trust told you of:\n• Green kitchens, from Cumbria Community Foundation: closed on 30 April 2026"
    )
    welsh = fund_replies.funds_told(translator("cy"), funds, after, "cy")
    assert welsh.startswith("Cronfeydd y dywedodd yr ymddiriedolaeth wrthych amdanynt:")
    assert "Green kitchens, gan Cumbria Community Foundation: daeth i ben ar 30 Ebrill 2026" in welsh
    assert fund_replies.funds_told(translator("en"), [], after) == ""
