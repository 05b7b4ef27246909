"""Scheduler planning (scheduler/wiring.py) for a trust like the target: N members
(default 5,000), each with two consents expiring at spread-out times 1-365 days ahead,
and 50 open votes closing over the next four weeks.

(1) The scheduler's first start, `TrustScheduler(services, plan_every=3600).start()`, on
an empty job store: with the two-day horizon (scheduler.wiring.HORIZON) only work due
within two days goes into APScheduler's SQLAlchemy job store. Baseline in the same run:
the same start with the horizon widened to 400 days, i.e. one stored job per promise.
Time of start() and jobs stored for each, alternated, the job table dropped before each.

(2) A steady-state planning pass (`plan_now()` when nothing changed) against the bare
read of the promises it plans from (`open_promises(conn)`), alternated; the note
splits the pass into its parts.

The population is built as benchmarks/population.py builds its members (one transaction
per batch through the real aggregates, mapper, recorder and projector), the votes through
the real command. Built afresh each run: a temporary SQLite file, or the PostgreSQL
database datatrust_bench_sched.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

import scheduler.wiring as wiring
from adapters.bootstrap import Services
from adapters.demo import DemoClock
from benchmarks.common import DriverTime, Result, open_services, postgres_database, standalone
from benchmarks.population import OFFERS, TRUSTEE, Joiner, Population
from domain.consent.model import Consent
from domain.kernel.clock import recording_at, system_clock
from domain.membership.codes import MemberCode
from projections.scheduling.promises import Promises, open_promises
from scheduler.due import latest_digest, run_due_work
from scheduler.plan import keys, plan
from scheduler.wiring import JOBS_TABLE, TrustScheduler

WIDE = timedelta(days=400)  # the baseline's horizon: every promise is a stored job
EXPIRY_DAYS = (1, 365)
CLOSING_DAYS = (1, 28)
DATABASE = "datatrust_bench_sched"


def add_options(options: argparse.ArgumentParser) -> None:
    options.add_argument("--scheduler-members", type=int, default=5_000, help="members, two expiring consents each")
    options.add_argument("--scheduler-votes", type=int, default=50, help="open votes")
    options.add_argument("--scheduler-rounds", type=int, default=2, help="first starts measured, each way")
    options.add_argument("--scheduler-passes", type=int, default=15, help="steady-state planning passes measured")


class ExpiringPopulation(Population):
    """Members as Population registers them, each with two consents expiring 1-365 days ahead."""

    def join_expiring(self, first: int, size: int, start: datetime, length: timedelta) -> None:
        with self.trust.command() as (session, _now):
            aggregates: list = []
            for n in range(size):
                now = start + length * n / size
                with recording_at(now):
                    joiner = self.register(session, first + n, now)
                    member = joiner.member
                    aggregates += [member, MemberCode(code=member.reference_code, member_id=member.id)]
                for offer in self.rng.sample(OFFERS, 2):
                    now += timedelta(seconds=20)
                    with recording_at(now):
                        aggregates.append(self.expiring_consent(joiner, offer, now))
            self.save(aggregates)

    def expiring_consent(self, joiner: Joiner, offer: tuple, now: datetime) -> Consent:
        """As ConsentCommands.grant_consent does, with an expiry."""
        purpose, offered, audience = offer
        chosen = self.catalogue.purpose(purpose)
        categories = self.catalogue.check_categories(self.rng.sample(offered, self.rng.randint(1, len(offered))))
        return Consent(
            member_id=joiner.member.id,
            purpose=purpose,
            categories=list(categories),
            audience_organisation_id=None if audience.startswith("kind:") else self.organisations[audience],
            audience_kind=audience.removeprefix("kind:") if audience.startswith("kind:") else None,
            expires_at=datetime.now(UTC) + timedelta(days=self.rng.uniform(*EXPIRY_DAYS)),
            notice_version=chosen.latest_notice,
            notice_hash=chosen.notice_hash(chosen.latest_notice),
            collected_via=joiner.member.channel,
            evidence_ref=joiner.evidence_ref,
            effective_at=joiner.member.registered_effective_at if joiner.evidence_ref else now,
            actor=str(joiner.actor),
        )


@contextmanager
def trust_store(database: str, args: argparse.Namespace) -> Iterator[Services]:
    if database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="datatrust-bench-sched-") as folder:
            services = open_services(f"sqlite:///{folder}/sched.sqlite3")
            try:
                yield services
            finally:
                services.close()
        return
    services = open_services(postgres_database(args.postgres, DATABASE, fresh=True))
    try:
        yield services
    finally:
        services.close()


def populate(services: Services, members: int, votes: int, batch: int = 1000) -> None:
    started = time.perf_counter()
    now = datetime.now(UTC)
    builder = ExpiringPopulation(services)
    builder.clock = DemoClock(now - timedelta(days=1))  # organisations registered yesterday, members since
    services.trust.clock = builder.clock
    try:
        builder.register_organisations()
        length = (now - timedelta(minutes=5) - builder.clock.now) / max(1, (members + batch - 1) // batch)
        for first in range(0, members, batch):
            builder.join_expiring(first, min(batch, members - first), builder.clock.now, length)
            builder.clock.now += length
    finally:
        services.trust.clock = system_clock
    rng = random.Random(5)
    for n in range(votes):
        closes_at = datetime.now(UTC) + timedelta(days=rng.uniform(*CLOSING_DAYS))
        services.trust.open_proposal(f"Question {n}", "An advisory poll.", ["Yes", "No"], closes_at, TRUSTEE)
    print(f"  built {members:,} members and {votes} votes in {time.perf_counter() - started:.0f} s", flush=True)
    done = run_due_work(services)  # today's digest: nothing is due at the measured starts
    kinds = sorted({key.split(":")[0] for key, _ in done})
    print(f"  done before measuring, as it was due: {len(done)} pieces of work ({', '.join(kinds)})", flush=True)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    done = work()
    return done, time.perf_counter() - started


def stored_jobs(services: Services) -> int:
    with services.trust.engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {JOBS_TABLE}")).scalar() or 0


def drop_jobs(services: Services) -> None:
    with services.trust.engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {JOBS_TABLE}"))


def first_start(services: Services, horizon: timedelta) -> tuple[float, float, int]:
    """(seconds to start, seconds to shut down, jobs stored) on an empty job store."""
    drop_jobs(services)
    kept = wiring.HORIZON
    wiring.HORIZON = horizon
    try:
        planner = TrustScheduler(services, plan_every=3600)
        _, start = timed(planner.start)
        _, stop = timed(planner.shutdown)
    finally:
        wiring.HORIZON = kept
    return start, stop, stored_jobs(services)


def read_promises(services: Services) -> Promises:
    with services.views.reading() as conn:
        return open_promises(conn)


def parts(services: Services, planner: TrustScheduler) -> str:
    """Where a planning pass's time goes: each step of plan_now, timed alone."""
    now = services.clock()
    promises, read = timed(lambda: read_promises(services))
    latest, digest = timed(lambda: latest_digest(services))
    wanted, keying = timed(lambda: keys(promises, now, latest))
    with DriverTime(services.trust.engine) as driver:
        done, check = timed(lambda: planner.ledger.done(wanted))
    retry, retries = timed(planner.ledger.retry_times)
    planned, planning = timed(lambda: plan(promises, now, done, retry, latest))
    due_soon = sum(1 for work in planned if work.run_at <= now + wiring.HORIZON)
    return (
        f"a pass: read promises {read * 1000:.0f} ms, latest digest {digest * 1000:.0f} ms, "
        f"keys() {keying * 1000:.0f} ms, ledger.done over all {len(wanted):,} keys {check * 1000:.0f} ms "
        f"({driver.statements} queries, {driver.seconds * 1000:.0f} ms in the driver), "
        f"retry times {retries * 1000:.0f} ms, plan() {planning * 1000:.0f} ms; "
        f"{len(planned):,} pieces of work planned, {due_soon} within the horizon"
    )


def run(database: str, args: argparse.Namespace) -> list[Result]:
    with trust_store(database, args) as services:
        populate(services, args.scheduler_members, args.scheduler_votes)
        promises = read_promises(services)
        count = len(promises.consents) + len(promises.proposals) + len(promises.panels)
        print(f"  {count:,} open promises", flush=True)

        narrow, wide = [], []
        for _ in range(args.scheduler_rounds):  # alternated: the machine is noisy
            narrow.append(first_start(services, wiring.HORIZON))
            wide.append(first_start(services, WIDE))
            (start, _, jobs), (wide_start, _, wide_jobs) = narrow[-1], wide[-1]
            print(f"  first start: {start:.2f} s ({jobs} jobs) / {wide_start:.2f} s ({wide_jobs} jobs)", flush=True)
        start_narrow = statistics.median(s for s, _, _ in narrow)
        start_wide = statistics.median(s for s, _, _ in wide)
        stop_narrow = statistics.median(s for _, s, _ in narrow)
        stop_wide = statistics.median(s for _, s, _ in wide)
        jobs_narrow, jobs_wide = narrow[-1][2], wide[-1][2]

        drop_jobs(services)
        planner = TrustScheduler(services, plan_every=3600)
        planner.start()
        try:
            passes, reads, changed = [], [], 0
            for _ in range(args.scheduler_passes):
                moved, seconds = timed(planner.plan_now)
                changed += moved
                passes.append(seconds)
                reads.append(timed(lambda: read_promises(services))[1])
            breakdown = parts(services, planner)
        finally:
            planner.shutdown()
    days = wiring.HORIZON.days
    return [
        Result(
            f"first start, {days}-day horizon",
            start_narrow,
            start_wide,
            "s",
            note=f"baseline: horizon {WIDE.days} days (a job per promise); {count:,} open promises; median of "
            f"{args.scheduler_rounds} each; shutdown {stop_narrow:.2f} s / {stop_wide:.2f} s",
        ),
        Result(
            f"jobs stored, {days}-day horizon",
            jobs_narrow,
            jobs_wide,
            "jobs",
            note=f"baseline: {WIDE.days}-day horizon",
        ),
        Result(
            "planning pass, nothing changed",
            statistics.median(passes) * 1000,
            statistics.median(reads) * 1000,
            "ms",
            note=f"baseline: open_promises() alone; median of {args.scheduler_passes}; jobs added or moved "
            f"by the passes: {changed}; {breakdown}",
        ),
    ]


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
