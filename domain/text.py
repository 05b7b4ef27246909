"""Short texts people type (names, reasons, labels): one line, no control characters.

A control character (a NUL byte, say) is never part of a name; PostgreSQL cannot
even store a NUL in text. So such input is refused with a clear sentence instead
of failing deep in the database."""

import re

from domain.errors import InvalidRequest

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")  # half of a UTF-16 pair: JSON can carry one, UTF-8 cannot


def one_line(text: str | None, what: str, limit: int = 200) -> str:
    """``text`` with its whitespace collapsed; refused if empty, too long or holding control characters."""
    text = text or ""
    if CONTROL.search(text) or SURROGATE.search(text):
        raise InvalidRequest(f"{what} contains a control character; type it again as plain text.")
    text = " ".join(text.split())
    if not text or len(text) > limit:
        raise InvalidRequest(f"{what} must be 1 to {limit} characters.")
    return text


def without_control_characters(text: str | None) -> str:
    return SURROGATE.sub("", CONTROL.sub("", text or ""))
