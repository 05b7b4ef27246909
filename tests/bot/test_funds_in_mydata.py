"""In the chat, a member told of a fund shares its application pack with the announcement's one button
(once, while the fund is open), and sees in /mydata the funds the trust told it of: each with its
funder and, once shared, when; in Welsh too."""

from datetime import UTC, datetime

from adapters.conversation import fund_replies
from adapters.conversation.announcement_buttons import announcement_buttons
from adapters.conversation.channels import SMS
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import translator
from domain.kernel.actors import Actor
from tests.bot.conftest import STALE
from tests.conftest import MEMBER_THEMSELF
from tests.integration.fund_support import CAFES_IN_CA, CLOSES, approved_funder, business, cafes
from tests.support import nothing_recorded

ADDRESS, OTHER, OUTSIDER = "+447700900555", "+447700900556", "+447700900557"


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


def test_the_announcement_of_a_fund_carries_a_button_that_shares_the_pack_once(services, clock):
    trust = services.trust
    funder = approved_funder(trust, clock)
    [first, second, *_others] = cafes(trust, 10)
    outsider = business(trust, "Fellside Cafe", agrees=False)
    fund_id = trust.publish_fund(
        funder, "Green kitchens", 500_000, 2_500_000, CAFES_IN_CA, CLOSES, Actor("organisation", "api token 1")
    )
    [announcement] = trust.unfinished_announcements()
    button = ("Share my application pack", f"fund:{fund_id.hex}")
    assert announcement_buttons(translator("en"), trust.announcement_action(announcement)) == [[button]]
    assert announcement_buttons(translator("cy"), trust.announcement_action(announcement))[0][0][0] == (
        "Rhannu fy mhecyn cais"
    )
    conversation = Conversation(services, SMS)
    for member, address in ((first, ADDRESS), (second, OTHER), (outsider, OUTSIDER)):
        trust.link_address(member, "sms", address, MEMBER_THEMSELF)

    [done] = conversation.answer(ADDRESS, Said(key="t:1", choice=button[1]))
    assert done.text.startswith(
        "✅ Shared: Cumbria Community Foundation may now read your application pack for Green kitchens"
    )
    [consent] = [c for c in services.views.consents(first, clock()) if c["purpose"] == "funding-applications"]
    assert consent["via"] == "sms" and consent["audience"] == "Cumbria Community Foundation"
    with nothing_recorded(services):
        [again] = conversation.answer(ADDRESS, Said(key="t:2", choice=button[1]))
        [stale] = conversation.answer(OUTSIDER, Said(key="t:3", choice=button[1]))  # never told of it
    assert again.text == "You already shared your application pack for Green kitchens, on 2 March 2026. " + (
        "Nothing was changed."
    )
    assert stale.text == STALE
    clock.now = CLOSES
    with nothing_recorded(services):
        [closed] = conversation.answer(OTHER, Said(key="t:4", choice=button[1]))
    assert closed.text == "Green kitchens closed on 30 April 2026, so it takes no more replies. Nothing was changed."
