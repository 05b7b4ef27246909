"""Preparing a store's key versions at start: the version column on member keys
(added to a store made before versions), and the first version.

A new store's first version is a fresh key in the keyring. A store made before
versions has its member keys wrapped under the master key itself: that is its
version 0, until the first rotation re-wraps them under a keyring version.
"""

from datetime import datetime

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, insert, inspect, select, text, update

from domain.sealing.keyring import Keyring
from domain.sealing.versions import KEYS_BY_VERSION, LEGACY_VERSION, key_versions, member_keys, naive


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
    KEYS_BY_VERSION.create(conn, checkfirst=True)
    in_use = set(conn.execute(select(member_keys.c.key_version).distinct()).scalars())
    current = conn.execute(select(key_versions.c.version).where(key_versions.c.retired_at.is_(None))).scalars()
    return (in_use | set(current)) - {LEGACY_VERSION}
