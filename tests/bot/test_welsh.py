"""The members' conversation in Welsh (issue 15): every text of the template has a Welsh translation that
keeps what the code and the channels rely on, and by SMS the fixed Welsh answers still fit in two segments."""

import re

import pytest
from babel.messages.pofile import read_po

from adapters.bot.sms import render
from adapters.bot.sms.segments import encoding, length, segments
from adapters.conversation import replies, texts
from adapters.conversation.channels import COMMANDS, SMS
from adapters.conversation.messages import Reply
from adapters.conversation.texts import LOCALE_DIR, translator
from domain.kernel.catalogue import load_catalogue

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

WELSH_PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "bot.po"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
COMMAND = re.compile(r"(?<![\w/])/(?:" + "|".join(COMMANDS) + r")\b")
CARRIER_WORD = re.compile(r"\b(?:STOP|START)\b")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u25aa-\u25fe\ufe0f]")


def _catalogue(path):
    with path.open("rb") as handle:
        return read_po(handle, locale="cy" if path == WELSH_PO else None)


TEMPLATE = [m.id for m in _catalogue(LOCALE_DIR / "bot.pot") if m.id]
WELSH = {m.id: m for m in _catalogue(WELSH_PO) if m.id}


def _forms(string) -> tuple[str, ...]:
    """A translation's forms: one, or each of a plural's (Welsh has six)."""
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def test_every_text_of_the_template_has_a_welsh_translation():
    untranslated = [
        english
        for english in TEMPLATE
        if english not in WELSH or not all(form.strip() for form in _forms(WELSH[english].string))
    ]
    assert untranslated == [], "translate these in adapters/conversation/locale/cy/LC_MESSAGES/bot.po"
    fuzzy = [english for english in TEMPLATE if WELSH[english].fuzzy]
    assert fuzzy == [], "a fuzzy translation is not used by gettext: check these and remove the fuzzy flag"
    assert len(TEMPLATE) > 100


@pytest.mark.parametrize("english", TEMPLATE)
def test_a_welsh_translation_keeps_the_placeholders_commands_carrier_words_emoji_and_line_breaks(english):
    for welsh in _forms(WELSH[english].string):  # every plural form keeps them all
        _keeps_what_matters(english[-1] if isinstance(english, tuple) else english, welsh)


def _keeps_what_matters(english: str, welsh: str) -> None:
    assert sorted(PLACEHOLDER.findall(welsh)) == sorted(PLACEHOLDER.findall(english)), welsh
    assert sorted(COMMAND.findall(welsh)) == sorted(COMMAND.findall(english)), welsh
    assert sorted(CARRIER_WORD.findall(welsh)) == sorted(CARRIER_WORD.findall(english)), welsh
    assert sorted(EMOJI.findall(welsh)) == sorted(EMOJI.findall(english)), welsh
    assert welsh.count("\n") == english.count("\n"), welsh
    assert welsh.format(**{name[1:-1]: "X" for name in PLACEHOLDER.findall(english)})  # still formats


def test_the_welsh_catalogue_declares_welsh_with_its_six_plural_forms():
    with WELSH_PO.open("rb") as handle:
        catalog = read_po(handle)
    assert str(catalog.locale) == "cy"
    assert catalog.num_plurals == 6
    plural = texts.translations("cy").plural  # type: ignore[attr-defined]
    assert [plural(n) for n in range(8)] == [0, 1, 2, 3, 5, 5, 4, 5]


def test_a_member_whose_app_speaks_welsh_is_welcomed_in_welsh():
    assert texts.language_for("cy-GB") == "cy"
    assert texts.language_for("cy") == "cy"
    welcome = replies.welcome(translator("cy")).text
    assert welcome.startswith("Croeso i'r ymddiriedolaeth ddata. 👋")
    assert "Welcome" not in welcome
    assert replies.welcome(translator("en")).text.startswith("Welcome to the data trust.")


def test_the_trust_can_make_welsh_its_default_language():
    assert texts.language_for(None, default="cy") == "cy"
    assert texts.language_for("fr", default="cy") == "cy"


_ = translator("cy")
FIXED_BY_SMS = {
    "help": replies.help_text(_, short=True),
    "not understood": replies.not_understood(_, short=True),
    "nothing to choose": replies.no_choice_waiting(_, short=True),
    "messages started": replies.messages_started(_),
    "messages stopped": replies.messages_stopped(_),
    "terms in short": replies.terms_summary(_, load_catalogue()),
    "stale": Reply(replies.stale_choice(_)),
    "not a choice": replies.not_a_choice(_, 12),
    "slow down": replies.slow_down(_),
    "went wrong": replies.went_wrong(_),
}


# The short welcome SMS members get (replies.welcome(_, short=True) on main since a0a3f1c).
SMS_WELCOME = (
    "Welcome to the data trust. Members decide, purpose by purpose, which organisations may see their data, "
    "and see every read. Are you new, or did a caseworker give you a reference code?"
)
FIXED_BY_SMS["welcome"] = Reply(
    _(SMS_WELCOME), [[(_("I'm new: join"), "start:new")], [(_("I have a reference code"), "start:code")]]
)


@pytest.mark.parametrize("name", sorted(FIXED_BY_SMS))
def test_each_fixed_welsh_sms_answer_is_one_text_of_at_most_two_segments(name):
    """A letter outside GSM-7 (â ê î ô û ŵ ŷ) makes the whole text UCS-2: 67 characters a part, not 153.
    The Welsh of these answers is worded to fit either way; the test counts what the carrier would."""
    reply = FIXED_BY_SMS[name]
    english = {
        "help": replies.help_text(translator("en"), short=True).text,
        "messages stopped": replies.messages_stopped(translator("en")).text,
        "welcome": SMS_WELCOME,
    }
    assert reply.text != english.get(name)
    sent = render.texts([Reply(SMS.command_words(reply.text), reply.buttons)])
    assert len(sent) == 1, sent
    assert segments(sent[0]) <= 2, (encoding(sent[0]), length(sent[0]), sent[0])


def test_the_welsh_sms_help_names_the_channel_words_and_stop():
    sent = render.texts([Reply(SMS.command_words(replies.help_text(_, short=True).text))])
    assert sent[0].startswith("Ymddiriedolaeth ddata:")
    for word in ("CONSENTS", "MYDATA", "VOTE", "PANEL", "LEAVE", "FORGET", "JOIN", "STOP"):
        assert word in sent[0]


def test_one_welsh_circumflex_makes_a_text_ucs2_and_so_shorter_per_segment():
    assert encoding("Ydych chi'n cytuno?") == "GSM-7"
    assert encoding("Ymuno â'r ymddiriedolaeth") == "UCS-2"
    assert segments("â" + "a" * 134) == 3 and segments("a" * 135) == 1


def test_a_telegram_member_whose_app_is_in_welsh_joins_in_welsh(chat_with):
    nia = chat_with("Nia", language_code="cy-GB")
    nia.send("/start")
    assert nia.last_text.startswith("Croeso i'r ymddiriedolaeth ddata.")
    nia.press("Rwy'n newydd: ymuno")
    assert "Telerau aelodaeth (fersiwn 2)" in nia.last_text
    nia.press("Rwy'n cytuno")
    assert nia.last_text.startswith("Pa enw neu lysenw")
