"""A member shares data with the trust in the chat (/share): one question at a time, skippable,
checked in words before anything is recorded; and sees what they shared in /mydata."""

import json
from datetime import UTC, datetime

import pytest

from adapters.conversation import share_replies
from adapters.conversation.channels import SMS, TELEGRAM
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import day, translator
from domain.data.commands import Submission
from domain.kernel.actors import Actor
from domain.kernel.catalogue import load_catalogue
from domain.kernel.standard import load_standard
from tests.bot.conftest import STALE, join
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def member_id_of(views):
    [member] = views.members()
    return member["member_id"]


def test_share_lists_the_categories_in_words_with_when_each_was_last_shared(chat_with, views, trust):
    mary = chat_with("Mary")
    join(mary)
    member_id = member_id_of(views)
    trust.share_data(member_id, "housing", {"tenure": "private-rent"}, CASEWORKER, "paper", evidence_ref="FORM-9")

    mary.send("/share")

    text = mary.last_text
    assert "• How you say you are feeling: not yet" in text
    assert "• Your household income and outgoings: not yet" in text
    assert f"• Your housing situation: {day(trust.clock())}" in text  # the date it was shared
    assert "wellbeing" not in text and "household-finances" not in text  # words, never codes
    assert [label for label, _data in mary.last.buttons] == [
        "Share: How you say you are feeling",
        "Share: Your household income and outgoings",
        "Share: Your housing situation",
    ]


def test_a_member_shares_wellbeing_one_question_at_a_time_skipping_one_and_confirms(chat_with, services, views, fake):
    mary = chat_with("Mary")
    join(mary)
    member_id = member_id_of(views)

    with nothing_recorded(services):
        mary.send("/share wellbeing")
        assert mary.last_text.startswith("Question 1 of 4: Overall, how satisfied are you with your life nowadays?")
        assert [label for label, _data in mary.last.buttons] == ["Skip this question"]
        mary.send("1")  # a number is the answer, never the skip beside it
        assert mary.last_text.startswith("Question 2 of 4:")
        mary.press("Skip this question")
        mary.send("eleven")
        assert mary.last_text.startswith(
            "Sorry, that is not an answer I can take here. Happiness yesterday must be a number."
        )
        assert "Question 3 of 4" in mary.last_text
        mary.send("11")
        assert "Happiness yesterday must be from 0 to 10." in mary.last_text
        mary.send("8")
        mary.send("2")
        check = mary.last
        assert check.text.splitlines()[:5] == [
            "You are sharing how you say you are feeling:",
            "• Life satisfaction: 1",
            "• Things you do are worthwhile: not answered",
            "• Happiness yesterday: 8",
            "• Anxiety yesterday: 2",
        ]
    [confirm] = [data for label, data in check.buttons if label == "Yes, record it"]
    mary.press("Yes, record it")
    assert mary.last_text.startswith("Recorded: How you say you are feeling.")

    [submission] = services.trust.shared_history(member_id)
    assert (submission.category, submission.values) == (
        "wellbeing",
        {"life-satisfaction": 1, "happiness": 8, "anxiety": 2},
    )
    assert (submission.channel, submission.actor) == ("bot", str(TELEGRAM.actor))

    mary.press_data(check, confirm)  # the confirmation tapped again: recorded once
    assert mary.toasts[-1] == STALE
    assert len(services.trust.shared_history(member_id)) == 1

    mary.send("/mydata")
    text = mary.last_text
    assert "Name: Mary" in text  # what it showed before, then what she shared
    shared = text[text.index("What you have shared:") :]
    assert shared.splitlines()[1:5] == [
        f"How you say you are feeling, shared on {day(services.trust.clock())}:",
        "• Life satisfaction: 1",
        "• Happiness yesterday: 8",
        "• Anxiety yesterday: 2",
    ]
    assert "version" not in shared  # the latest version: not worth saying
    mary.press("Download all of it as a file")
    [document] = fake.documents_to(mary.user)
    assert json.loads(document.content)["shared"]["wellbeing"]["fields"] == submission.values


def test_choices_are_buttons_money_and_yes_no_are_shown_in_words_and_cancel_records_nothing(chat_with, services, views):
    mary = chat_with("Mary")
    join(mary)
    member_id = member_id_of(views)

    with nothing_recorded(services):
        mary.send("/share")
        mary.press("Share: Your household income and outgoings")
        assert "£1,000 to £1,499" in [label for label, _data in mary.last.buttons]
        mary.send("a lot")  # not one of the choices: asked again, in words
        assert "Monthly income after tax: please choose one of the answers shown." in mary.last_text
        mary.press("£1,500 to £1,999")
        mary.send("2")  # the second choice shown
        mary.press("Yes")
        mary.send("no")
        assert "• Monthly income after tax: £1,500 to £1,999" in mary.last_text
        assert "• Essential outgoings each month: £1,000 to £1,499" in mary.last_text
        assert "• Behind with bills or debts: Yes" in mary.last_text
        assert "• Receives benefits: No" in mary.last_text
        mary.press("No, cancel")
        assert mary.last_text.startswith("Cancelled: nothing was recorded.")
    assert services.trust.shared_data(member_id) == {}

    with nothing_recorded(services):
        mary.send("/share housing")
        mary.press("Rent from a private landlord")
        mary.send("/cancel")  # half-way: nothing either
        assert mary.last_text.startswith("Cancelled: nothing was recorded.")
    assert services.trust.shared_data(member_id) == {}


def test_skipping_every_question_records_nothing(chat_with, services):
    mary = chat_with("Mary")
    join(mary)
    with nothing_recorded(services):
        mary.send("/share wellbeing")
        mary.send("skip")
        for _ in range(3):
            mary.press("Skip this question")
    assert "nothing to record" in mary.last_text


def test_an_organisation_member_shares_its_profile_here_and_its_funding_history_elsewhere(
    chat_with, trust, views, services
):
    member_id = trust.register_member(
        "Fellside Bakery CIC", CASEWORKER, channel="paper", evidence_ref="FORM-3", kind="organisation-member"
    )
    code = views.member_card(member_id)["reference_code"]
    bakery = chat_with("Bakery")
    bakery.send("/start")
    bakery.press("I have a reference code")
    bakery.press("I agree")
    bakery.send(code)

    bakery.send("/share")
    assert "• The grants and social investment your organisation has received: not yet (This is shared in" in (
        bakery.last_text
    )
    assert [label for label, _data in bakery.last.buttons] == [
        "Share: Your organisation's profile (identifier, legal form, sector, size, income)"
    ]
    bakery.send("/share funding-history")
    assert "shared in the members' portal or with a caseworker" in bakery.last_text
    with nothing_recorded(services):
        bakery.send("/share wellbeing")  # not asked of an organisation
        assert bakery.last_text.startswith("There is no kind of data by that name to share here.")

    bakery.send("/share organisation-profile")
    assert "Question 1 of 12:" in bakery.last_text and not bakery.last.buttons  # required: no skip
    bakery.send("skip")
    assert "Identifier" in bakery.last_text and "Question 1 of 12" in bakery.last_text
    bakery.send("gb-coh-09876543")
    bakery.press("Community interest company limited by shares")
    bakery.press("Accommodation and food services")
    bakery.send("ca11")
    bakery.send("2016")
    bakery.send("4.5")
    bakery.send("£182,500")
    for share in ("80", "20"):
        bakery.send(share)
    for _ in range(3):
        bakery.press("Skip this question")
    assert "• Annual income: £182,500.00" in bakery.last_text and "• Income from trading: 80%" in bakery.last_text
    bakery.press("Yes, record it")
    profile = trust.shared_data(member_id)["organisation-profile"]
    assert profile.values["org-id"] == "GB-COH-09876543" and profile.values["annual-income"] == 18_250_000


def test_shares_that_do_not_add_up_are_refused_in_words_before_anything_is_recorded(chat_with, trust, views, services):
    member_id = trust.register_member(
        "Fellside Bakery CIC", CASEWORKER, channel="paper", evidence_ref="FORM-3", kind="organisation-member"
    )
    bakery = chat_with("Bakery")
    bakery.send("/start")
    bakery.press("I have a reference code")
    bakery.press("I agree")
    bakery.send(views.member_card(member_id)["reference_code"])
    with nothing_recorded(services):
        bakery.send("/share organisation-profile")
        bakery.send("GB-CHC-1123456")
        for _ in range(2):
            bakery.press("Skip this question")
        for _ in range(4):
            bakery.send("skip")
        bakery.send("70")
        for _ in range(4):
            bakery.send("skip")
        assert "The shares of income must add up to 100%; they add up to 70%." in bakery.last_text
        assert "Nothing was recorded." in bakery.last_text


def test_who_has_not_joined_or_has_left_is_told_as_by_other_commands(chat_with, services):
    stranger = chat_with("Stranger")
    with nothing_recorded(services):
        stranger.send("/share")
        assert "not linked to a member" in stranger.last_text
        stranger.send("/share wellbeing")
        assert "not linked to a member" in stranger.last_text

    mary = chat_with("Mary")
    join(mary)
    mary.send("/share wellbeing")
    mary.send("/leave")
    mary.press("Yes, leave")
    mary.send("/share")
    assert "not linked to a member" in mary.last_text


def test_help_mentions_share(chat_with):
    mary = chat_with("Mary")
    mary.send("/help")
    assert "/share — share your data with the trust" in mary.last_text


def test_my_data_with_many_reads_and_everything_shared_still_fits_telegram_messages(chat_with, trust, views, clock):
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", clock().date(), TRUSTEE)
    mary = chat_with("Mary")
    join(mary, consent={"affordable-credit": True})
    member_id = member_id_of(views)
    for _ in range(45):
        trust.record_access(lender, member_id, "affordable-credit", ["contact"], Actor("organisation", "eden"))
    shared = {
        "wellbeing": {"life-satisfaction": 7, "worthwhile": 6, "happiness": 8, "anxiety": 2},
        "household-finances": {"income-band": "1000-1499", "outgoings-band": "under-1000", "behind-with-bills": True},
        "housing": {"tenure": "social-rent", "bedrooms": 2, "repairs-needed": False, "damp-or-mould": True},
    }
    for category, values in shared.items():
        trust.share_data(member_id, category, values, TELEGRAM.actor, "bot")

    count = len(mary.messages)
    mary.send("/mydata")

    answer = mary.messages[count:]
    assert all(len(message.text) <= 4096 for message in answer)
    said = "\n".join(message.text for message in answer)
    assert "The latest 20 of 45 reads" in said
    assert "• Bedrooms: 2 bedrooms" in said and "• Damp or mould: Yes" in said and "• Repairs needed: No" in said
    assert "• Monthly income after tax: £1,000 to £1,499" in said


def test_what_i_shared_names_the_version_only_where_it_is_not_the_latest():
    catalogue = load_catalogue()
    standard = load_standard(
        {
            "wellbeing": {
                "1": {"fields": {"happiness": {"type": "number", "label": "Happiness yesterday", "maximum": 10}}},
                "2": {"fields": {"anxiety": {"type": "number", "label": "Anxiety yesterday", "maximum": 10}}},
            },
            "housing": {"1": {"fields": {"rent": {"type": "money", "label": "Rent each month"}}}},
        },
        dict(catalogue.categories),
    )
    on = datetime(2026, 3, 2, 12, tzinfo=UTC)
    shared = {
        "wellbeing": Submission("wellbeing", "1", {"happiness": 8}, on, on, "bot", "member:via bot", None),
        "housing": Submission("housing", "1", {"rent": 62_550}, on, on, "sms", "member:via sms", None),
    }

    text = share_replies.what_i_shared(translator("en"), catalogue, standard, shared, "en")

    assert text.splitlines() == [
        "What you have shared:",
        "How you say you are feeling, shared on 2 March 2026 (version 1 of the data standard):",
        "• Happiness yesterday: 8",
        "",
        "Your housing situation, shared on 2 March 2026:",
        "• Rent each month: £625.50",
    ]


def test_a_member_whose_app_is_in_welsh_shares_in_welsh_and_may_skip_with_hepgor(chat_with, services, views):
    nia = chat_with("Nia", language_code="cy-GB")
    nia.send("/start")
    nia.press("Rwy'n newydd: ymuno")
    nia.press("Rwy'n cytuno")
    nia.send("Nia")
    nia.send("SY23")
    while any(text == "Hepgor y cwestiwn hwn" for text, _ in nia.last.buttons):
        nia.press("Hepgor y cwestiwn hwn")
    while nia.last.buttons and nia.last.buttons[0][1].startswith("offer:"):
        nia.press(nia.last.buttons[1][0])  # no to each

    nia.send("/share")
    assert "• How you say you are feeling: ddim eto" in nia.last_text  # the catalogue's titles stay as written
    nia.press("Rhannu: How you say you are feeling")
    nia.send("hepgor")
    nia.send("6")
    for _ in range(2):
        nia.press("Hepgor y cwestiwn hwn")
    assert nia.last_text.startswith("Rydych chi'n rhannu how you say you are feeling:")
    nia.press("Ydw, cofnodwch")
    assert nia.last_text.startswith("Wedi'i gofnodi: How you say you are feeling.")
    [member] = views.members()
    assert services.trust.shared_data(member["member_id"])["wellbeing"].values == {"worthwhile": 6}


def test_words_that_start_like_share_are_an_answer_inside_another_flow(chat_with, services, views):
    mary = chat_with("Mary")
    join(mary, name="Share Wellbeing")  # her name, typed while joining: not a command
    [member] = views.members()
    assert services.trust.member_personal_data(member["member_id"])["name"] == "Share Wellbeing"
    mary.send("share wellbeing")  # with nothing else in progress it is the command, as SHARE is by SMS
    assert mary.last_text.startswith("Question 1 of 4:")


def test_two_confirmations_racing_record_once(services):
    """Two deliveries of a confirmation, each read the check-in before the other recorded it (the
    draft as it was): the first records, the second records nothing and says so."""
    address = "+447700900777"
    trust = services.trust
    member_id = trust.join_at_address("sms", address, "Anne", {}, services.catalogue.latest_terms, SMS.actor)
    conversation = Conversation(services, SMS)
    for number, text in enumerate(["SHARE wellbeing", "7", "6", "8", "2"]):
        conversation.answer(address, Said(key=f"test:{number}", text=text))
    checking = trust.draft("sms", address)
    confirm = f"share:yes:{checking['nonce']}"

    [first] = conversation.answer(address, Said(key="test:first", choice=confirm))
    trust.keep_draft("sms", address, checking, member_id)  # the second read the draft before the first was done
    with nothing_recorded(services):
        [second] = conversation.answer(address, Said(key="test:second", choice=confirm))

    assert first.text.startswith("Recorded: How you say you are feeling.")
    assert second.text == STALE
    assert len(trust.shared_history(member_id)) == 1
