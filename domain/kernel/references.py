"""Evidence references (paper form numbers and the like): short codes, never free text,
because they stay in the history after a member's personal data is erased."""

import re

from domain.kernel.errors import InvalidRequest

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$")


def reference(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not REFERENCE.match(text):
        raise InvalidRequest(
            f"{text[:40]!r} is not a reference: use up to 40 letters, digits and - _ . / (e.g. PF-1042), "
            "never names or notes."
        )
    return text
