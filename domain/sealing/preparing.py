"""Preparing a store's key versions at start: the version column on member keys
(added to a store made before versions), and the first version.

A new store's first version is a fresh key in the keyring. A store made before
versions has its member keys wrapped under the master key itself: that is its
version 0, until the first rotation re-wraps them under a keyring version.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Engine, bindparam, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from domain.sealing.keyring import Keyring
from domain.sealing.versions import LEGACY_VERSION, key_versions, member_keys, naive

if TYPE_CHECKING:
    from domain.sealing.vault import Vault


def prepare_versions(conn: Connection, keyring: Keyring, now: datetime) -> set[int]:
    """Returns the versions that wrap member keys now (each must be in the keyring)."""
    columns = {column["name"] for column in inspect(conn).get_columns("member_keys")}
    if "key_version" not in columns:
        conn.execute(text("ALTER TABLE member_keys ADD COLUMN key_version INTEGER NOT NULL DEFAULT 0"))
    if "once_under_master" not in columns:  # every key there now was wrapped by the master key (version 0)
        default = "false" if conn.dialect.name == "postgresql" else "0"
        conn.execute(text(f"ALTER TABLE member_keys ADD COLUMN once_under_master BOOLEAN NOT NULL DEFAULT {default}"))
        under_master = member_keys.c.key_version == LEGACY_VERSION
        conn.execute(update(member_keys).where(under_master).values(once_under_master=True))
    if conn.execute(select(key_versions.c.version).limit(1)).first() is None:
        if conn.execute(select(member_keys.c.member_id).limit(1)).first() is not None:
            conn.execute(insert(key_versions), dict(version=LEGACY_VERSION, created_at=naive(now)))
        else:
            keyring.add(1, AESGCM.generate_key(bit_length=256))
            conn.execute(insert(key_versions), dict(version=1, created_at=naive(now)))
    in_use = set(conn.execute(select(member_keys.c.key_version).distinct()).scalars())
    current = conn.execute(select(key_versions.c.version).where(key_versions.c.retired_at.is_(None))).scalars()
    return (in_use | set(current)) - {LEGACY_VERSION}


REWRAP_BATCH = 5000
REWRAP = (
    update(member_keys)
    .where(member_keys.c.member_id == bindparam("the_member"))
    .values(wrapped_key=bindparam("rewrapped"), key_version=bindparam("version"))
)


def rotate(vault: "Vault", session: Session, now: datetime) -> tuple[int, int]:
    """Inside a command (the writer lock held): make version N+1, durable in the keyring
    before anything is wrapped under it, re-wrap every live member key under it and
    retire the older versions. Returns (the new version, keys re-wrapped). The old
    versions are destroyed by ``destroy_retired`` once this has committed: a crash at
    any step leaves every member key wrapped under a version still in the keyring."""
    known = set(session.execute(select(key_versions.c.version)).scalars())
    held = vault.keyring.versions()
    if orphans := set(held) - known:  # left by a rotation that never committed: they wrap nothing
        vault.keyring.remove(orphans)
    new = max(known | set(held), default=0) + 1
    vault.keyring.add(new, AESGCM.generate_key(bit_length=256))
    session.execute(insert(key_versions), dict(version=new, created_at=naive(now)))
    rows = session.execute(select(member_keys.c.member_id, member_keys.c.key_version, member_keys.c.wrapped_key)).all()
    for start in range(0, len(rows), REWRAP_BATCH):  # one statement for many keys, not one a key
        rewrapped = []
        for row in rows[start : start + REWRAP_BATCH]:
            key = vault.unwrap(row.key_version, row.member_id, row.wrapped_key)
            wrapped = vault.wrap(new, row.member_id, key)
            rewrapped.append({"the_member": row.member_id, "rewrapped": wrapped, "version": new})
        session.execute(REWRAP, rewrapped)
    older = (key_versions.c.version < new) & key_versions.c.retired_at.is_(None)
    session.execute(update(key_versions).where(older).values(retired_at=naive(now)))
    return new, len(rows)


def destroy_retired(vault: "Vault", engine: Engine, now: datetime) -> list[int]:
    """After a rotation committed: remove every retired version from the keyring, then
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
