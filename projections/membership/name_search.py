"""Finding members by name without a readable name in the store.

Each word of a member's name, and each start of a word of at least
``MIN_PREFIX`` characters, is kept only as a keyed digest (HMAC-SHA256 under a
key derived from the current key version, ``Vault.search_key``; a key rotation
digests every live name again), in ``member_name_digests``. A search digests
the typed words the same way: every typed word must be a whole word of the
name or the start of one. Three characters, not two: a two-letter start is
shared by so many names that its digest would group members visibly (who
shares a name's first letters) and match too many to help a caseworker; a word
shorter than three is still found whole ("Li", "O'Neil" by "o").
"""

import hashlib
import hmac
import re
import unicodedata
from uuid import UUID

from sqlalchemy import Connection, delete, func, select

from domain.sealing.vault import Vault
from projections.core.bulk import insert_rows
from projections.core.personal import name_of, opened
from projections.membership.tables import member_name_digests, members

MIN_PREFIX = 3
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019\u02bc`\u00b4.,]+")


def words(text: str) -> list[str]:
    """The name's words, compared without case, accents or compatibility forms ("Zoë" is "zoe")."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = unicodedata.normalize("NFKC", "".join(c for c in folded if not unicodedata.combining(c)))
    return [word for word in _SEPARATORS.split(plain) if word]


def _digest(key: bytes, word: str) -> bytes:
    return hmac.new(key, word.encode("utf-8"), hashlib.sha256).digest()[:16]


def name_digests(key: bytes, name: str) -> set[bytes]:
    """Digests of every word of the name and every start of a word (at least MIN_PREFIX long)."""
    found = set()
    for word in words(name):
        found.add(_digest(key, word))
        found.update(_digest(key, word[:n]) for n in range(MIN_PREFIX, len(word)))
    return found


def name_rows(key: bytes, member_id: UUID, name: str | None) -> list[dict]:
    """The rows of a new member's digests (none for a member without a name)."""
    return [dict(member_id=member_id, digest=d) for d in sorted(name_digests(key, name))] if name else []


def forget_name(conn: Connection, member_id: UUID) -> None:
    conn.execute(delete(member_name_digests).where(member_name_digests.c.member_id == member_id))


def reindex_names(conn: Connection, vault: Vault, names: dict[UUID, str]) -> None:
    """Every member's digests again, under the search key of now (after a key rotation)."""
    conn.execute(delete(member_name_digests))
    key = vault.search_key(conn)
    rows = [row for member_id, name in names.items() for row in name_rows(key, member_id, name)]
    insert_rows(conn, member_name_digests, rows)  # in bulk: COPY on PostgreSQL


def members_named(conn: Connection, vault: Vault, text: str):  # type: ignore[no-untyped-def]
    """A query of the ids of members whose name has every typed word (whole or its start), or None."""
    key = vault.search_key(conn)
    wanted = {_digest(key, word) for word in words(text)}
    if not wanted:
        return None
    return (
        select(member_name_digests.c.member_id)
        .where(member_name_digests.c.digest.in_(sorted(wanted)))
        .group_by(member_name_digests.c.member_id)
        .having(func.count(func.distinct(member_name_digests.c.digest)) == len(wanted))
    )


def reindex_everyone(conn: Connection, vault: Vault) -> None:
    """After a key rotation: every living member's name digests again, under the new version's key."""
    living = select(members.c.member_id, members.c.personal).where(members.c.personal.is_not(None))
    people = opened(vault, conn, conn.execute(living))
    reindex_names(conn, vault, {member: name_of(personal) for member, personal in people.items() if personal})
