"""Members joining and managing consent in the members' chat, on every channel: features/bot/.

Every "When" step is a person tapping and typing on their phone: on Telegram, the real
python-telegram-bot Application polling the fake Telegram; by SMS and on WhatsApp, the fake
Twilio and the fake Cloud API posting signed webhooks to `datatrust serve`'s app, and the real
twilio and pywa clients' answers read back (tests/features/phones.py). The "Then" steps read
what the member sees, or ask the trust's own audit questions. Each scenario runs per channel
and per database."""

import json
from datetime import timedelta

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from adapters.bot.sms.render import plain
from adapters.conversation.texts import day
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.bot import conftest as bot_fixtures
from tests.fake_twilio import FakeTwilio
from tests.fake_whatsapp import FakeWhatsApp
from tests.features.comparing_steps import *  # noqa: F403 - the steps of features/bot/comparing.feature
from tests.features.language import TRUSTEE, caseworker
from tests.features.phones import NUMBERS, TWILIO_TOKEN, Served, SmsPhone, TelegramPhone, WhatsAppPhone
from tests.features.sharing_steps import *  # noqa: F403 - the steps of features/bot/sharing.feature
from tests.features.terms_steps import *  # noqa: F403 - the steps of features/bot/terms_change.feature

fake, bot, bot_options, chat_with = (
    bot_fixtures.fake,
    bot_fixtures.bot,
    bot_fixtures.bot_options,
    bot_fixtures.chat_with,
)
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
LENDER_CLIENT = Actor("organisation", "eden valley api")

scenarios("bot")


class Phones:
    """The phones of the people in a scenario, by name, on the scenario's channel; "she" is the one who spoke last."""

    def __init__(self, request, services):
        self.request, self.services = request, services
        self.channel: str | None = None
        self.opened: dict = {}
        self.current = None
        self._stops: list = []

    def use(self, channel: str) -> None:
        self.channel = channel
        if channel in ("sms", "whatsapp") and not hasattr(self, "served"):
            self.whatsapp = FakeWhatsApp().start()
            self._stops.append(self.whatsapp.stop)
            self.served = Served(self.services, self.whatsapp)
            self._stops.append(self.served.stop)
            self.twilio = FakeTwilio(auth_token=TWILIO_TOKEN, sms_url=self.served.sms_url).start()
            self._stops.append(self.twilio.stop)

    def __call__(self, name: str):
        assert self.channel is not None, "say first which channel members talk to the trust by"
        if name not in self.opened:
            if self.channel == "telegram":
                self.opened[name] = TelegramPhone(self.request.getfixturevalue("chat_with")(name))
            elif self.channel == "sms":
                self.opened[name] = SmsPhone(self.twilio, NUMBERS[name])
            else:
                self.opened[name] = WhatsAppPhone(self.whatsapp, self.served.whatsapp_url, name)
        self.current = self.opened[name]
        return self.current

    @property
    def last(self):  # type: ignore[no-untyped-def]
        return self.current

    def close(self) -> None:
        for stop in reversed(self._stops):
            stop()


@pytest.fixture
def phones(request, services):
    opened = Phones(request, services)
    yield opened
    opened.close()


@pytest.fixture
def people() -> dict:
    return {}


def could_see(views, clock, member_id) -> list[str]:
    return [entry["organisation"] for entry in views.who_could_see(member_id, clock())]


def only_member(views):
    [member] = views.members()
    return member["member_id"]


@given(parsers.parse("members talk to the trust by {channel}"))
def talk_by(phones, channel):
    phones.use(channel)


@given(parsers.parse('the social lender "{name}" is approved'))
def approved_lender(trust, clock, people, name):
    people[name] = trust.register_organisation(name, "social-lender", TRUSTEE)
    trust.approve_organisation(people[name], "DSA-1", clock().date(), TRUSTEE)


@given(parsers.parse('Mary joined in the chat and said yes to "{title}"'))
def mary_joined(phones, catalogue, views, people, title):
    phone = phones("Mary")
    phone.send("/start")
    phone.press("I'm new: join")
    phone.press("I agree")
    name_and_area(phones, "Mary Dixon", "CA1")
    answers_offers(phones, catalogue, title)
    people["Mary"] = only_member(views)


@given(parsers.parse('Mary joined in the chat and said yes to both "{first}" and "{second}"'))
def mary_joined_yes_to_two(phones, catalogue, views, people, first, second):
    phone = phones("Mary")
    phone.send("/start")
    phone.press("I'm new: join")
    phone.press("I agree")
    name_and_area(phones, "Mary Dixon", "CA1")
    titles = [purpose.title for purpose in catalogue.offered_purposes()]
    while {"Yes", "No"} <= set(phone.choices):
        offered = max(titles, key=phone.said.rfind)
        phone.press("Yes" if offered in (first, second) else "No")
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


@when(parsers.parse("{name} starts a chat with the trust and chooses to join"))
def starts_and_joins(phones, name):
    phones(name).send("/start")
    phones(name).press("I'm new: join")


@when(parsers.parse("{name} starts a chat with the trust and says she has a reference code"))
def starts_with_code(phones, name):
    phones(name).send("/start")
    phones(name).press("I have a reference code")


@when("she agrees to the membership terms")
def agrees(phones):
    phones.last.press("I agree")


@when(parsers.parse('she says "Not now" to the membership terms'))
def not_now(phones):
    phones.last.press("Not now")


@when(parsers.parse('she gives her name as "{name}" and her area as "{area}", skipping the other questions'))
def name_and_area(phones, name, area):
    phone = phones.last
    phone.send(name)
    phone.send(area)
    while "Skip this question" in phone.choices:
        phone.press("Skip this question")


@when(parsers.parse('she says yes to "{title}" and no to everything else'))
def answers_offers(phones, catalogue, title):
    phone = phones.last
    titles = [purpose.title for purpose in catalogue.offered_purposes()]
    while {"Yes", "No"} <= set(phone.choices):
        offered = max(titles, key=phone.said.rfind)  # the purpose asked about now is the last one named
        phone.press("Yes" if offered == title else "No")


@when("she types the reference code from her form")
def types_code(phones, views, people):
    phones.last.send(views.member_card(people["Iona"])["reference_code"])


@when(parsers.parse('Mary opens her consents and chooses "{label}"'))
def opens_consents_and_chooses(phones, label):
    phones("Mary").send("/consents")
    phones("Mary").press(label)


@when(
    parsers.parse(
        'Mary opens her consents and quickly chooses "{first}", '
        'then "{second}" where she saw it, before reading the answer'
    )
)
def two_quick_taps(phones, first, second):
    phone = phones("Mary")
    phone.send("/consents")
    seen = phone.look()
    phone.press_as_seen(seen, first)
    phone.press_as_seen(seen, second)


@then(parsers.parse('the trust says "{words}"'))
def trust_says(phones, words):
    assert words in phones("Mary").said


@then(parsers.parse('Mary\'s consents for "{first}" and "{second}" are withdrawn, and nothing else was given'))
def both_withdrawn(views, clock, catalogue, people, first, second):
    consents = views.consents(people["Mary"], clock())
    titles = {c["purpose"]: catalogue.purposes[c["purpose"]].title for c in consents}
    assert sorted((titles[c["purpose"]], c["status"]) for c in consents) == [
        (first, "withdrawn"),
        (second, "withdrawn"),
    ]


@given(parsers.parse('the trustees opened the proposal "{title}" today'))
def proposal_opened(trust, clock, title):
    trust.open_proposal(
        title,
        "Insight releases would need at least 15 members in every group.",
        ["For", "Against"],
        clock() + timedelta(days=7),
        TRUSTEE,
    )


@when("Mary asks to vote")
def asks_to_vote(phones):
    phones("Mary").send("/vote")


@then(parsers.parse('the trust tells her "{title}" opened before she became a member, so it is not open for her vote'))
def told_why_not(phones, clock, title):
    said = phones("Mary").said
    expected = f"“{title}” opened on {day(clock())}. Only those who were members then may vote on it"
    assert plain(expected) in plain(said)  # by SMS, plain quotes
    assert "you became a member after it opened, so it is not open for your vote." in said
    assert "There is no proposal open" not in said


@when(parsers.parse('Mary asks to change her details and gives her area as "{area}"'))
def changes_area(phones, area):
    phone = phones("Mary")
    phone.send("/details")
    assert "Your details:" in phone.said and "Area: CA1" in phone.said
    phone.press("Change: Area")
    phone.send(area)


@then(parsers.parse('Mary\'s area is "{area}", changed by herself via {recorded}'))
def area_changed(views, people, area, recorded):
    assert views.member_card(people["Mary"])["profile"]["area"] == area
    [change] = [h for h in views.history(people["Mary"]) if h["what"] == "profile updated"]
    assert change["text"] == f"Changed panel answers via {recorded}: area."
    assert change["actor"] == f"member:via {recorded}"


@when(parsers.parse('she chooses "{label}"'))
def chooses(phones, label):
    phones.last.press(label)


@when("Mary asks the trust for her data")
def asks_for_data(phones):
    phones("Mary").send("/mydata")


@when("Mary asks the trust to forget her and confirms")
def forget_me(phones):
    phones("Mary").send("/forget")
    phones("Mary").press("Yes, destroy my data")


@then("the trust tells her she is a member and gives her a reference code")
def told_member(phones, views):
    said = phones.last.transcript
    code = views.member_card(only_member(views))["reference_code"]
    assert "You are a member now" in said and code in said


@then(
    parsers.parse("the trust has recorded that she agreed to version {version} of the membership terms, sent {terms}")
)
def terms_recorded(views, catalogue, version, terms):
    history = [h["text"] for h in views.history(only_member(views))]
    terms_hash = catalogue.terms_hash(version)[:12]
    said = f"Agreed to the membership terms, version {version} (text hash {terms_hash}), having been sent {terms}."
    assert said in history


@then(parsers.parse("her consent was collected by {channel}"))
def collected_by(views, channel):
    history = [h["text"] for h in views.history(only_member(views))]
    via = {"telegram": "bot"}.get(channel, channel)
    assert any(line.startswith("Gave consent") and f"(via {via})" in line for line in history), history


@then(parsers.parse('"{organisation}" could see {name}\'s data now'))
def could_see_now(views, clock, people, organisation, name):
    member_id = people.get(name) or only_member(views)
    assert could_see(views, clock, member_id) == [organisation]


@then(parsers.parse("nobody could see {name}'s data now"))
@given(parsers.parse("nobody could see {name}'s data now"))
def nobody_could_see(views, clock, people, name):
    assert could_see(views, clock, people[name]) == []


@then("the trust says nothing has been recorded")
def nothing_recorded_said(phones):
    assert "nothing has been recorded" in phones.last.said


@then("the trust has no members")
def no_members(views):
    assert views.members() == []


@then("the trust says her membership is confirmed")
def confirmed(phones):
    assert "membership is confirmed" in phones.last.said


@then(parsers.parse('the trust says no organisation can read her data for "{title}" from now on'))
def says_withdrawn(phones, title):
    assert f"Withdrawn: {title}. From now on no organisation can read your data for this." in phones("Mary").said


@then(parsers.parse('the trust shows her name, her area and that "{organisation}" read her data'))
def shows_data(phones, organisation):
    text = phones("Mary").said
    assert "Mary Dixon" in text and "CA1" in text
    assert plain(f"{organisation} read how to reach you (name, phone, chat) for Affordable credit.") in plain(text)


@then("the trust no longer holds Mary's name")
def name_gone(trust, views, people):
    assert trust.member_personal_data(people["Mary"]) is None
    assert "Mary Dixon" not in json.dumps(views.member_card(people["Mary"]), default=str)


@then(parsers.parse('Mary\'s history still shows that "{organisation}" read her data'))
def history_kept(views, people, organisation):
    assert f"{organisation} read contact for affordable-credit." in [h["text"] for h in views.history(people["Mary"])]


# Asking the trust for a person (features/bot/asking_for_help.feature)


@when(parsers.parse('Mary asks for a person and writes "{words}"'))
def asks_for_a_person(phones, words):
    phone = phones("Mary")
    phone.send("/ask")
    assert "Write your message for the trust's caseworkers" in phone.said
    # By SMS and WhatsApp the number she writes from is the way back; on Telegram she is asked for one.
    assert ("no phone number" in phone.said) == (phones.channel == "telegram")
    phone.send(words)


@when(parsers.parse("Mary asks for a person and writes a message of {length:d},{thousands:d} characters"))
def asks_at_length(phones, length, thousands):
    words = "Please call me about my form. " * 50
    phone = phones("Mary")
    phone.send("/ask")
    phone.send(words[: length * 1000 + thousands - 1] + ".")  # (ends in a letter: nothing trimmed)


@when(parsers.parse('she writes "{words}" instead'))
def writes_instead(phones, words):
    phones.last.send(words)


@when(parsers.parse("{name} asks for a person"))
def someone_asks(phones, name):
    phones(name).send("/ask")


@then(parsers.parse("the caseworkers' queue has Mary's message \"{words}\", sent by {channel}"))
def in_the_queue(views, people, words, channel):
    [request] = views.help_requests()
    assert (request["member_id"], request["channel"]) == (people["Mary"], channel)
    assert [message["text"] for message in request["messages"]] == [words]


@then("the caseworkers' queue is empty")
def queue_empty(views):
    assert views.help_requests() == [] and views.open_help_count() == 0


@then(parsers.parse("Mary's history says she asked for help on {shown}, without her words"))
def history_says_asked(views, people, shown):
    [fact] = [h for h in views.history(people["Mary"]) if h["what"] == "asked for help"]
    assert fact["text"] == f"Asked the trust's caseworkers for help, on {shown}."
    assert fact["actor"].startswith("member:via ")


@then(parsers.parse("the trust tells {name} it passes on messages only from members, and how to join with {join}"))
def told_to_join(phones, name, join):
    said = phones(name).said
    assert "only from members" in said and f"Send {join} to join" in said
