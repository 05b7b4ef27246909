"""The bot's words live in one gettext catalogue; a language is added with a .po file."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from adapters.conversation import replies, texts
from adapters.conversation.texts import LOCALE_DIR

WELSH_PO = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Sorry, I did not understand that."
msgstr "Mae'n ddrwg gen i, doeddwn i ddim yn deall hynny."
"""


def test_the_template_holds_every_text_the_bot_says():
    """`make messages` was run after the last wording change (the template is what translators work from)."""
    adapters = LOCALE_DIR.parent.parent  # the conversation's words, and the Telegram bot's own (its menu)
    in_code = {
        message
        for folder in (adapters / "conversation", adapters / "bot")
        for _file, _line, message, *_ in extract_from_dir(folder, keywords={"_": None, "ngettext": (1, 2)})
    }
    with (LOCALE_DIR / "bot.pot").open("rb") as handle:
        in_template = {m.id for m in read_po(handle) if m.id}
    assert in_code - in_template == set(), "run `make messages` to add these to adapters/conversation/locale/bot.pot"
    assert in_template - in_code == set(), "run `make messages` to drop these from adapters/conversation/locale/bot.pot"


def test_a_member_gets_their_apps_language_when_the_bot_speaks_it(tmp_path, monkeypatch):
    welsh = tmp_path / "cy" / "LC_MESSAGES"
    welsh.mkdir(parents=True)
    (welsh / "bot.po").write_text(WELSH_PO, encoding="utf-8")
    monkeypatch.setattr(texts, "LOCALE_DIR", tmp_path)
    texts.translations.cache_clear()
    try:
        assert texts.language_for("cy-GB") == "cy"
        assert texts.language_for("fr") == "en"  # no French catalogue: the trust's default
        assert texts.language_for(None, default="cy") == "cy"
        reply = replies.not_understood(texts.translator("cy"))
        assert reply.text.startswith("Mae'n ddrwg gen i, doeddwn i ddim yn deall hynny.")
        assert "/consents" in reply.text  # untranslated sentences fall back to English
    finally:
        texts.translations.cache_clear()


def test_counts_take_the_plural_they_need_in_english_and_welsh():
    english = replies.too_many_codes(texts.translator("en"), 1).text
    assert "Please wait 1 minute and try again." in english
    assert "Please wait 2 minutes and try again." in replies.too_many_codes(texts.translator("en"), 2).text
    for count in (1, 2, 3, 6):  # Welsh has six plural forms: each is translated
        assert f"Arhoswch {count} munud" in replies.too_many_codes(texts.translator("cy"), count).text


def test_a_consent_kept_inside_the_trust_names_no_organisation_in_either_language():
    from domain.kernel.catalogue import load_catalogue

    catalogue = load_catalogue()
    for language, begins, inside in (
        ("en", "Only the trust itself, for anonymised comparisons,", "only the trust itself"),
        ("cy", "Dim ond yr ymddiriedolaeth ei hun, ar gyfer cymariaethau dienw,", "dim ond yr ymddiriedolaeth ei hun"),
    ):
        _ = texts.translations(language).gettext
        assert replies.audience_words(_, catalogue, None, "trust") == begins
        assert replies.audience_words(_, catalogue, None, "trust", begins=False) == inside
