"""Rotating the key versions in steps, so no command holds the writer lock for every member.

A rotation begins by making version N+1 (durable in the keyring before its row is
committed), which new member keys are wrapped under at once. Each step then re-wraps
a hundred keys still under an older version, in a command of its own, and the
read models digest those members' names again under N+1 (projections/membership/
name_search.py). While it runs, keys and name digests are under N and N+1 at once:
both versions are live (not retired), both are in the keyring, and a search looks
under both. The step that finds nothing left retires the older versions; once that
has committed, ``destroy_retired`` removes them from the keyring. A crash at any
point leaves every key under a version still in the keyring, and the next step (the
scheduler resumes an unfinished rotation) goes on from where the last commit left it.
A rotation begun while another is under way supersedes it: its steps move every key
under any older version, and the end retires them all.
"""

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, Uuid, bindparam, insert, select, tuple_, update
from sqlalchemy.orm import Session

from domain.sealing.versions import LEGACY_VERSION, key_versions, member_keys, naive

if TYPE_CHECKING:
    from domain.sealing.vault import Vault

Position = tuple[int, UUID]  # (key_version, member_id): how far a rotation's steps have gone, in the index's order


def oldest_first(query, table, after: bool):  # type: ignore[no-untyped-def]
    """``query`` on ``table``'s rows under a version older than ``:version``, in the order of its index
    (key_version, member_id); with ``after``, only past the position the last step stopped at (``past``):
    the rows the steps before moved left dead index entries behind them, which are not read again."""
    columns = table.c
    query = query.where(columns.key_version < bindparam("version"))
    if after:
        position = tuple_(bindparam("after_version"), bindparam("after_member", type_=Uuid))
        query = query.where(tuple_(columns.key_version, columns.member_id) > position)
    return query.order_by(columns.key_version, columns.member_id)


def past(position: Position) -> dict:
    """The parameters of ``oldest_first(..., after=True)``."""
    return {"after_version": position[0], "after_member": position[1]}


def _keys_left(after: bool):  # type: ignore[no-untyped-def]
    keys = member_keys.c
    found = select(keys.member_id, keys.key_version, keys.wrapped_key)
    return oldest_first(found, member_keys, after).limit(bindparam("step"))


# Built once. The oldest keys first, by the index on (key_version, member_id): a step reads only its own rows.
KEYS_LEFT, KEYS_LEFT_AFTER = _keys_left(after=False), _keys_left(after=True)
# Only a key still under the version the step read: one erased or re-wrapped meanwhile is left alone.
REWRAP = (
    update(member_keys)
    .where(member_keys.c.member_id == bindparam("the_member"), member_keys.c.key_version == bindparam("was"))
    .values(wrapped_key=bindparam("rewrapped"), key_version=bindparam("version"))
)


def begin(vault: "Vault", session: Session, now: datetime) -> int:
    """Inside a command: make version N+1, in the keyring before anything can be wrapped under it.
    Returns it. From its commit on, new member keys and name digests are made under it."""
    known = set(session.execute(select(key_versions.c.version)).scalars())
    held = vault.keyring.versions()
    if orphans := set(held) - known:  # left by a rotation that never committed: they wrap nothing
        vault.keyring.remove(orphans)
    new = max(known | set(held), default=0) + 1
    vault.keyring.add(new, AESGCM.generate_key(bit_length=256))
    session.execute(insert(key_versions), dict(version=new, created_at=naive(now)))
    return new


def rewrap_some(
    vault: "Vault", session: Session, version: int, step: int, after: Position | None = None
) -> tuple[int, Position | None]:
    """Inside a command: re-wrap at most ``step`` member keys still under an older version under
    ``version`` (after ``after``, where the last step stopped), by one statement sent for them all.
    Returns how many (0: none is left after ``after``) and where this step stopped."""
    left = {"version": version, "step": step}
    rows = (
        session.execute(KEYS_LEFT, left).all()
        if after is None
        else session.execute(KEYS_LEFT_AFTER, left | past(after)).all()
    )
    rewrapped = []
    for row in rows:
        key = vault.unwrap(row.key_version, row.member_id, row.wrapped_key)
        wrapped = vault.wrap(version, row.member_id, key)
        rewrapped.append(dict(the_member=row.member_id, was=row.key_version, rewrapped=wrapped, version=version))
    if rewrapped:
        session.execute(REWRAP, rewrapped)
    return len(rows), ((rows[-1].key_version, rows[-1].member_id) if rows else after)


def retire_older(session: Session, version: int, now: datetime) -> None:
    """Inside the command that found nothing left under them: retire the versions older than ``version``."""
    older = (key_versions.c.version < version) & key_versions.c.retired_at.is_(None)
    session.execute(update(key_versions).where(older).values(retired_at=naive(now)))


def destroy_retired(vault: "Vault", engine: Engine, now: datetime) -> list[int]:
    """After a rotation committed its end: remove every retired version from the keyring, then
    note it destroyed. Version 0, the master key, is retired but never destroyed here."""
    with engine.begin() as conn:
        retired = set(
            conn.execute(
                select(key_versions.c.version).where(
                    key_versions.c.retired_at.is_not(None),
                    key_versions.c.destroyed_at.is_(None),
                    key_versions.c.version != LEGACY_VERSION,
                )
            ).scalars()
        )
        if not retired:
            return []
        vault.keyring.remove(retired)
        vault.forget(retired)
        conn.execute(update(key_versions).where(key_versions.c.version.in_(retired)).values(destroyed_at=naive(now)))
    return sorted(retired)
