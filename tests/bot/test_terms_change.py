"""New membership terms in the Telegram chat: a member who agreed to version 1 is told, before what
she asked for, that the terms changed, with version 2's text; "I agree" records it (once) and her
request goes on; "Not now" records nothing, her request goes on, and she is asked again only after
a day; her rights (/mydata, /consents, /leave, /forget, /ask, /help) are never held up by the question.
The same journeys by SMS and WhatsApp: features/bot/terms_change.feature."""

import pytest

from adapters.bot.sms import render
from adapters.bot.sms.segments import segments
from adapters.conversation import terms_replies
from adapters.conversation.channels import SMS
from adapters.conversation.texts import translator
from domain.kernel.actors import Actor
from domain.kernel.catalogue import load_catalogue
from tests.bot.conftest import STALE, Chat, join
from tests.conftest import CASEWORKER
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
VIA_BOT = Actor("member", "via bot")
CHANGED = "The membership terms have changed since you agreed to version 1. Here is version 2:"
QUESTION = "Do you agree to version 2? Until you do, everything works as before"


def on_version_1(fake, trust, name: str = "Mary", **details) -> tuple[Chat, object]:
    """A member who joined in the chat when version 1 was the terms (recorded as version 1, explicitly)."""
    chat = Chat(fake, fake.user(name, **details))
    return chat, trust.join_by_chat(chat.user.chat_id, f"{name} Dixon", {"area": "CA1"}, "1", VIA_BOT)


def agreements(views, member_id) -> list[str]:
    return [h["text"] for h in views.history(member_id) if h["what"] == "terms accepted"]


def told(views, member_id) -> list[str]:
    return [h["text"] for h in views.history(member_id) if h["what"] == "told of new terms"]


def test_she_is_told_first_and_when_she_agrees_her_request_goes_on(fake, bot, trust, views, services):
    mary, member = on_version_1(fake, trust)
    mary.send("/details")
    said = mary.last_text
    assert said.startswith(CHANGED)
    assert services.catalogue.terms["2"] in said  # the whole of version 2: it says the trust sells insight reports
    assert QUESTION in said and "you can leave the trust with /leave" in said
    assert [label for label, _ in mary.last.buttons] == ["I agree", "Not now"]
    assert "Your details:" not in mary.texts_since(0)  # her request waits for her answer
    assert told(views, member) == [
        "Was told on Telegram that the membership terms changed, sent version 2 (its whole text), and asked to agree."
    ]
    before = len(mary.messages)
    mary.press("I agree")
    answer = mary.texts_since(before - 1)
    assert "Thank you: you have agreed to version 2 of the membership terms." in answer
    assert "Your details:" in mary.last_text and "Area: CA1" in mary.last_text  # then what she asked for
    terms_hash = services.catalogue.terms_hash("2")[:12]
    assert agreements(views, member)[-1] == (
        f"Agreed to the membership terms, version 2 (text hash {terms_hash}), having been sent the whole text."
    )
    mary.send("/details")  # asked once: from now on nothing comes between her and what she asks for
    assert mary.last_text.startswith("Your details:")


def test_a_command_with_words_goes_on_too(fake, bot, trust):
    mary, _member = on_version_1(fake, trust)
    mary.send("/share wellbeing")
    assert mary.last_text.startswith(CHANGED)
    mary.press("I agree")
    assert "Question 1 of 4" in mary.last_text


def test_a_second_tap_on_i_agree_records_nothing(fake, bot, trust, views, services):
    mary, member = on_version_1(fake, trust)
    mary.send("/vote")
    question = mary.message_with("I agree")
    mary.press_data(question, terms_replies.AGREE + "2")
    with nothing_recorded(services):
        mary.press_data(question, terms_replies.AGREE + "2")
    said = mary.texts_since(0)
    assert "You have already agreed to version 2 of the membership terms; nothing was changed." in said
    assert len(agreements(views, member)) == 2  # version 1 when she joined, version 2 once


def test_her_rights_never_wait_for_the_question(fake, bot, trust, views):
    mary, member = on_version_1(fake, trust)
    mary.send("/mydata")
    assert "Mary Dixon" in mary.texts_since(0) and "terms have changed" not in mary.texts_since(0)
    # (and /start: by SMS, JOIN from a member's number may be its new holder, who is not her)
    rights = ("/consents", "/portal", "/help", "/ask", "/cancel", "/here", "/terms", "/start", "/forget", "/leave")
    for command in rights:
        mary.send(command)
        assert "terms have changed" not in mary.last_text, command
    assert "Do you want to leave?" in mary.last_text
    mary.press("Yes, leave")  # she may leave without agreeing to anything new
    assert views.member_card(member)["status"] == "left"
    assert told(views, member) == []


def test_not_now_records_nothing_her_request_goes_on_and_she_is_asked_again_a_day_later(fake, bot, trust, views, clock):
    mary, member = on_version_1(fake, trust)
    mary.send("/details")
    before = len(mary.messages)
    mary.press("Not now")
    answer = mary.texts_since(before - 1)
    assert "That's fine: nothing was recorded, and everything works as before." in answer
    assert "you can leave the trust with /leave, or leave and have your personal data destroyed with /forget" in answer
    assert mary.last_text.startswith("Your details:")
    assert len(agreements(views, member)) == 1  # still version 1
    mary.send("/vote")
    mary.send("Hello")
    assert "terms have changed" not in mary.texts_since(before)  # not twice in a day
    clock.advance(hours=24)
    mary.send("/vote")
    assert mary.last_text.startswith(CHANGED)
    assert len(told(views, member)) == 2


def test_typed_words_outside_a_flow_are_asked_too_and_after_agreeing_she_is_shown_what_she_can_do(
    fake, bot, trust, views
):
    mary, member = on_version_1(fake, trust)
    mary.send("Hello, is anyone there?")
    assert mary.last_text.startswith(CHANGED)
    mary.press("I agree")
    assert "Thank you: you have agreed to version 2 of the membership terms." in mary.last_text
    assert "/mydata — what the trust holds about you" in mary.last_text


def test_a_button_for_other_terms_or_from_someone_not_a_member_changes_nothing(fake, bot, trust, services, chat_with):
    mary, member = on_version_1(fake, trust)
    mary.send("/vote")
    question = mary.message_with("I agree")
    with nothing_recorded(services):
        mary.press_data(question, terms_replies.AGREE + "1")  # not the latest: a forged or stale button
    assert STALE in mary.toasts
    anne = chat_with("Anne")
    anne.send("/help")
    with nothing_recorded(services):
        anne.press_data(anne.last, terms_replies.AGREE + "2")
    assert STALE in anne.toasts


def test_members_on_the_latest_terms_or_with_none_recorded_are_not_asked(chat_with, trust, views, services):
    nia = chat_with("Nia")
    join(nia, "Nia")  # in the chat today: version 2
    nia.send("/details")
    assert nia.last_text.startswith("Your details:")
    iona = trust.register_member("Iona Bell", CASEWORKER, channel="paper", evidence_ref="FORM-7")
    iona_chat = chat_with("Iona")
    trust.confirm_member(iona, Actor("caseworker", "dee"), "in person with a second caseworker")
    trust.link_chat(iona, iona_chat.user.chat_id, CASEWORKER)
    iona_chat.send("/details")  # no agreement recorded (paper): a caseworker records it from the form
    assert iona_chat.last_text.startswith("Your details:")
    assert told(views, iona) == []


def test_in_welsh_she_is_asked_in_welsh(fake, bot, trust):
    nia, _member = on_version_1(fake, trust, "Nia", language_code="cy")
    nia.send("/details")
    cy = translator("cy")
    assert nia.last_text.startswith(
        cy("The membership terms have changed since you agreed to version {agreed}.").format(agreed="1")
    )
    assert "have changed" not in nia.last_text
    assert [label for label, _ in nia.last.buttons] == [cy("I agree"), cy("Not now")]


def test_by_sms_the_question_is_the_summary_with_terms_for_the_whole_text_in_two_texts_at_most():
    _ = translator("en")
    reply = terms_replies.terms_changed(_, load_catalogue(), "1", short=True)
    sent = render.texts([type(reply)(SMS.command_words(reply.text), reply.buttons)])
    assert 1 <= len(sent) <= 2 and all(segments(text) <= 2 for text in sent)
    whole = "\n".join(sent)
    assert "Version 2, in short: The trust never sells your data; it sells only insight reports" in whole
    assert "Reply TERMS for the whole text." in whole and "you can leave the trust with LEAVE" in whole
    assert sent[-1].endswith("1 I agree\n2 Not now")  # the question and its choices together


@pytest.mark.parametrize("language", ["en", "cy"])
def test_by_sms_not_now_is_one_text_in_english_and_in_welsh(language):
    reply = terms_replies.not_now(translator(language))
    [sent] = render.texts([type(reply)(SMS.command_words(reply.text))])
    assert segments(sent) <= 2 and "LEAVE" in sent and "FORGET" in sent
