"""Commands about the keys that wrap member keys: rotating them, and finishing the
work an erasure leaves for later.

An erased member is gone from the live data at once. Copies of their rows can
linger (PostgreSQL's free space and pg_wal, SQLite's write-ahead log, a backup):
their personal data there is sealed under their key, and their key is wrapped
under a key version. Once a rotation has destroyed that version, no copy can be
opened. The scheduler rotates within ``key_rotation_period`` of any erasure, and
retries a purge of the database files that could not finish at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select, update

from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
from domain.sealing.versions import KeyState, aware, erasures, key_state, key_versions, naive
from domain.store.application import TrustApplication
from domain.store.storage import purge_old_versions, writing

# peer_groups: a group's figures are sealed under the trust's own key, so an erased member's old copy must go
ERASURE_SCRUBBED_TABLES = (
    "members",
    "member_name_digests",
    "member_keys",
    "peer_figures",
    "peer_groups",
    "fund_profiles",
    "fund_notices",
)
MAY_ROTATE = ("trustee", "operator", "scheduler")


class PurgeUnfinished(Exception):
    """Not a refusal: the scheduler retries it (a reader still holds the old pages)."""


@dataclass(frozen=True)
class Rotation:
    version: int
    rewrapped: int
    destroyed: list[int]


@dataclass(frozen=True)
class KeyUpkeep:
    """What the scheduler has to do for the keys, and by when."""

    current_version: int | None
    rotation_due_at: datetime | None  # an erasure under the current version, plus the period
    destruction_due: int | None  # a retired version not yet destroyed (a rotation was interrupted)
    unfinished_purge: UUID | None  # the oldest erasure whose purge did not finish
    unfinished_since: datetime | None


class KeyCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    key_rotation_period = timedelta(days=1)

    def rotate_keys(self, actor: Actor) -> Rotation:
        """Re-wrap every live member key under a new version, in one command; then
        destroy the old version (only after the commit, so a crash loses no key)."""
        if actor.role not in MAY_ROTATE:
            raise NotAllowedNow("Only a trustee, an operator or the scheduler may rotate the keys.")
        with self.app.command() as (session, now):
            version, rewrapped = self.app.vault.rotate(session, now)
            if self.app.projector is not None:
                self.app.projector.keys_rotated(session)  # the name digests move to the new version's key
        destroyed = self.destroy_retired_keys(now)
        purge_old_versions(self.app.engine, ("member_keys", "member_name_digests"))  # old copies, now noise anyway
        return Rotation(version, rewrapped, destroyed)

    def destroy_retired_keys(self, now: datetime | None = None) -> list[int]:
        """Destroy the retired key versions. It reads which are retired, then writes that they are
        destroyed: on SQLite its transaction takes the write lock before the read (BEGIN IMMEDIATE),
        or a commit by another process in between would make the write fail at once ("database is
        locked": a snapshot that is no longer the latest cannot become a writer)."""
        with writing():
            return self.app.vault.destroy_retired(self.app.engine, now or self.app.clock())

    def key_state(self) -> KeyState:
        with self.app.engine.connect() as conn:
            return key_state(conn)

    def finish_purges(self) -> int:
        """Purge the database files of every erasure not purged yet; returns how many.
        Raises PurgeUnfinished (retried by the scheduler) while a reader holds old pages."""
        with self.app.engine.connect() as conn:
            waiting = list(conn.execute(select(erasures.c.erasure_id).where(erasures.c.purged_at.is_(None))).scalars())
        if not waiting:
            return 0
        if not purge_old_versions(self.app.engine, ERASURE_SCRUBBED_TABLES):
            raise PurgeUnfinished(f"{len(waiting)} erasure(s) still have old row copies in the write-ahead log")
        with self.app.engine.begin() as conn:
            done = update(erasures).where(erasures.c.erasure_id.in_(waiting))
            conn.execute(done.values(purged_at=naive(self.app.clock())))
        return len(waiting)

    def key_upkeep(self) -> KeyUpkeep:
        with self.app.engine.connect() as conn:
            state = key_state(conn)
            current = state.current_version
            erased = select(erasures.c.erased_at).where(erasures.c.key_version == current)
            first_erased = aware(conn.execute(erased.order_by(erasures.c.erased_at).limit(1)).scalar())
            stuck = (
                conn.execute(
                    select(key_versions.c.version).where(
                        key_versions.c.retired_at.is_not(None),
                        key_versions.c.destroyed_at.is_(None),
                        key_versions.c.version != 0,
                    )
                )
                .scalars()
                .first()
            )
            unpurged = conn.execute(
                select(erasures.c.erasure_id, erasures.c.erased_at)
                .where(erasures.c.purged_at.is_(None))
                .order_by(erasures.c.erased_at)
                .limit(1)
            ).first()
        return KeyUpkeep(
            current_version=current,
            rotation_due_at=None if first_erased is None else first_erased + self.key_rotation_period,
            destruction_due=stuck,
            unfinished_purge=None if unpurged is None else unpurged.erasure_id,
            unfinished_since=None if unpurged is None else aware(unpurged.erased_at),
        )
