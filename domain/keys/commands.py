"""Commands about the keys that wrap member keys: rotating them, and finishing the
work an erasure leaves for later.

An erased member is gone from the live data at once. Copies of their rows can
linger (PostgreSQL's free space and pg_wal, SQLite's write-ahead log, a backup):
their personal data there is sealed under their key, and their key is wrapped
under a key version. Once a rotation has destroyed that version, no copy can be
opened. The scheduler rotates within ``key_rotation_period`` of any erasure, and
retries a purge of the database files that could not finish at once.

A rotation runs in steps (domain.sealing.rotation), each a short command of its
own that re-wraps ``ROTATION_STEP`` member keys and digests as many names again,
so members' own commands wait for one step at most, never for the whole store.
Between steps it leaves the writer lock free for as long as the step held it.
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic, sleep
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
from domain.sealing.rotation import Position, begin, retire_older, rewrap_some
from domain.sealing.vault import KeyVersionMissing
from domain.sealing.versions import (
    KeyState,
    aware,
    current_version,
    erasures,
    key_state,
    key_versions,
    keys_under_older_versions,
    live_versions,
    naive,
)
from domain.store.application import TrustApplication
from domain.store.storage import purge_old_versions, vacuum, writing

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
REWRITTEN = ("member_keys", "member_name_digests")  # the tables a rotation's steps rewrite row by row
ROTATION_STEP = 100  # member keys a step re-wraps (and names it digests again): ~25 ms a step (docs/performance.md)


class NoRotationUnderWay(NotAllowedNow):
    """Nothing to go on with: no rotation was begun, or another process (the scheduler) finished it."""

    def __init__(self) -> None:
        super().__init__("No key rotation is under way.")


class PurgeUnfinished(Exception):
    """Not a refusal: the scheduler retries it (a reader still holds the old pages)."""


@dataclass(frozen=True)
class Rotation:
    version: int  # the version the member keys are moving to
    rewrapped: int  # member keys re-wrapped under it by this call
    destroyed: list[int]
    finished: bool = True  # False: the time given ran out; the rest goes on in continue_rotation
    left: int = 0  # member keys still under an older version


@dataclass(frozen=True)
class KeyUpkeep:
    """What the scheduler has to do for the keys, and by when."""

    current_version: int | None
    rotation_due_at: datetime | None  # an erasure under the current version, plus the period
    destruction_due: int | None  # a retired version not yet destroyed (a rotation was interrupted)
    unfinished_purge: UUID | None  # the oldest erasure whose purge did not finish
    unfinished_since: datetime | None
    rotation_under_way: tuple[int, int] | None = None  # (the version it moves keys to, member keys left)


class KeyCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app
        self._stepping = threading.Lock()  # one rotation's steps at a time in a process
        self._stopped_at: tuple[int, Position | None, Position | None] | None = None  # where the last call stopped

    key_rotation_period = timedelta(days=1)

    def rotate_keys(self, actor: Actor, budget: float | None = None) -> Rotation:
        """Make a new key version (superseding a rotation under way), then move every member key
        and name digest to it in steps, until none is left or ``budget`` seconds have passed."""
        self._may_rotate(actor)
        with self.app.command() as (session, now):
            version = begin(self.app.vault, session, now)
        return self._in_steps(budget, began=version)

    def continue_rotation(self, actor: Actor, budget: float | None = None) -> Rotation:
        """Go on with the rotation under way (one the time ran out on, or one a crash stopped)."""
        self._may_rotate(actor)
        with self.app.engine.connect() as conn:
            if len(live_versions(conn)) < 2:
                raise NoRotationUnderWay()
        return self._in_steps(budget)

    @staticmethod
    def _may_rotate(actor: Actor) -> None:
        if actor.role not in MAY_ROTATE:
            raise NotAllowedNow("Only a trustee, an operator or the scheduler may rotate the keys.")

    def _in_steps(self, budget: float | None, began: int | None = None) -> Rotation:
        """Steps, each its own command, until one finds nothing left under an older version: that one
        retires the older versions, and they are destroyed once it has committed (a crash loses no key).
        One rotation's steps at a time in a process: a version ``began`` meanwhile is simply where the
        steps already going on move the keys next (they always move them to the current version)."""
        if not self._stepping.acquire(blocking=False):
            if began is None:
                raise NotAllowedNow("A key rotation is already going on in this process; it finishes by itself.")
            return Rotation(began, 0, [], finished=False, left=self._keys_left(began))
        try:
            return self._steps(budget, go_on=began is None)
        finally:
            self._stepping.release()

    def _steps(self, budget: float | None, go_on: bool) -> Rotation:
        """Each step goes on from where the last one stopped (``keys_at``, ``names_at``), in this call or,
        with ``go_on`` (not a rotation just begun), in the last one in this process that ran out of time, so
        it never reads the index entries the steps before left dead; the end is only where a step from the
        start finds nothing left under an older version. A step from the start is preceded by a VACUUM of
        the tables the steps rewrite (no writer lock), or its read walks past a dead index entry for each
        row rewritten since autovacuum last ran."""
        started, rewrapped = monotonic(), 0
        moving_to, keys_at, names_at = (self._stopped_at if go_on else None) or (None, None, None)
        self._stopped_at = None
        while True:
            if keys_at is None and names_at is None:
                vacuum(self.app.engine, REWRITTEN)
            step_began = monotonic()
            with self.app.command() as (session, now):
                version = current_version(session)
                if version is None:  # the store's first version is made at start
                    raise KeyVersionMissing(1)
                if version != moving_to:  # a rotation begun meanwhile takes over: from the start again
                    keys_at = names_at = None
                    moving_to = version
                from_the_start = keys_at is None and names_at is None
                moved, keys_at = rewrap_some(self.app.vault, session, version, ROTATION_STEP, keys_at)
                renamed, names_at = self._rekey_names(session, version, names_at)
                finished = from_the_start and not moved and not renamed
                if finished:
                    retire_older(session, version, now)
            rewrapped += moved
            if finished:
                break
            if not moved and not renamed:  # nothing past where the steps stopped: look once more from the start
                keys_at = names_at = None
                continue
            held = monotonic() - step_began
            if budget is not None and monotonic() - started + 2 * held > budget:
                self._stopped_at = (version, keys_at, names_at)
                return Rotation(version, rewrapped, [], finished=False, left=self._keys_left(version))
            sleep(held)  # the members' own commands take the writer lock before the next step
        destroyed = self.destroy_retired_keys(now)
        purge_old_versions(self.app.engine, REWRITTEN)  # old copies, now noise anyway
        return Rotation(version, rewrapped, destroyed)

    def _rekey_names(self, session: Session, version: int, after: Position | None) -> tuple[int, Position | None]:
        if self.app.projector is None:
            return 0, None
        return self.app.projector.rekey_some(session, version, ROTATION_STEP, after)

    def _keys_left(self, version: int) -> int:
        with self.app.engine.connect() as conn:
            return keys_under_older_versions(conn, version)

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
            under_way = None
            if current is not None and len(live_versions(conn)) > 1:
                under_way = (current, keys_under_older_versions(conn, current))
        return KeyUpkeep(
            current_version=current,
            rotation_due_at=None if first_erased is None else first_erased + self.key_rotation_period,
            destruction_due=stuck,
            unfinished_purge=None if unpurged is None else unpurged.erasure_id,
            unfinished_since=None if unpurged is None else aware(unpurged.erased_at),
            rotation_under_way=under_way,
        )
