"""An individual asks in the chat how their well-being compares with their area's (/compare, COMPARE):
their four answers against the median of the members in their postcode area who agreed, in words, on
Telegram, SMS and WhatsApp, in Welsh too; too few in the area is withheld with the reason, and asking
records nothing. A business is offered benchmarking and news of funds in the chat; an individual the
comparison."""

import pytest

from adapters.bot.sms import render as sms_render
from adapters.bot.sms.segments import segments
from adapters.conversation import compare_replies
from adapters.conversation.channels import SMS, WHATSAPP
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import translator
from domain.reports.peers import Comparison, DisclosureRules
from domain.reports.wellbeing import WellbeingComparison
from tests.bot.conftest import STALE, join
from tests.conftest import MEMBER_THEMSELF
from tests.integration.wellbeing_support import PURPOSE, individual, neighbours
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
ANNE, BRYN, CAFE = "+447700900601", "+447700900602", "+447700900603"
MARY_S = {"life-satisfaction": 9, "worthwhile": 7, "happiness": 6, "anxiety": 5}


def said(conversation: Conversation, address: str, key: str, language: str | None = None, **what) -> list:
    return conversation.answer(address, Said(key=key, language=language, **what))


def test_on_telegram_a_member_who_joined_and_agreed_sees_her_answers_against_her_area_s(
    chat_with, services, views, trust
):
    neighbours(trust, 9)  # CA1: life satisfaction 5,6,7,8,9,5,6,7,8; anxiety 2,3,4,5,2,3,4,5,2
    mary = chat_with("Mary")
    join(mary, area="CA3")  # a yes to every offer: the comparison among them
    [member] = [m["member_id"] for m in views.members() if m["name"] == "Mary"]
    trust.share_data(member, "wellbeing", MARY_S, MEMBER_THEMSELF, "bot")

    with nothing_recorded(services):
        mary.send("/compare")
    assert mary.last_text.splitlines() == [
        "How your well-being compares with members' in the CA postcode area:",
        "• Life satisfaction: you said 9, above your area's middle answer of 7.",
        "• Feeling that the things you do are worthwhile: you said 7, the same as your area's middle answer.",
        "• Happiness yesterday: you said 6, the same as your area's middle answer.",
        "• Anxiety yesterday: you said 5, above your area's middle answer of 3.5.",
        "For anxiety, a lower answer is the better one.",
        "Compared with the answers of 10 members who agreed to compare, you included.",
        "Only the middle answer of the area is shown, never anyone's own answers.",
    ]
    mary.send("/help")
    assert "/compare — how your well-being compares with your area's" in mary.last_text


def test_by_sms_too_few_in_the_area_is_withheld_with_the_reason_in_english_and_welsh(services, trust):
    members = neighbours(trust, 4, area="LA9")
    trust.link_address(members[0], "sms", ANNE, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    with nothing_recorded(services):
        [english] = said(conversation, ANNE, "t:1", text="COMPARE")
        [welsh] = said(conversation, ANNE, "t:2", language="cy", text="compare")
    assert english.text == (
        "Only 4 members in the LA postcode area agreed to compare their well-being, you included. Answers are "
        "compared once there are at least 10, so that no one's answers can be read from the comparison. "
        "Ask again later."
    )
    assert welsh.text.startswith("Dim ond 4 aelod yn ardal cod post LA a gytunodd i gymharu eu llesiant")
    assert "o leiaf 10" in welsh.text
    assert all(segments(text) <= 2 for text in sms_render.texts([english, welsh]))


def test_by_whatsapp_a_member_who_has_not_agreed_is_offered_it_and_a_tap_gives_it(services, trust, clock):
    neighbours(trust, 9)
    bryn = individual(trust, 20, agrees=False)
    trust.link_address(bryn, "whatsapp", BRYN, MEMBER_THEMSELF)
    conversation = Conversation(services, WHATSAPP)
    with nothing_recorded(services):
        [offer] = said(conversation, BRYN, "w:1", text="COMPARE")
    assert offer.text.startswith(
        "To see how your well-being compares with your area's, agree to Compare my well-being."
    )
    assert offer.buttons == [[("Give: Compare my well-being", f"give:{PURPOSE}")]]
    said(conversation, BRYN, "w:2", choice=f"give:{PURPOSE}")
    [consent] = [c for c in services.views.consents(bryn, clock()) if c["purpose"] == PURPOSE]
    assert consent["via"] == "whatsapp" and consent["audience"] == "the trust itself"
    [now] = said(conversation, BRYN, "w:3", text="COMPARE")
    assert now.text.startswith("How your well-being compares with members' in the CA postcode area:")
    assert "Compared with the answers of 10 members" in now.text


def test_a_member_who_agreed_but_shared_no_answers_or_no_area_is_told_what_to_do(services, trust):
    from tests.integration.wellbeing_support import agree

    quiet = trust.register_member("Quiet", MEMBER_THEMSELF, channel="sms", profile={"area": "CA1"})
    agree(trust, quiet)
    unsaid = individual(trust, 30, area="prefer-not-to-say")
    trust.link_address(quiet, "sms", ANNE, MEMBER_THEMSELF)
    trust.link_address(unsaid, "sms", BRYN, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    with nothing_recorded(services):
        [nothing] = said(conversation, ANNE, "t:1", text="COMPARE")
        [no_area] = said(conversation, BRYN, "t:2", text="COMPARE")
    assert nothing.text.startswith("There is nothing to compare yet: share how you are feeling with SHARE")
    assert no_area.text == (
        "Your profile does not say which area you live in, so there is no area to compare with. Send DETAILS to add it."
    )


def test_a_business_is_offered_benchmarking_and_news_of_funds_in_the_chat_and_not_the_comparison(
    services, trust, clock
):
    cafe = trust.register_member("Cafe", MEMBER_THEMSELF, channel="web", kind="organisation-member")
    anne = individual(trust, 40, agrees=False)
    trust.link_address(cafe, "sms", CAFE, MEMBER_THEMSELF)
    trust.link_address(anne, "sms", ANNE, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    [overview] = said(conversation, CAFE, "t:1", text="CONSENTS")
    offered = [label for row in overview.buttons for label, _value in row]
    assert "Give: Benchmarking" in offered and "Give: News of funds" in offered
    assert "Give: Compare my well-being" not in offered and "Give: Affordable credit" not in offered
    [individuals] = said(conversation, ANNE, "t:2", text="CONSENTS")
    offered = [label for row in individuals.buttons for label, _value in row]
    assert "Give: Compare my well-being" in offered and "Give: Benchmarking" not in offered

    with nothing_recorded(services):  # a choice offered to the other kind of member: nothing changes
        [stale] = said(conversation, ANNE, "t:3", choice="give:benchmarking")
        [also_stale] = said(conversation, CAFE, "t:4", choice=f"give:{PURPOSE}")
        [portal] = said(conversation, CAFE, "t:5", text="COMPARE")
    assert stale.text == STALE and also_stale.text == STALE
    assert portal.text.startswith("An organisation sees how it compares with its peers in the members' portal")

    [given] = said(conversation, CAFE, "t:6", choice="give:benchmarking")
    assert given.text.startswith("Given: Benchmarking.")
    said(conversation, CAFE, "t:7", choice="give:fund-news")
    consents = {c["purpose"]: c for c in services.views.consents(cafe, clock())}
    assert consents["benchmarking"]["via"] == "sms" and consents["fund-news"]["via"] == "sms"
    assert consents["benchmarking"]["audience"] == "the trust itself"
    assert sorted(consents["benchmarking"]["categories"]) == ["funding-history", "organisation-profile"]


def test_each_comparison_sentence_is_said_in_welsh():
    _ = translator("cy")
    rules = DisclosureRules(min_cell=10, dominance_n=2, dominance_k=85, p_percent=10)
    answers = {
        "life-satisfaction": Comparison(12, 6.0, 7.0, 8.0, 1),
        "worthwhile": Comparison(12, 6.0, 7.0, 8.0, 3),
        "happiness": Comparison(12, 5.0, 6.5, 8.0, None),
        "anxiety": Comparison(9, withheld="Fewer than 10 peers"),
    }
    own = {"life-satisfaction": 5, "worthwhile": 7, "happiness": None, "anxiety": 3}
    text = compare_replies.compared(_, WellbeingComparison("CA", 12, own, answers, rules)).text
    assert text.splitlines() == [
        "Sut mae'ch llesiant yn cymharu ag aelodau yn ardal cod post CA:",
        "• Boddhad â bywyd: dywedoch chi 5, islaw ateb canol eich ardal, sef 7.",
        "• Teimlo bod y pethau rydych chi'n eu gwneud yn werth chweil: dywedoch chi 7, yr un fath ag ateb canol "
        "eich ardal.",
        "• Hapusrwydd ddoe: wnaethoch chi ddim ateb hyn; ateb canol eich ardal yw 6.5.",
        "• Gorbryder ddoe: atebodd rhy ychydig o aelodau yn eich ardal hyn i'w gymharu.",
        "Ar gyfer gorbryder, ateb is yw'r un gorau.",
        "Wedi'i gymharu ag atebion 12 aelod a gytunodd i gymharu, gan eich cynnwys chi.",
        "Dim ond ateb canol yr ardal a ddangosir, byth atebion unrhyw un unigol.",
    ]
