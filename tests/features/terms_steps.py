"""The steps of features/bot/terms_change.feature: a member who agreed to version 1 of the membership
terms is asked about version 2 in the chat, on every channel. They use the journeys' phones
(tests/features/test_bot_journeys.py imports them there)."""

from pytest_bdd import given, parsers, then, when

from adapters.bot.sms.render import plain
from domain.kernel.actors import Actor
from tests.features.phones import NUMBERS

CHANGED = "The membership terms have changed since you agreed to version {version}."
ACTORS = {"telegram": Actor("member", "via bot"), "sms": Actor("member", "via sms")}


@given("Mary joined the trust in the chat when version 1 of the membership terms was in force")
def mary_on_version_1(phones, trust, people):
    phone = phones("Mary")
    channel = phones.channel
    address = phone.chat.user.chat_id if channel == "telegram" else NUMBERS["Mary"]
    actor = ACTORS.get(channel, Actor("member", "via whatsapp"))
    people["Mary"] = trust.join_at_address(channel, address, "Mary Dixon", {"area": "CA1"}, "1", actor)


@when("Mary asks to see her details")
def asks_for_details(phones):
    phones("Mary").send("/details")


@then(
    parsers.parse(
        "the trust tells her the membership terms changed since she agreed to version {old}, "
        "and sends version {new} {sent}"
    )
)
def told_of_new_terms(phones, catalogue, old, new, sent):
    said = plain(phones("Mary").said)
    assert CHANGED.format(version=old) in said
    if sent == "in full":
        assert plain(catalogue.terms[new]) in said
    else:  # by SMS: the summary, and the word for the whole text
        assert plain(catalogue.terms_summary(new)) in said and "Reply TERMS for the whole text." in said
        assert plain(catalogue.terms[new]) not in said


@then("it asks whether she agrees before it shows her details")
def asks_first(phones):
    phone = phones("Mary")
    assert "Do you agree to version 2?" in phone.said
    assert {"I agree", "Not now"} <= set(phone.choices)
    assert "Your details:" not in phone.said


@when("she agrees to the new membership terms")
def agrees_to_new_terms(phones):
    phones.last.press("I agree")


@when(parsers.parse('she says "Not now" to the new membership terms'))
def not_now_to_new_terms(phones):
    phones.last.press("Not now")


@when("she replies TERMS for the whole text")
def replies_terms(phones):
    phones.last.send("/terms")


@then("the trust sends her the whole of version 2 and asks again whether she agrees")
def whole_text_sent(phones, catalogue):
    said = " ".join(plain(phones("Mary").said).split())  # (by SMS the whole text comes in several parts)
    assert " ".join(plain(catalogue.terms["2"]).split()) in said
    assert "Do you agree to version 2?" in said and "1 I agree" in said


@then("the trust thanks her for agreeing to version 2 and shows her details")
def thanked_and_shown(phones):
    said = phones("Mary").said
    assert "Thank you: you have agreed to version 2 of the membership terms." in phones("Mary").transcript
    assert "Your details:" in said and "Area: CA1" in said


@then("the trust shows her details")
def details_shown(phones):
    said = phones("Mary").said
    assert "Your details:" in said and "Area: CA1" in said


@then(
    parsers.parse(
        "Mary's history says she agreed to version {version} of the membership terms, having been sent {terms}"
    )
)
def agreed_in_history(views, catalogue, people, version, terms):
    history = [h["text"] for h in views.history(people["Mary"])]
    terms_hash = catalogue.terms_hash(version)[:12]
    said = f"Agreed to the membership terms, version {version} (text hash {terms_hash}), having been sent {terms}."
    assert said in history, history


@then("Mary is not asked about the terms again when she asks to see her details")
def not_asked_again(phones):
    phone = phones("Mary")
    phone.send("/details")
    assert "terms have changed" not in phone.said and "Your details:" in phone.said


@then("the trust shows Mary her data, and says nothing about the terms")
def data_shown(phones):
    said = phones("Mary").said
    assert "Mary Dixon" in said and "CA1" in said
    assert "terms have changed" not in said


@then(parsers.parse("the trust says nothing was recorded and that she can leave with {leave}"))
def not_now_said(phones, leave):
    transcript = phones("Mary").transcript
    assert "That's fine: nothing was recorded, and everything works as before." in transcript
    assert f"you can leave the trust with {leave}" in transcript


@then(parsers.parse("Mary last agreed to version {version} of the membership terms"))
def last_agreed(views, people, version):
    assert views.member_terms(people["Mary"])["version"] == version
