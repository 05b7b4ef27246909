"""Short texts people type (names, reasons, labels): one line, no control characters.

A control character (a NUL byte, say) is never part of a name; PostgreSQL cannot
even store a NUL in text. So such input is refused with a clear sentence instead
of failing deep in the database.

A name is also what a caseworker, a trustee and the member read back, so it must
show what it holds: invisible format characters (a zero-width space, a C1 control
such as U+009B) and direction overrides (``Ada \u202egnp.exe`` shows as
"Ada exe.png") are refused, and so is a name with nothing visible in it. The two
joiners real scripts need (ZWNJ U+200C in Persian and Indic words, ZWJ U+200D in
emoji sequences) stay allowed inside a name that has visible letters."""

import re
import unicodedata

from domain.kernel.errors import InvalidRequest

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")  # half of a UTF-16 pair: JSON can carry one, UTF-8 cannot
JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner: needed in real words
LINE_BREAKS = frozenset("\t\n\r")  # folded into single spaces, like any other whitespace
# Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern).
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def hidden(char: str) -> bool:
    """A control or format character other than the joiners and plain line breaks
    (this covers C1 controls, zero-width spaces and every bidi override or isolate)."""
    if char in JOINERS or char in LINE_BREAKS:
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def visible(char: str) -> bool:
    """A character that draws something on its own (not a space, mark, format or filler)."""
    return unicodedata.category(char)[0] not in "ZMC" and char not in BLANK


def one_line(text: str | None, what: str, limit: int = 200) -> str:
    """``text`` with its whitespace collapsed; refused if empty, too long, holding
    control or invisible format characters, or with nothing visible in it."""
    text = text or ""
    if SURROGATE.search(text) or any(hidden(char) for char in text):
        raise InvalidRequest(
            f"{what} contains a control character or an invisible formatting character; type it again as plain text."
        )
    text = " ".join(text.split())
    if not text or len(text) > limit:
        raise InvalidRequest(f"{what} must be 1 to {limit} characters.")
    if not any(visible(char) for char in text):
        raise InvalidRequest(f"{what} must contain at least one visible letter, digit or sign.")
    return text


def without_control_characters(text: str | None) -> str:
    return SURROGATE.sub("", CONTROL.sub("", text or ""))
