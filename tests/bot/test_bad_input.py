"""Bad input never crashes the bot and never changes anyone else's history."""

import time

import pytest

from adapters.bot.guards import BURST
from domain.kernel.actors import Actor
from tests.bot.conftest import STALE, join, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def consents_of(views, services, member_id):
    return sorted((c["purpose"], c["status"]) for c in views.consents(member_id, services.clock()))


def member_ids(views):
    return {m["name"]: m["member_id"] for m in views.members()}


def test_unexpected_text_at_each_step_gets_a_helpful_reply_and_the_step_stays(chat_with, views):
    mary = chat_with("Mary")
    mary.send("hello?")
    assert "did not understand" in mary.last_text and "/start" in mary.last_text
    mary.send("/start")
    mary.send("what is this")  # buttons expected
    assert "answer the question above" in mary.last_text
    mary.press("I'm new: join")
    mary.send("maybe")  # terms: buttons expected
    assert "answer the question above" in mary.last_text
    mary.press("I agree")
    mary.send("   ")
    assert "Please type a name" in mary.last_text
    mary.send("/nonsense")  # a command the bot does not have is not taken as a name
    assert "answer the question above" in mary.last_text
    mary.send("Mary")
    mary.send("not a postcode")
    assert "not an answer I can take" in mary.last_text and "postcode district" in mary.last_text
    mary.send("CA1")
    mary.send("about forty")  # age band: a choice is expected
    assert "not an answer I can take" in mary.last_text
    mary.press("35-44")
    mary.press("Skip this question")
    mary.press("Skip this question")
    mary.send("yes please")  # an offer: buttons expected
    assert "answer the question above" in mary.last_text
    assert [m["name"] for m in views.members()] == ["Mary"]


def test_very_long_or_odd_text_is_refused_with_a_sentence(chat_with, views):
    mary = chat_with("Mary")
    mary.send("/start")
    mary.press("I'm new: join")
    mary.press("I agree")
    mary.send("M" * 4000)
    assert "1 to 200" in mary.last_text
    mary.send("Mary\x00Dixon")
    assert "1 to 200" in mary.last_text
    mary.send("Mary \ud800 Dixon")  # a lone surrogate: not text at all
    assert "1 to 200" in mary.last_text
    mary.send("Mary 👋 Dixon")  # emoji are fine
    assert "postcode district" in mary.last_text
    assert views.members() == []  # nothing is recorded before the last question


def test_stale_and_forged_buttons_change_nothing(chat_with, views, services):
    mary, owen = chat_with("Mary"), chat_with("Owen")
    join(mary, "Mary")
    join(owen, "Owen")
    ids = member_ids(views)
    owen.send("/consents")
    owens_consent = owen.last.buttons[0][1]  # withdraw:<Owen's consent>
    before = {name: consents_of(views, services, member_id) for name, member_id in ids.items()}
    mary.send("/consents")
    marys = mary.last
    terms = mary.messages[0]  # the welcome, then the terms, now asking her name

    for forged in (
        owens_consent,  # another member's consent
        "withdraw:" + "0" * 32,
        "withdraw:not-hex",
        "give:no-such-purpose",
        "give:affordable-credit",  # already given
        "offer:research:yes",  # a joining button after joining
        "terms:yes",
        "leave:maybe",
        "x" * 64,
    ):
        mary.press_data(marys, forged)
        assert mary.toasts[-1] == STALE
    mary.press_data(terms, "terms:yes")  # the old terms message's button, pressed again
    assert mary.toasts[-1] == STALE

    assert {name: consents_of(views, services, member_id) for name, member_id in ids.items()} == before


@pytest.mark.parametrize("bot_options", [{"chat_burst": BURST}])  # the bot's own limit
def test_a_flood_from_one_chat_is_told_once_and_does_not_hold_up_others(chat_with, fake, views):
    flooder, mary = chat_with("Flood"), chat_with("Mary")
    for number in range(60):
        fake.send_text(flooder.user, f"spam {number}")
    mary.send("/start")
    assert "Are you new" in mary.last_text
    slow_down = "You are sending messages faster than I can read them. I will answer again in a moment."
    deadline = time.monotonic() + 30  # the warning itself, however slow the machine
    while slow_down not in [m.text for m in flooder.messages] and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # a window for a second warning or more replies, which must not come
    replies = [m.text for m in flooder.messages]
    assert replies.count(slow_down) == 1
    assert len(replies) <= BURST + 2  # those read at once, one warning, and perhaps one more as the bucket refills

    time.sleep(1.1)  # once it slows down, it is answered again
    flooder.send("/help")
    assert "Here is what I can do" in flooder.last_text
    assert [m.text for m in flooder.messages].count(slow_down) == 1
    assert views.members() == []


def test_a_redelivered_update_changes_the_history_at_most_once_even_after_a_restart(
    chat_with, fake, bot, services, views
):
    mary = chat_with("Mary")
    join(mary, consent={"research": False})
    [member_id] = member_ids(views).values()
    mary.send("/consents")
    give = mary.press("Give: Research")
    mary.press("Withdraw: Research")
    fake.redeliver(give["update_id"])  # Telegram sends the "give" press again
    mary.send("/help")
    assert ("research", "withdrawn") in consents_of(views, services, member_id)
    assert ("research", "active") not in consents_of(views, services, member_id)

    bot.stop()  # a restart: the new process remembers nothing of the updates it saw
    shown = [(m.message_id, m.text, len(m.history)) for m in mary.messages]
    restarted = start_bot(services, fake)
    try:
        fake.redeliver(give["update_id"])
        mary.send("/help")
    finally:
        restarted.stop()
    # Not answered again either: no message changed, one new one (the answer to /help).
    assert [(m.message_id, m.text, len(m.history)) for m in mary.messages[:-1]] == shown
    assert mary.last_text.startswith("Here is what I can do")
    assert ("research", "active") not in consents_of(views, services, member_id)
    research = [c for c in views.consents(member_id, services.clock()) if c["purpose"] == "research"]
    assert len(research) == 1


def test_odd_buttons_while_choosing_purposes_change_nothing(chat_with, views, services):
    mary = chat_with("Mary")
    mary.send("/start")
    mary.press("I'm new: join")
    mary.press("I agree")
    mary.send("Mary")
    while any(text == "Skip this question" for text, _ in mary.last.buttons) or "postcode" in mary.last_text:
        mary.press("Skip this question")
    offer = mary.last
    assert offer.buttons[0][1] == "offer:affordable-credit:yes"
    for odd in (
        "offer:",
        "offer:affordable-credit",
        "offer:affordable-credit:maybe",
        "offer:research:yes",
        "offer:a:b:c",
    ):
        mary.press_data(offer, odd)
        assert mary.toasts[-1] == STALE
    [member] = views.members()
    assert views.consents(member["member_id"], services.clock()) == []
    mary.press("Yes")  # the real button still works
    assert len(views.consents(member["member_id"], services.clock())) == 1


def test_a_leave_question_asked_of_an_earlier_membership_cannot_end_a_later_one(chat_with, views, trust):
    mary = chat_with("Mary")
    join(mary)
    mary.send("/leave")
    old_question = mary.last
    mary.send("/forget")
    mary.press("Yes, destroy my data")
    trust.join_by_chat(mary.user.chat_id, "Mary", {}, "1", Actor("member", "via bot"))  # she joins again, same chat
    [yes] = [data for label, data in old_question.buttons if label == "Yes, leave"]
    mary.press_data(old_question, yes)
    assert mary.toasts[-1] == STALE
    assert sorted(m["status"] for m in views.members()) == ["active", "erased"]
