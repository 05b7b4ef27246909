"""Member reference codes: short, unambiguous codes printed on paper forms.

A code is eight characters from an alphabet without 0/O or 1/I/L (easy to
read aloud and to copy from handwriting), shown as ``ABCD-EFGH``. The last
character is a check character, so one mistyped character or two swapped
neighbours are caught before anyone is looked up. Each code is held by a
``MemberCode`` index aggregate whose id is derived from the code, so the event
store itself refuses a second member with the same code.
"""

import re
import secrets
import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters (a prime): no 0 O 1 I L
BODY = 7
_NAMESPACE = UUID("6d2f7c1e-8a4b-4c55-9f0e-3c1b2a9d7e10")
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{BODY + 1}}}$")


def _check_character(body: str) -> str:
    # A weighted sum modulo the alphabet's prime size catches any single
    # substitution and any swap of two neighbouring characters.
    total = sum((position + 2) * ALPHABET.index(ch) for position, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    return body + _check_character(body)


def normalise(text: str) -> str | None:
    """The code in its stored form, or None if ``text`` cannot be a valid code.

    Spaces, hyphens and case are ignored. Characters the alphabet leaves out
    (0, O, 1, I, L) are refused rather than guessed."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    if not _SHAPE.match(code):
        return None
    return code if _check_character(code[:BODY]) == code[BODY] else None


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class MemberCode(TrustAggregate):
    """Index: a reference code -> the member it was given to."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, code)

    @event("Assigned")
    def __init__(self, code: str, member_id: UUID):
        self.code = code
        self.member_id = member_id
