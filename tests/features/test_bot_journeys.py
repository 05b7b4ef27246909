"""Members joining and managing consent through the chat bot: features/bot/.

Every "When" step is a person tapping and typing in their chat: the real
python-telegram-bot Application (built by the bot's factory on the whole trust)
polls the fake Telegram server on loopback, and the "Then" steps read what the
member sees there, or ask the trust's own audit questions."""

import json

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.bot import conftest as bot_fixtures
from tests.bot.conftest import Chat, join
from tests.features.language import TRUSTEE, caseworker

fake, bot, bot_options, chat_with = (
    bot_fixtures.fake,
    bot_fixtures.bot,
    bot_fixtures.bot_options,
    bot_fixtures.chat_with,
)
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
LENDER_CLIENT = Actor("organisation", "eden valley api")

scenarios("bot")


class Chats:
    """The chats of the people in a scenario, by name; "she" is the one who spoke last."""

    def __init__(self, chat_with):
        self.chat_with, self.opened, self.current = chat_with, {}, None

    def __call__(self, name: str) -> Chat:
        if name not in self.opened:
            self.opened[name] = self.chat_with(name)
        self.current = self.opened[name]
        return self.current

    @property
    def last(self) -> Chat:
        return self.current


@pytest.fixture
def chats(chat_with) -> Chats:
    return Chats(chat_with)


@pytest.fixture
def people() -> dict:
    return {}


def could_see(views, clock, member_id) -> list[str]:
    return [entry["organisation"] for entry in views.who_could_see(member_id, clock())]


def only_member(views):
    [member] = views.members()
    return member["member_id"]


@given(parsers.parse('the social lender "{name}" is approved'))
def approved_lender(trust, clock, people, name):
    people[name] = trust.register_organisation(name, "social-lender", TRUSTEE)
    trust.approve_organisation(people[name], "DSA-1", clock().date(), TRUSTEE)


@given(parsers.parse('Mary joined through the bot and said yes to "{title}"'))
def mary_joined(chats, catalogue, views, people, title):
    join(chats("Mary"), "Mary Dixon", "CA1", {p.code: p.title == title for p in catalogue.offered_purposes()})
    people["Mary"] = only_member(views)


@given(parsers.parse('caseworker Cal registered Iona on paper, with consent to "{organisation}" for "{title}"'))
def iona_on_paper(trust, catalogue, people, organisation, title):
    cal = caseworker("Cal")
    people["Iona"] = trust.register_member("Iona Bell", cal, channel="paper", evidence_ref="FORM-7")
    [purpose] = [p.code for p in catalogue.purposes.values() if p.title == title]
    trust.grant_consent(
        people["Iona"], purpose, ["contact"], Audience(people[organisation]), cal, "paper", evidence_ref="FORM-7"
    )


@given(parsers.parse('"{organisation}" read Mary\'s contact details for affordable credit'))
def lender_read(trust, people, organisation):
    outcome = trust.record_access(people[organisation], people["Mary"], "affordable-credit", ["contact"], LENDER_CLIENT)
    assert outcome.granted


@when(parsers.parse("{name} starts a chat with the trust's bot and chooses to join"))
def starts_and_joins(chats, name):
    chats(name).send("/start")
    chats(name).press("I'm new: join")


@when(parsers.parse("{name} starts a chat with the trust's bot and says she has a reference code"))
def starts_with_code(chats, name):
    chats(name).send("/start")
    chats(name).press("I have a reference code")


@when("she agrees to the membership terms")
def agrees(chats):
    chats.last.press("I agree")


@when(parsers.parse('she says "Not now" to the membership terms'))
def not_now(chats):
    chats.last.press("Not now")


@when(parsers.parse('she gives her name as "{name}" and her area as "{area}", skipping the other questions'))
def name_and_area(chats, name, area):
    chat = chats.last
    chat.send(name)
    chat.send(area)
    while any(label == "Skip this question" for label, _ in chat.last.buttons):
        chat.press("Skip this question")


@when(parsers.parse('she says yes to "{title}" and no to everything else'))
def answers_offers(chats, title):
    chat = chats.last
    while chat.last.buttons and chat.last.buttons[0][1].startswith("offer:"):
        chat.press("Yes" if chat.last.text.startswith(title + "\n") else "No")


@when("she types the reference code from her form")
def types_code(chats, views, people):
    chats.last.send(views.member_card(people["Iona"])["reference_code"])


@when(parsers.parse('Mary opens her consents and taps "{label}"'))
def opens_consents_and_taps(chats, label):
    chats("Mary").send("/consents")
    chats("Mary").press(label)


@when(parsers.parse('she taps "{label}"'))
def taps(chats, label):
    chats.last.press(label)


@when("Mary asks the bot for her data")
def asks_for_data(chats):
    chats("Mary").send("/mydata")


@when("Mary asks the bot to forget her and confirms")
def forget_me(chats):
    chats("Mary").send("/forget")
    chats("Mary").press("Yes, destroy my data")


@then("the bot tells her she is a member and gives her a reference code")
def told_member(chats, views):
    said = chats.last.texts_since(0)
    code = views.member_card(only_member(views))["reference_code"]
    assert "You are a member now" in said and code in said


@then("the trust has recorded that she agreed to version 1 of the membership terms")
def terms_recorded(views, catalogue):
    history = [h["text"] for h in views.history(only_member(views))]
    terms_hash = catalogue.terms_hash("1")[:12]
    said = f"Agreed to the membership terms, version 1 (text hash {terms_hash}), having been sent the whole text."
    assert said in history


@then(parsers.parse('"{organisation}" could see {name}\'s data now'))
def could_see_now(views, clock, people, organisation, name):
    member_id = people.get(name) or only_member(views)
    assert could_see(views, clock, member_id) == [organisation]


@then(parsers.parse("nobody could see {name}'s data now"))
@given(parsers.parse("nobody could see {name}'s data now"))
def nobody_could_see(views, clock, people, name):
    assert could_see(views, clock, people[name]) == []


@then("the bot says nothing has been recorded")
def nothing_recorded_said(chats):
    assert "nothing has been recorded" in chats.last.last_text


@then("the trust has no members")
def no_members(views):
    assert views.members() == []


@then("the bot says her membership is confirmed")
def confirmed(chats):
    assert "membership is confirmed" in chats.last.last_text


@then(parsers.parse('the bot says no organisation can read her data for "{title}" from now on'))
def says_withdrawn(chats, title):
    assert chats("Mary").last_text.startswith(
        f"Withdrawn: {title}. From now on no organisation can read your data for this."
    )


@then(parsers.parse('the bot shows her name, her area and that "{organisation}" read her data'))
def shows_data(chats, organisation):
    text = chats("Mary").last_text
    assert "Name: Mary Dixon" in text and "CA1" in text
    assert f"{organisation} read contact for affordable-credit" in text


@then("the trust no longer holds Mary's name")
def name_gone(trust, views, people):
    assert trust.member_personal_data(people["Mary"]) is None
    assert "Mary Dixon" not in json.dumps(views.member_card(people["Mary"]), default=str)


@then(parsers.parse('Mary\'s history still shows that "{organisation}" read her data'))
def history_kept(views, people, organisation):
    assert f"{organisation} read contact for affordable-credit." in [h["text"] for h in views.history(people["Mary"])]
