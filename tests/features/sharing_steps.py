"""The steps of features/bot/sharing.feature: a member sharing data in the chat, on every channel.
They use the journeys' phones (tests/features/test_bot_journeys.py imports them there)."""

from pytest_bdd import parsers, then, when

from adapters.bot.sms.render import plain

SKIP = "Skip this question"


@when(parsers.parse('Mary asks to share "{title}"'))
def asks_to_share(phones, title):
    phone = phones("Mary")
    phone.send("/share")
    assert f"{title}: not yet" in plain(phone.said)
    phone.press(f"Share: {title}")


@when(parsers.parse('Mary sends "{text}"'))
def mary_sends(phones, text):
    phones("Mary").send(text)


@when(parsers.parse('she answers "{answer}"'))
def answers(phones, answer):
    phones.last.send(answer)


@when(parsers.parse('she answers "{first}", skips the next question, then answers "{second}" and "{third}"'))
def answers_skipping_one(phones, first, second, third):
    phone = phones.last
    phone.send(first)
    assert "Question 2 of 4" in phone.said
    if SKIP in phone.choices:  # a button, or a row
        phone.press(SKIP)
    else:  # by SMS a number is the answer, so the skip is a word
        assert "reply SKIP" in phone.said
        phone.send("SKIP")
    phone.send(second)
    phone.send(third)


@then(parsers.parse('the trust shows her "{line}" and asks whether to record it'))
def shows_to_confirm(phones, line):
    phone = phones("Mary")
    assert line in phone.said
    assert {"Yes, record it", "No, cancel"} <= set(phone.choices)


@then("nothing Mary shares is recorded yet")
def nothing_shared(trust, people):
    assert trust.shared_data(people["Mary"]) == {}


@then(parsers.parse("Mary's well-being is recorded as {first:d}, {second:d} and {third:d}, by herself via {recorded}"))
def wellbeing_recorded(trust, views, people, first, second, third, recorded):
    [submission] = trust.shared_history(people["Mary"])
    assert submission.values == {"life-satisfaction": first, "happiness": second, "anxiety": third}
    assert (submission.channel, submission.actor) == (recorded, f"member:via {recorded}")
    [fact] = [h["text"] for h in views.history(people["Mary"]) if h["what"] == "data shared"]
    assert fact == f"Shared wellbeing (version 1) via {recorded}: anxiety, happiness, life-satisfaction."  # no values


@then(parsers.parse('the trust shows her "{first}", "{second}" and "{third}"'))
def shows_three(phones, first, second, third):
    said = phones("Mary").said
    assert all(words in said for words in (first, second, third)), said
