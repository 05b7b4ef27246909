"""Finding members by name without a readable name in the store.

Each word of a member's name, and each start of a word of at least
``MIN_PREFIX`` characters, is kept only as a keyed digest (HMAC-SHA256 under a
key derived from the current key version, ``Vault.search_key``), in
``member_name_digests``, with the version it was made under. A key rotation
digests every live name again under the new version, a hundred members a step
(``rekey_some``); until it ends a search digests the typed words under
every live version. Every typed word must be a whole word of the name or the
start of one. Three characters, not two: a two-letter start is
shared by so many names that its digest would group members visibly (who
shares a name's first letters) and match too many to help a caseworker; a word
shorter than three is still found whole ("Li", "O'Neil" by "o").
"""

import hashlib
import hmac
import re
import unicodedata
from uuid import UUID

from sqlalchemy import Connection, Engine, bindparam, delete, func, inspect, select, text

from domain.sealing.rotation import Position, oldest_first, past
from domain.sealing.vault import Vault
from domain.sealing.versions import LEGACY_VERSION, current_version
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


def name_rows(search: tuple[int, bytes], member_id: UUID, name: str | None) -> list[dict]:
    """The rows of a member's digests under ``search``, (version, key) (none for a member without a name)."""
    version, key = search
    if not name:
        return []
    return [dict(member_id=member_id, digest=d, key_version=version) for d in sorted(name_digests(key, name))]


def forget_name(conn: Connection, member_id: UUID) -> None:
    conn.execute(delete(member_name_digests).where(member_name_digests.c.member_id == member_id))


DIGESTS_A_NAME = 16  # rows of the oldest digests to find a step's members in (a name has about 10)


def _names_left(after: bool):  # type: ignore[no-untyped-def]
    """The members of the oldest digests, read in the index's order only as far as the limit (past where the
    last step stopped, with ``after``), then each once. (A GROUP BY or DISTINCT on the table itself would
    gather every digest left first.)"""
    digests = member_name_digests.c
    oldest = oldest_first(select(digests.key_version, digests.member_id), member_name_digests, after)
    found = oldest.limit(bindparam("rows")).subquery()
    return select(found.c.key_version, found.c.member_id).distinct().order_by(*found.c).limit(bindparam("step"))


NAMES_LEFT, NAMES_LEFT_AFTER = _names_left(after=False), _names_left(after=True)  # built once
# Not ``member_id IN (...)``: with the table's statistics not yet caught up, PostgreSQL scanned all of it for that.
FORGET = delete(member_name_digests).where(member_name_digests.c.member_id == bindparam("member"))


def rekey_some(
    conn: Connection, vault: Vault, version: int, step: int, after: Position | None = None
) -> tuple[int, Position | None]:
    """In a rotation's step (its command): the digests of at most ``step`` members still under an
    older version (after ``after``, where the last step stopped), made again under ``version``'s
    search key. Returns how many members (0: none left after ``after``) and where this step stopped."""
    left = {"version": version, "rows": step * DIGESTS_A_NAME, "step": step}
    chosen = (
        conn.execute(NAMES_LEFT, left).all()
        if after is None
        else conn.execute(NAMES_LEFT_AFTER, left | past(after)).all()
    )
    if not chosen:
        return 0, after
    search = vault.search_key(conn)  # ``version``'s: the step read it as current in this same transaction
    ids = [row.member_id for row in chosen]
    rows = conn.execute(select(members.c.member_id, members.c.personal).where(members.c.member_id.in_(ids)))
    people = opened(vault, conn, rows)
    conn.execute(FORGET, [{"member": member} for member in ids])  # one member's rows each: by the primary key
    named = {member: name_of(personal) for member, personal in people.items() if personal}
    digests = [row for member, name in named.items() for row in name_rows(search, member, name)]
    insert_rows(conn, member_name_digests, digests)  # in bulk: COPY on PostgreSQL
    return len(ids), (chosen[-1].key_version, chosen[-1].member_id)


def unversioned(engine: Engine) -> bool:
    """Whether the store's name digests were made before they kept their key version."""
    found = inspect(engine)
    return found.has_table(member_name_digests.name) and "key_version" not in {
        column["name"] for column in found.get_columns(member_name_digests.name)
    }


def version_the_digests(engine: Engine) -> None:
    """A store made before the digests kept their version: until then a rotation digested every name
    again in its one command, so each digest is under the current version (0, the master key's, in a
    store from before key versions). The column is added with that as its default (instant on both
    engines; it stays the column's default, and every digest written since names its version) and
    indexed, with no rebuild of the read models."""
    with engine.begin() as conn:
        version = int(current_version(conn) or LEGACY_VERSION)
        conn.execute(text(f"ALTER TABLE member_name_digests ADD COLUMN key_version INTEGER NOT NULL DEFAULT {version}"))
        by_version = next(index for index in member_name_digests.indexes if index.name.endswith("_by_version"))
        by_version.create(conn, checkfirst=True)


def members_named(text: str, keys: dict[int, bytes]):  # type: ignore[no-untyped-def]
    """A query of the ids of members whose name has every typed word (whole or its start), or None.
    The words are digested under each live version's key (``Vault.search_keys``): a member's digests
    are all under one of them."""
    typed = set(words(text))
    if not typed:
        return None
    wanted = {_digest(key, word) for key in keys.values() for word in typed}
    return (
        select(member_name_digests.c.member_id)
        .where(member_name_digests.c.digest.in_(sorted(wanted)))
        .group_by(member_name_digests.c.member_id)
        .having(func.count(func.distinct(member_name_digests.c.digest)) == len(typed))
    )
