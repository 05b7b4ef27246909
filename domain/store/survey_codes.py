"""The one-time codes a business hands its staff for a staff survey, kept beside the event log.

A code is random (12 letters and digits from an alphabet without look-alikes, about 59 bits) and
shown to the business once. Only a keyed digest of it is stored (HMAC-SHA256 with a key derived
from the master key, so a copy of this table alone cannot be searched for codes), with the survey
it belongs to: nothing else, no time. Answering deletes the row in the same transaction as the
answer is recorded, so a code works once and no trace of which code answered is left; closing
the survey deletes the codes left over. The event log records only how many codes were issued."""

import hashlib
import hmac
import secrets
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Uuid, delete, insert, select
from sqlalchemy.orm import Session

from domain.kernel.errors import InvalidRequest

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0 or 1: read aloud or typed, none is mistaken
LENGTH, GROUP = 12, 4
KEY_PURPOSE = "staff survey code digests"

survey_codes_metadata = MetaData()
staff_survey_codes = Table(
    "staff_survey_codes",
    survey_codes_metadata,
    Column("code_digest", String(64), primary_key=True),
    Column("survey_id", Uuid, nullable=False, index=True),
)


class CodeNotValid(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "This code is not one we know, has already been used, or its survey has closed. Check it against "
            "the slip you were given: each code works only once. Nothing was recorded."
        )


def _digest(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def shown(code: str) -> str:
    """ABCDEFGHJKMN as ABCD-EFGH-JKMN, for reading off a slip."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def typed(text: object) -> str | None:
    """A code as typed (any case, spaces or hyphens between groups), or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def issue_codes(session: Session, key: bytes, survey_id: UUID, count: int) -> list[str]:
    """``count`` fresh codes for the survey, as shown to the business (only their digests kept)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))
    rows = [dict(code_digest=_digest(key, code), survey_id=survey_id) for code in sorted(codes)]
    session.execute(insert(staff_survey_codes), rows)
    return [shown(code) for code in sorted(codes)]


def code_survey(session: Session, key: bytes, text: object) -> UUID:
    """The survey an unspent code belongs to (CodeNotValid if it is unknown or spent); nothing changes."""
    code = typed(text)
    if code is None:
        raise CodeNotValid()
    found = session.execute(
        select(staff_survey_codes.c.survey_id).where(staff_survey_codes.c.code_digest == _digest(key, code))
    ).first()
    if found is None:
        raise CodeNotValid()
    return found.survey_id


def spend_code(session: Session, key: bytes, text: object, survey_id: UUID) -> None:
    """The code is used up (it must belong to ``survey_id``): its row is deleted, leaving nothing."""
    if code_survey(session, key, text) != survey_id:
        raise CodeNotValid()
    code = typed(text)
    assert code is not None
    session.execute(delete(staff_survey_codes).where(staff_survey_codes.c.code_digest == _digest(key, code)))


def drop_codes(session: Session, survey_id: UUID) -> int:
    """The unspent codes of a closed survey are of no more use: deleted. How many there were."""
    result = session.execute(delete(staff_survey_codes).where(staff_survey_codes.c.survey_id == survey_id))
    return int(result.rowcount or 0)
