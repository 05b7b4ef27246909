"""Every word the bot says, in one place: gettext catalogues under ``locale/``.

The source texts are English, marked ``_("...")`` in the reply functions.
``make messages`` extracts them to ``locale/bot.pot`` with Babel; a translator
copies that to ``locale/<language>/LC_MESSAGES/bot.po`` (Welsh: ``cy``) and fills
it in. The bot reads the .po files directly (compiled in memory), so adding a
language needs no build step. A member gets their Telegram app's language when a
catalogue for it exists, otherwise the trust's default (DATATRUST_BOT_LANGUAGE).
The trust's own catalogue texts (purposes, notices, terms, questions) come from
its catalogue file instead."""

import gettext
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "bot"
UK = ZoneInfo("Europe/London")
Translate = Callable[[str], str]


@lru_cache(maxsize=16)
def translations(language: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def languages() -> list[str]:
    """Every language the conversation speaks: English and each catalogue under locale/."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return ["en", *(language for language in found if language != "en")]


def available(language: str) -> bool:
    return language == "en" or (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()


def language_for(telegram_language: str | None, default: str = "en") -> str:
    """The member's app language if the bot speaks it (``cy-GB`` -> ``cy``), else the default."""
    wanted = (telegram_language or "").split("-")[0].lower()
    return wanted if wanted and available(wanted) else default


def translator(language: str) -> Translate:
    return translations(language).gettext


def ngettext(singular: str, plural: str, count: int, _: Translate) -> str:
    """The member's language's words for ``count`` of something: "1 minute", "2 minutes" (Welsh
    has six forms). ``_`` is the member's translator; marked for `make messages` as ngettext."""
    catalogue = getattr(_, "__self__", None)
    if isinstance(catalogue, gettext.NullTranslations):
        return catalogue.ngettext(singular, plural, count)
    return singular if count == 1 else plural


def day(moment: datetime, language: str = "en") -> str:
    """A date as members say it, in UK time: 3 October 2026."""
    return format_date(moment.astimezone(UK), format="long", locale=_babel_locale(language))


def moment(moment: datetime, language: str = "en") -> str:
    """A date and time in UK time: 3 October 2026 at 14:05."""
    return format_datetime(moment.astimezone(UK), format="d MMMM y, HH:mm", locale=_babel_locale(language))


def _babel_locale(language: str) -> str:
    return "en_GB" if language == "en" else language
