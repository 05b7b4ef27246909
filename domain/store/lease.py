"""Only one scheduler acts at a time: it holds a lease, a row in the trust's own
database that it renews every few seconds. Another scheduler process (started by
mistake, or a second server) stands by and takes over only once the lease has run
out, i.e. the acting one stopped renewing it (it died, or lost the database).

Taking and renewing are one conditional UPDATE each, so two processes can never
both succeed; the same code runs on SQLite and PostgreSQL. The lease's times are
the processes' UTC clocks: keep the servers' clocks in sync (NTP) and the lease
several times longer than the renewal interval. The jobs' effects are idempotent
as well, so even a paused process that wakes after losing its lease cannot record
a fact twice."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

LEASE = "scheduler"
lease_metadata = MetaData()
scheduler_lease = Table(
    "scheduler_lease",
    lease_metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(200), nullable=False),  # host:pid:random, never personal
    Column("since", DateTime, nullable=False),
    Column("renewed_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LeaseHolder:
    holder: str
    since: datetime
    renewed_at: datetime
    expires_at: datetime


class SchedulerLease:
    def __init__(self, engine: Engine, holder: str, length: timedelta = timedelta(seconds=30)):
        self.engine, self.holder, self.length = engine, holder, length

    def create_schema(self) -> None:
        lease_metadata.create_all(self.engine)

    def take(self, now: datetime) -> bool:
        """Take the lease if it is free, has run out, or is already ours (then renew it)."""
        expires = _naive(now + self.length)
        with self.engine.begin() as conn:
            row = conn.execute(select(scheduler_lease.c.holder).where(scheduler_lease.c.name == LEASE)).first()
            if row is None:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(scheduler_lease).values(
                                name=LEASE,
                                holder=self.holder,
                                since=_naive(now),
                                renewed_at=_naive(now),
                                expires_at=expires,
                            )
                        )
                    return True
                except IntegrityError:
                    return False
            ours = scheduler_lease.c.holder == self.holder
            taken = conn.execute(
                update(scheduler_lease)
                .where(scheduler_lease.c.name == LEASE, ours | (scheduler_lease.c.expires_at <= _naive(now)))
                .values(holder=self.holder, renewed_at=_naive(now), expires_at=expires)
            ).rowcount
            if taken and row.holder != self.holder:
                conn.execute(update(scheduler_lease).where(scheduler_lease.c.name == LEASE).values(since=_naive(now)))
            return bool(taken)

    def renew(self, now: datetime) -> bool:
        """Renew the lease we hold; False if it is no longer ours (it ran out and another took it)."""
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(scheduler_lease)
                    .where(scheduler_lease.c.name == LEASE, scheduler_lease.c.holder == self.holder)
                    .values(renewed_at=_naive(now), expires_at=_naive(now + self.length))
                ).rowcount
            )

    def give_up(self) -> None:
        """On a clean stop: let a standing-by scheduler take over at once."""
        with self.engine.begin() as conn:
            conn.execute(
                update(scheduler_lease)
                .where(scheduler_lease.c.name == LEASE, scheduler_lease.c.holder == self.holder)
                .values(expires_at=datetime(1970, 1, 1))
            )


def lease_holder(engine: Engine) -> LeaseHolder | None:
    """Who holds the scheduler's lease (for the dashboard: is a scheduler acting?)."""
    with engine.connect() as conn:
        row = conn.execute(select(scheduler_lease).where(scheduler_lease.c.name == LEASE)).first()
    if row is None:
        return None
    return LeaseHolder(
        row.holder, *(moment.replace(tzinfo=UTC) for moment in (row.since, row.renewed_at, row.expires_at))
    )
