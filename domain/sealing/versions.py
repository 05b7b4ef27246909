"""The tables of the vault: member keys with the version of the key-encryption key
(KEK) that wraps each, the versions themselves (made, retired, destroyed; never
the key bytes, which live in the keyring outside the database), and a row per
erasure (when, under which version, whether the files have forgotten it).

An erasure is complete once the version that wrapped the member's key is
destroyed: from then on no copy of that wrapped key (free space, write-ahead log,
a backup) can be unwrapped. Version 0 is the master key itself, which wrapped the
keys of a store made before versions existed; it is retired by the first rotation
but cannot be destroyed while the master key is kept.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    false,
    func,
    select,
)
from sqlalchemy.orm import Session

LEGACY_VERSION = 0

vault_metadata = MetaData()
member_keys = Table(
    "member_keys",
    vault_metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("key_version", Integer, nullable=False, server_default="0"),
    # Wrapped by the master key itself once (a store made before versions): copies of that
    # old wrapping open while the master key is kept, whatever version wraps it now.
    Column("once_under_master", Boolean, nullable=False, server_default=false()),
)
# A rotation's step finds the keys left under older versions by this (a store made before it gets it at start).
KEYS_BY_VERSION = Index("member_keys_by_version", member_keys.c.key_version, member_keys.c.member_id)
key_versions = Table(
    "key_versions",
    vault_metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("created_at", DateTime, nullable=False),
    Column("retired_at", DateTime),  # no member key is wrapped under it any more (set when a rotation finishes)
    Column("destroyed_at", DateTime),  # gone from the keyring
)
erasures = Table(
    "key_erasures",
    vault_metadata,
    Column("erasure_id", Uuid, primary_key=True),
    Column("erased_at", DateTime, nullable=False),
    Column("key_version", Integer, nullable=False),  # the version that wrapped the erased key (0: the master key)
    Column("purged_at", DateTime),  # when the database files forgot the old rows (None: not yet)
)
key_check = Table(
    "master_key_check",
    vault_metadata,
    Column("id", Uuid, primary_key=True),
    Column("sealed_check", LargeBinary, nullable=False),
)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


CURRENT = select(func.max(key_versions.c.version)).where(key_versions.c.retired_at.is_(None))  # built once
LIVE = select(key_versions.c.version).where(key_versions.c.retired_at.is_(None)).order_by(key_versions.c.version)


def current_version(session: Session | Connection) -> int | None:
    """The version new member keys are wrapped under: the newest not retired (every registration asks)."""
    return session.execute(CURRENT).scalar()


def live_versions(session: Session | Connection) -> list[int]:
    """The versions not retired, oldest first: the current one, and while a rotation is under way
    the older ones it is moving member keys (and name digests) off."""
    return list(session.execute(LIVE).scalars())


def keys_under_older_versions(session: Session | Connection, version: int) -> int:
    """How many member keys a rotation to ``version`` has still to re-wrap."""
    older = select(func.count()).select_from(member_keys).where(member_keys.c.key_version < version)
    return session.execute(older).scalar() or 0


@dataclass(frozen=True)
class KeyState:
    """Where the trust's key versions and erasures stand (counts and dates, no names)."""

    current_version: int | None
    versions_kept: list[int]  # made and not destroyed (the current one, and any awaiting destruction)
    last_rotated_at: datetime | None
    erasures_complete: int
    erasures_pending: int  # their key version is not destroyed yet
    oldest_pending_at: datetime | None
    pending_under_master_key: int  # wrapped by version 0: old copies open while the master key exists
    unfinished_purges: int
    oldest_unfinished_purge_at: datetime | None
    erased_since_rotation: bool  # an erasure under the current version: the next rotation is due
    rotating_to: int | None = None  # a rotation under way: the version it moves member keys to
    keys_to_rewrap: int = 0  # member keys still under an older version (0 when no rotation is under way)

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


def key_state(conn: Session | Connection) -> KeyState:
    versions = conn.execute(select(key_versions).order_by(key_versions.c.version)).all()
    destroyed = {row.version for row in versions if row.destroyed_at is not None}
    current = current_version(conn)
    rows = conn.execute(select(erasures.c.erased_at, erasures.c.key_version, erasures.c.purged_at)).all()
    pending = [row for row in rows if row.key_version not in destroyed]
    unpurged = [row for row in rows if row.purged_at is None]
    first = versions[0].version if versions else None
    rotating = current is not None and any(row.retired_at is None and row.version < current for row in versions)
    made = {row.version: row.created_at for row in versions}
    return KeyState(
        current_version=current,
        versions_kept=[row.version for row in versions if row.destroyed_at is None],
        last_rotated_at=aware(made[current]) if current is not None and current != first else None,
        erasures_complete=len(rows) - len(pending),
        erasures_pending=len(pending),
        oldest_pending_at=aware(min((row.erased_at for row in pending), default=None)),
        pending_under_master_key=sum(1 for row in pending if row.key_version == LEGACY_VERSION),
        unfinished_purges=len(unpurged),
        oldest_unfinished_purge_at=aware(min((row.erased_at for row in unpurged), default=None)),
        erased_since_rotation=any(row.key_version == current for row in rows),
        rotating_to=current if rotating else None,
        keys_to_rewrap=keys_under_older_versions(conn, current) if rotating and current is not None else 0,
    )
