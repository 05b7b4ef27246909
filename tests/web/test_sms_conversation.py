"""The members' conversation by SMS (issue 15): everything the Telegram chat does, in numbered
choices, through Twilio's signed webhook, each text at most two segments. The fake Twilio posts
what Twilio posts, and reads the TwiML answer as Twilio would."""

import xml.etree.ElementTree as ET

import pytest

from adapters.bot.sms.segments import segments
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.support import nothing_recorded
from tests.web.test_sms_webhook import MARY, TRUST_NUMBER, served, sms_services, twilio  # noqa: F401 - fixtures

ANNE = "+447700900456"


def texts(posted) -> list[str]:
    """The texts the trust answered with (TwiML <Message>s), each checked to be at most two segments."""
    assert posted.status == 200, posted.response_body
    answer = ET.fromstring(posted.response_body)  # noqa: S314 - our own answer
    found = [message.text or "" for message in answer.iter("Message")]
    assert all(segments(text) <= 2 for text in found), [(segments(t), t) for t in found]
    return found


def said(twilio, body: str, number: str = ANNE) -> str:  # noqa: F811
    return "\n".join(texts(twilio.inbound(number, TRUST_NUMBER, body)))


def number_for(answer: str, label: str) -> str:
    """The number the answer gives a choice ("2 Not now" -> "2")."""
    for line in answer.splitlines():
        number, _sep, rest = line.partition(" ")
        if number.isdigit() and rest == label:
            return number
    raise AssertionError(f"no choice {label!r} in {answer!r}")


@pytest.fixture
def lender(sms_services):  # noqa: F811
    trust = sms_services.trust
    organisation = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-1", sms_services.clock().date(), TRUSTEE)
    return organisation


def join_by_sms(twilio, catalogue, *, ask_for_terms: bool = False) -> str:  # noqa: F811
    """Anne joins by text: the terms in short (and the whole text if asked), a name, the panel questions, each offer."""
    welcome = said(twilio, "JOIN")
    assert "Welcome to the data trust." in welcome
    terms = said(twilio, number_for(welcome, "I'm new: join"))
    assert (
        "in short" in terms
        and catalogue.terms_summary(catalogue.latest_terms) in terms
        and "Reply TERMS for the whole text" in terms
    )
    if ask_for_terms:
        whole = said(twilio, "terms")
        assert catalogue.terms[catalogue.latest_terms][:80] in whole.replace("\n", " ")
        terms = whole
    asked = said(twilio, number_for(terms, "I agree"))
    assert "What name or nickname" in asked
    answer = said(twilio, "Anne")
    for _question in catalogue.profile.values():
        answer = said(twilio, number_for(answer, "Skip this question"))
    assert "You are a member now" in answer
    return answer


def test_someone_joins_by_text_and_gives_a_consent_recorded_as_collected_by_sms(twilio, sms_services, lender):  # noqa: F811
    trust, views = sms_services.trust, sms_services.views
    offer = join_by_sms(twilio, trust.catalogue)
    member = trust.member_for_address("sms", ANNE)
    assert member is not None
    assert "Affordable credit" in offer
    said(twilio, number_for(offer, "Yes"))  # affordable credit: yes; then no to each other offer
    for _purpose in trust.catalogue.offered_purposes()[1:]:
        answer = said(twilio, "2")
    assert "All set." in answer and "CONSENTS" in answer and "/consents" not in answer
    consents = views.consents(member, sms_services.clock())
    assert [(c["purpose"], c["status"]) for c in consents] == [("affordable-credit", "active")]
    card = views.member_card(member)
    history = [h["text"] for h in views.history(member)]
    assert any("having been sent its summary by SMS" in line for line in history), history
    assert card["reference_code"] in offer
    assert views.who_could_see(member, sms_services.clock())[0]["organisation"] == "Eden Valley Credit Union"
    assert any(line.startswith("Gave consent") and "(via sms)" in line for line in history), history
    assert "The individual joined via sms." in history


def test_the_agreement_records_that_the_whole_terms_were_sent_when_asked_for(twilio, sms_services):  # noqa: F811
    join_by_sms(twilio, sms_services.trust.catalogue, ask_for_terms=True)
    member = sms_services.trust.member_for_address("sms", ANNE)
    history = [h["text"] for h in sms_services.views.history(member)]
    assert any("having been sent its summary and full text by SMS" in line for line in history), history


@pytest.fixture
def mary(sms_services, lender):  # noqa: F811
    trust = sms_services.trust
    member = trust.join_by_chat(4242, "Mary", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(lender), MEMBER_THEMSELF)
    trust.link_address(member, "sms", MARY, MEMBER_THEMSELF)
    return member


def test_a_member_withdraws_a_consent_by_text_in_one_step(twilio, sms_services, mary):  # noqa: F811
    overview = said(twilio, "consents", MARY)
    assert "Your consents: Affordable credit." in overview
    done = said(twilio, number_for(overview, "Withdraw: Affordable credit"), MARY)
    assert "Withdrawn: Affordable credit." in done
    assert done.count("Affordable credit") == 2  # once in what was done, once on its choice, where it was
    assert {c["status"] for c in sms_services.views.consents(mary, sms_services.clock())} == {"withdrawn"}


def test_a_number_with_nothing_to_choose_or_out_of_range_changes_nothing(twilio, sms_services, mary):  # noqa: F811
    with nothing_recorded(sms_services):
        assert "There is nothing to choose just now" in said(twilio, "1", MARY)
    overview = said(twilio, "consents", MARY)
    count = sum(1 for line in overview.splitlines() if line.split(" ")[0].isdigit())
    with nothing_recorded(sms_services):
        assert f"Please reply with a number from 1 to {count}." in said(twilio, str(count + 1), MARY)
    assert {c["status"] for c in sms_services.views.consents(mary, sms_services.clock())} == {"active"}


def test_a_choice_that_went_stale_changes_nothing(twilio, sms_services, mary):  # noqa: F811
    overview = said(twilio, "consents", MARY)
    withdraw = number_for(overview, "Withdraw: Affordable credit")
    consent = sms_services.views.consents(mary, sms_services.clock())[0]["consent_id"]
    sms_services.trust.revoke_consent(consent, MEMBER_THEMSELF)  # meanwhile, on paper
    answer = said(twilio, withdraw, MARY)
    assert "That choice is from an earlier message, or no longer open; nothing was changed." in answer


def test_a_redelivered_message_is_neither_acted_on_nor_answered_twice(twilio, sms_services, mary):  # noqa: F811
    overview = said(twilio, "consents", MARY)
    first = twilio.inbound(MARY, TRUST_NUMBER, number_for(overview, "Withdraw: Affordable credit"))
    assert "Withdrawn" in "".join(texts(first))
    with nothing_recorded(sms_services):
        again = twilio.redeliver(first.params["MessageSid"])
    assert texts(again) == []


def test_emoji_and_long_texts_are_answered_within_two_segments_a_text(twilio, sms_services, mary):  # noqa: F811
    assert "Sorry, I did not understand that." in said(twilio, "Hello 👋 is this the trust? " * 20, MARY)
    assert "Could see it now: Eden Valley Credit Union." in said(twilio, "MYDATA", MARY)


def test_stop_is_not_withdrawing_and_my_data_says_so(twilio, sms_services, mary):  # noqa: F811
    assert said(twilio, "STOP", MARY) == ""  # the carrier confirms a STOP
    assert {c["status"] for c in sms_services.views.consents(mary, sms_services.clock())} == {"active"}
    mydata = said(twilio, "mydata", MARY)
    assert "You stopped the trust's messages on SMS. Your consents are unchanged." in mydata
    assert "get the data trust's messages here again" in said(twilio, "START", MARY)


def test_a_number_that_changed_hands_is_linked_to_its_new_holder_only_with_their_reference_code(
    twilio,  # noqa: F811
    sms_services,  # noqa: F811
    mary,
):
    trust = sms_services.trust
    anne = trust.register_member("Anne", TRUSTEE, channel="paper", evidence_ref="PF-9")
    code = sms_services.views.member_card(anne)["reference_code"]
    welcome = said(twilio, "JOIN", MARY)  # Mary's old number, now Anne's: it is still linked to Mary
    assert "This number already belongs to a member of the trust." in welcome
    terms = said(twilio, number_for(welcome, "I have a reference code"), MARY)
    asked = said(twilio, number_for(terms, "I agree"), MARY)
    assert "reference code from your form" in asked
    with nothing_recorded(sms_services):
        assert "does not match" in said(twilio, "WRNG-CODE", MARY)
    assert trust.member_for_address("sms", MARY) == mary  # nothing changed without the code
    assert "your membership is confirmed" in said(twilio, code, MARY)
    assert trust.member_for_address("sms", MARY) == anne
    assert trust.address_of(mary, "sms") is None  # Mary is no longer reached at the number
    assert trust.address_of(anne, "sms") == MARY


def test_a_member_votes_by_text_and_gets_a_receipt_that_does_not_name_the_choice(twilio, sms_services, mary):  # noqa: F811
    from datetime import timedelta

    trust = sms_services.trust
    proposal = trust.open_proposal(
        "Raise the minimum cell size",
        "Insight releases would need at least 15 members in every group.",
        ["For", "Against"],
        sms_services.clock() + timedelta(days=7),
        TRUSTEE,
        rule_code="min-cell-size",
        rule_value=15,
    )
    ballot = said(twilio, "VOTE", MARY)
    assert "Raise the minimum cell size" in ballot and "Choose an option." in ballot
    receipt = said(twilio, number_for(ballot, "Against"), MARY)
    assert "Your vote is recorded." in receipt and "Against" not in receipt
    assert "Your receipt: " in receipt and "Keep it to check that your vote was counted" in receipt
    assert trust.member_ballot(proposal, mary).choice == 1
    history = [h["text"] for h in sms_services.views.history(mary)]
    assert not any("Against" in line for line in history)


def test_a_panel_is_answered_by_text_one_question_at_a_time(twilio, sms_services):  # noqa: F811
    from domain.insight.disclosure.release import Question
    from domain.insight.model import PanelCriteria
    from domain.insight.sortition import Quota
    from tests.conftest import OPERATOR
    from tests.integration.insight_support import council, submit

    trust, clock = sms_services.trust, sms_services.clock
    questions = (
        Question("buses", "single", "How good are the buses where you live?", ("good", "fair", "poor")),
        Question("needs", "multiple", "What would help most?", ("more-buses", "cheaper-fares", "later-buses")),
        Question("ideas", "text", "Anything else?", ()),
    )
    organisation = council(trust, clock)
    mary = trust.join_at_address("sms", MARY, "Mary", {"area": "CA1"}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    members = [mary]
    for number in range(11):
        area = "CA1" if number % 2 else "CA2"
        members.append(trust.join_by_chat(9000 + number, f"M{number}", {"area": area}, "1", MEMBER_THEMSELF))
    for member in members:
        trust.grant_consent(
            member, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), OPERATOR
        )
    criteria = PanelCriteria(size=12, quotas=(Quota("area", "CA1", 6, 6), Quota("area", "CA2", 6, 6)), breakdown=())
    request = submit(trust, clock, organisation, questions=questions, criteria=criteria)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    trust.draw_panel(request, TRUSTEE)

    invitation = said(twilio, "PANEL", MARY)
    assert "3 questions, open until" in invitation
    first = said(twilio, number_for(invitation, "Answer now"), MARY)
    assert "Question 1 of 3" in first
    second = said(twilio, number_for(first, "fair"), MARY)
    assert "Question 2 of 3" in second
    ticked = said(twilio, number_for(second, "cheaper-fares"), MARY)
    assert "1 cheaper-fares" in ticked.replace('"', "") or "cheaper-fares" in ticked
    third = said(twilio, number_for(ticked, "Done"), MARY)
    assert "Question 3 of 3" in third
    summary = said(twilio, "12", MARY)  # a free-text answer that looks like a number is an answer, not a pick
    assert "Your answers:" in summary and "12" in summary
    thanks = said(twilio, number_for(summary, "Send my answers"), MARY)
    assert "your answers are recorded" in thanks
    assert trust.panel_invitations(mary)[0].answered


def test_a_name_that_is_a_number_is_taken_as_the_name(twilio, sms_services):  # noqa: F811
    welcome = said(twilio, "JOIN")
    terms = said(twilio, number_for(welcome, "I'm new: join"))
    said(twilio, number_for(terms, "I agree"))
    assert "postcode district" in said(twilio, "42")  # the name, not a pick among no choices


def test_here_makes_sms_the_channel_the_trusts_news_comes_to_first(twilio, sms_services, mary):  # noqa: F811
    trust = sms_services.trust
    trust.unlink_chat(4242, MEMBER_THEMSELF)
    trust.link_address(mary, "telegram", 5151, MEMBER_THEMSELF)  # a new chat, linked after her number
    assert trust.channels_for(mary)[0] == ("telegram", 5151)  # so, unasked, the news would go there
    assert "comes to you here first. Your consents are unchanged." in said(twilio, "HERE", MARY)
    assert trust.channels_for(mary)[0] == ("sms", MARY)
    with nothing_recorded(sms_services):
        assert "already comes to you here. Nothing was changed." in said(twilio, "here", MARY)
    history = [h["text"] for h in sms_services.views.history(mary)]
    assert history.count("Chose SMS for the trust's messages.") == 1
