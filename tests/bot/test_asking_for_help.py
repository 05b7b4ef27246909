"""Asking the trust for a person in the Telegram chat: the words a member sees at each turn, and
what is (and is not) recorded. The same journey on SMS and WhatsApp: features/bot/asking_for_help.feature."""

import pytest

from adapters.bot.sms import render
from adapters.bot.sms.segments import segments
from adapters.conversation import help_replies
from adapters.conversation.channels import SMS
from adapters.conversation.messages import Reply
from adapters.conversation.texts import translator
from tests.bot.conftest import join
from tests.conftest import CASEWORKER
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_the_help_list_names_ask(chat_with):
    mary = chat_with("Mary")
    mary.send("/help")
    assert "/ask — write to a person at the trust (a caseworker)" in mary.last_text


def test_a_member_writes_to_a_person_and_a_second_message_joins_the_open_request(chat_with, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/ask")
    assert "all in one message (at most 1,000 characters)" in mary.last_text
    # Joined on Telegram alone: a caseworker has no way back to her unless she gives one.
    assert "The trust has no phone number or other contact for you: put one in your message" in mary.last_text
    mary.send("12")  # a number is the message itself here, not a choice
    assert "your message is with the trust's caseworkers" in mary.last_text
    mary.send("/ask")
    mary.send("12")
    assert "You sent this message already" in mary.last_text
    mary.send("/ask")
    mary.send("Flat 12, I mean.")
    assert "added to the message you sent before" in mary.last_text
    [request] = views.help_requests()
    assert [m["text"] for m in request["messages"]] == ["12", "Flat 12, I mean."]
    assert views.open_help_count() == 1


def test_a_message_after_it_was_handled_opens_a_new_request(chat_with, trust, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/ask")
    mary.send("Can someone call me?")
    [request] = views.help_requests()
    trust.mark_help_handled(request["member_id"], request["request"], CASEWORKER, note="Called her.")
    mary.send("/ask")
    mary.send("Can someone call me?")
    assert "your message is with the trust's caseworkers" in mary.last_text
    [again] = views.help_requests()
    assert again["request"] == 2


def test_too_long_or_no_words_is_refused_with_a_sentence_and_nothing_recorded(chat_with, services, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/ask")
    with nothing_recorded(services):
        mary.send("word " * 300)
    assert "your message is 1,499 characters long and I can pass on at most 1,000" in mary.last_text
    mary.send("\u200b\u200b")  # invisible: no words in it
    assert "please write your message in words" in mary.last_text.lower()
    mary.send("Call me please")  # still waiting for the message
    assert "your message is with the trust's caseworkers" in mary.last_text
    assert len(views.help_requests()) == 1


def test_cancel_leaves_the_question_and_sends_nothing(chat_with, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/ask")
    mary.send("/cancel")
    mary.send("Hello")
    assert "did not understand" in mary.last_text
    assert views.help_requests() == []


def test_someone_half_way_through_joining_is_told_how_to_join_and_their_question_still_waits(chat_with, services):
    anne = chat_with("Anne")
    anne.send("/start")
    anne.press("I'm new: join")
    anne.press("I agree")
    with nothing_recorded(services):
        anne.send("/ask")
    assert "only from members" in anne.last_text and "Send /start to join" in anne.last_text
    assert "Please answer the question above" in anne.last_text
    anne.send("Anne")  # her name: joining goes on where it was
    assert "postcode district" in anne.last_text


def test_a_member_who_left_is_a_stranger_to_the_chat_again(chat_with, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/leave")
    mary.press("Yes, leave")
    mary.send("/ask")
    assert "only from members" in mary.last_text
    assert views.help_requests() == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_answer_about_asking_is_one_sms_of_at_most_two_segments(language):
    _ = translator(language)
    answers = [
        help_replies.ask_for_message(_, 1000),
        help_replies.sent(_),
        help_replies.added(_),
        help_replies.already_sent(_),
        help_replies.too_long(_, 1200, 1000),
        help_replies.not_words(_),
        help_replies.not_a_member(_),
    ]
    for reply in answers:
        [sent] = render.texts([Reply(SMS.command_words(reply.text))])
        assert segments(sent) <= 2, sent
        assert "/" not in sent, sent  # the commands in SMS words: ASK, JOIN, MENU
    assert _("Write to a person at the trust") != "Write to a person at the trust" or language == "en"


def test_another_command_ends_the_wait_so_the_next_text_is_not_sent(chat_with, views):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/ask")
    mary.send("/mydata")
    mary.send("thanks")
    assert "did not understand" in mary.last_text
    assert views.help_requests() == []
