"""The scheduler's own record beside the event log: which dated promises it has
kept (or found nothing to do for), which keep failing, and who holds the lease to
act. Operational state like the handled-request keys, not history: the facts
themselves are events, recorded exactly once by the commands the jobs call.

A failing piece of work is never dropped: each failure is counted, the next try
waits longer (30 s, 1 min, 2 min ... at most an hour), and after a few failures
it is shown to trustees (the dashboard and the daily digest)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, insert, select, update

DONE, FAILING = "done", "failing"
SHOWN_AFTER = 3  # failures in a row before trustees are shown the work as failing
FIRST_RETRY, LONGEST_RETRY = timedelta(seconds=30), timedelta(hours=1)

scheduled_work_metadata = MetaData()
scheduled_work = Table(
    "scheduled_work",
    scheduled_work_metadata,
    Column("key", String(191), primary_key=True),  # e.g. consent-expiry:<id>; also the job's id
    Column("kind", String(40), nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("state", String(12), nullable=False),  # done | failing
    Column("attempts", Integer, nullable=False),  # failures so far
    Column("last_error", String(300)),  # the error's type and first line: never personal data
    Column("failing_since", DateTime),
    Column("next_try_at", DateTime),
    Column("outcome", String(300)),  # what the work did, or why there was nothing to do
    Column("done_at", DateTime),
)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure in a row."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True)
class Failure:
    key: str
    kind: str
    due_at: datetime
    attempts: int
    last_error: str
    failing_since: datetime
    next_try_at: datetime

    def as_dict(self) -> dict:
        return dict(
            key=self.key,
            kind=self.kind,
            due_at=self.due_at.isoformat(),
            attempts=self.attempts,
            last_error=self.last_error,
            failing_since=self.failing_since.isoformat(),
            next_try_at=self.next_try_at.isoformat(),
        )


class WorkLedger:
    def __init__(self, engine: Engine):
        self.engine = engine

    def create_schema(self) -> None:
        scheduled_work_metadata.create_all(self.engine)

    def done(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = conn.execute(
                    select(scheduled_work.c.key).where(scheduled_work.c.key.in_(chunk), scheduled_work.c.state == DONE)
                )
                found.update(row.key for row in rows)
        return found

    def retry_times(self) -> dict[str, datetime]:
        """When each failing piece of work may be tried next."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(scheduled_work.c.key, scheduled_work.c.next_try_at).where(scheduled_work.c.state == FAILING)
            )
            return {row.key: _aware(row.next_try_at) for row in rows}  # type: ignore[misc]

    def finish(self, key: str, kind: str, due_at: datetime, outcome: str, at: datetime) -> None:
        values = dict(state=DONE, outcome=outcome[:300], done_at=_naive(at), next_try_at=None)
        self._put(key, kind, due_at, values, attempts=0)

    def fail(self, key: str, kind: str, due_at: datetime, error: str, at: datetime) -> Failure:
        """Count a failure; returns it with when to try next."""
        with self.engine.begin() as conn:
            row = conn.execute(select(scheduled_work).where(scheduled_work.c.key == key)).first()
        attempts = (row.attempts if row is not None and row.state == FAILING else 0) + 1
        since = _aware(row.failing_since) if row is not None and row.state == FAILING else at
        next_try = at + retry_delay(attempts)
        values = dict(
            state=FAILING,
            last_error=error[:300],
            failing_since=_naive(since or at),
            next_try_at=_naive(next_try),
            attempts=attempts,
        )
        self._put(key, kind, due_at, values, attempts=attempts)
        return Failure(key, kind, due_at, attempts, error[:300], since or at, next_try)

    def failing(self, shown_after: int = SHOWN_AFTER) -> list[Failure]:
        """Work that has failed ``shown_after`` times or more in a row, longest failing first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(scheduled_work)
                .where(scheduled_work.c.state == FAILING, scheduled_work.c.attempts >= shown_after)
                .order_by(scheduled_work.c.failing_since)
            ).all()
        return [
            Failure(
                r.key,
                r.kind,
                _aware(r.due_at),  # type: ignore[arg-type]
                r.attempts,
                r.last_error or "",
                _aware(r.failing_since),  # type: ignore[arg-type]
                _aware(r.next_try_at),  # type: ignore[arg-type]
            )
            for r in rows
        ]

    def outcome(self, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(scheduled_work).where(scheduled_work.c.key == key)).first()
        return None if row is None else dict(row._mapping)

    def _put(self, key: str, kind: str, due_at: datetime, values: dict, attempts: int) -> None:
        values = {"attempts": attempts, **values}
        with self.engine.begin() as conn:
            changed = conn.execute(update(scheduled_work).where(scheduled_work.c.key == key).values(**values))
            if changed.rowcount == 0:
                conn.execute(insert(scheduled_work).values(key=key, kind=kind, due_at=_naive(due_at), **values))
