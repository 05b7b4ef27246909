"""(Issue 19) Suspending an organisation that many members consented to by kind, while members keep
withdrawing and giving consent: how long the suspension holds the store's one writer lock, and how long
the members' own commands take meanwhile.

A scratch store per size (--suspension-members, repeatable; default 2,000 and 8,000): every member joins
and gives a kind-wide consent to councils ("service-planning"), built in batches through the real
aggregates as population.py builds (one transaction a batch), and one council is approved through the
real commands. Then for suspend and for reinstate: a load thread sends withdrawals and new consents at
--suspension-rate commands a second (20, the issue's figure), through the real commands, from before the
command starts until after it ends. It reports:

- the suspension (or reinstatement) command's time: it takes the writer lock first and holds it to its
  commit, so this is its hold, against one raw single-row committed insert in the same store; then
  the p99 of 20 more of each, one after another with no load (one command is one sample);
- the members' commands' p50 and p99 while it ran (each from when it was due: members act on their
  own, so commands keep coming while earlier ones wait), and how many were refused (the store busy past
  its lock timeout), against the same load on the idle trust.

Target (issue 19): the hold and the members' p99 under 50 ms at 1,000,000 members."""

import argparse
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from benchmarks.common import Result, open_services, percentile, scratch_database
from benchmarks.population import START, Population
from domain.consent.model import Consent
from domain.kernel.actors import Actor
from domain.kernel.clock import recording_at, system_clock
from domain.kernel.errors import TrustError
from domain.store.storage import writing
from domain.trust import Audience

TRUSTEE = Actor("trustee", "bench")
MEMBER = Actor("member", "self")
KIND_WIDE = ("service-planning", ("housing", "profile"), "kind:council")
BATCH = 1000
WORKERS = 64  # members acting at once, at most: more than a long hold at 20 a second leaves waiting
scratch = Table(
    "bench_raw_commits",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payload", String(40), nullable=False),
)


def add_options(options: argparse.ArgumentParser) -> None:
    options.add_argument(
        "--suspension-members", type=int, action="append", help="members consenting by kind (repeatable)"
    )
    options.add_argument("--suspension-rate", type=float, default=20.0, help="members' commands a second meanwhile")


class KindWide(Population):
    """Members who each give councils a kind-wide consent; nothing else."""

    def build_kind_wide(self, members: int) -> list:
        self.trust.clock = self.clock
        council = self.trust.register_organisation("Cumbria County Council", "council", TRUSTEE)
        self.trust.approve_organisation(council, "DSA-BENCH", START.date(), TRUSTEE)
        consents = []
        for first in range(0, members, BATCH):
            with self.trust.command() as (session, _now):
                aggregates = []
                for number in range(first, min(members, first + BATCH)):
                    self.clock.now += timedelta(seconds=30)
                    with recording_at(self.clock.now):
                        joiner = self.register(session, number, self.clock.now)
                        consent = self.kind_wide(joiner, self.clock.now)
                    aggregates += [joiner.member, consent]
                    consents.append((joiner.member.id, consent.id))
                self.save(aggregates)
        self.council = council
        return consents

    def kind_wide(self, joiner, now) -> Consent:  # type: ignore[no-untyped-def]
        """Every category offered, no expiry."""
        purpose, categories, audience = KIND_WIDE
        return self.new_consent(joiner, purpose, categories, audience, None, now)


def run(database: str, args: argparse.Namespace) -> list[Result]:
    results = []
    for members in args.suspension_members or [2_000, 8_000]:
        with scratch_database(database, args) as url:
            results += measure(url, members, args.suspension_rate)
    return results


def measure(url: str, members: int, rate: float) -> list[Result]:
    services = open_services(url)
    try:
        started = time.perf_counter()
        builder = KindWide(services)
        consents = builder.build_kind_wide(members)
        print(f"{members:,} members consenting by kind: built in {time.perf_counter() - started:.0f} s")
        trust = services.trust
        trust.clock = system_clock
        scratch.create(trust.engine)
        load = Load(trust, consents, rate)
        idle = load.during(lambda: time.sleep(2.0))
        raw = raw_commit_ms(trust)
        results = []
        for doing, command in (
            ("suspend", lambda: trust.suspend_organisation(builder.council, "Benchmark", TRUSTEE)),
            ("reinstate", lambda: trust.reinstate_organisation(builder.council, "Benchmark", TRUSTEE)),
        ):
            held: list[float] = []

            def timed(command=command, held=held) -> None:  # type: ignore[no-untyped-def]
                began = time.perf_counter()
                command()
                held.append((time.perf_counter() - began) * 1000)

            failed_before = load.failed
            meanwhile = load.during(timed)
            refused = load.failed - failed_before
            label = f"{doing} an organisation, {members:,} members by kind"
            print(
                f"{label}: {held[0]:.0f} ms (raw commit {raw:.1f} ms); members' commands meanwhile "
                f"p50 {percentile(meanwhile, 50):.0f} ms, p99 {percentile(meanwhile, 99):.0f} ms "
                f"({len(meanwhile)} commands, {refused} refused); "
                f"idle p50 {percentile(idle, 50):.0f}, p99 {percentile(idle, 99):.0f} ms"
            )
            results += [
                Result(f"{label}: lock held", held[0], raw, "ms", "< 50 ms at 1 M", held[0] < 50),
                Result(
                    f"{label}: members' p99 meanwhile",
                    percentile(meanwhile, 99),
                    percentile(idle, 99),
                    "ms",
                    "< 50 ms at 1 M",
                    percentile(meanwhile, 99) < 50,
                    note=f"p50 {percentile(meanwhile, 50):.0f} ms over {len(meanwhile)} withdrawals and consents "
                    f"({refused} refused); baseline: the same load on the idle trust",
                ),
            ]
        results.append(repeated_holds(trust, builder.council, members, raw))
        return results
    finally:
        services.close()


def repeated_holds(trust, council, members: int, raw: float, pairs: int = 20) -> Result:  # type: ignore[no-untyped-def]
    """One hold is one sample: suspend and reinstate ``pairs`` times more, with no load, for a p99."""
    held = []
    for _ in range(pairs):
        for command in (trust.suspend_organisation, trust.reinstate_organisation):
            began = time.perf_counter()
            command(council, "Benchmark", TRUSTEE)
            held.append((time.perf_counter() - began) * 1000)
    p99 = percentile(held, 99)
    print(
        f"{2 * pairs} more suspensions and reinstatements, {members:,} members by kind: p50 "
        f"{percentile(held, 50):.0f} ms, p99 {p99:.0f} ms, max {max(held):.0f} ms"
    )
    return Result(
        f"suspend or reinstate, {members:,} members by kind: lock held p99",
        p99,
        raw,
        "ms",
        "< 50 ms at 1 M",
        p99 < 50,
        note=f"{2 * pairs} commands one after another, no load; "
        f"p50 {percentile(held, 50):.1f} ms, max {max(held):.1f} ms",
    )


def raw_commit_ms(trust) -> float:  # type: ignore[no-untyped-def]
    """One single-row committed insert through the trust's own engine and write transaction: median ms."""
    times = []
    for _ in range(50):
        began = time.perf_counter()
        with writing(), trust.engine.begin() as conn:
            conn.execute(insert(scratch).values(payload="raw"))
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


class Load:
    """Members withdrawing a consent or giving a new one, ``rate`` commands a second, each member on their
    own (open loop: a command is sent on time whether or not earlier ones have finished), each timed
    from when it was due to when it finished."""

    def __init__(self, trust, consents: list, rate: float):  # type: ignore[no-untyped-def]
        self.trust, self.consents, self.rate = trust, list(consents), rate
        self.next = 0
        self.failed = 0

    def during(self, action) -> list[float]:  # type: ignore[no-untyped-def]
        """Latencies (ms) of the members' commands due while ``action`` ran."""
        done, timed, window = threading.Event(), [], {}
        pool = ThreadPoolExecutor(max_workers=WORKERS)

        def send(due: float, number: int) -> None:
            try:
                self.one(number)
            except TrustError:
                self.failed += 1  # e.g. the store busy past its lock timeout: the member was refused
            timed.append((due, (time.perf_counter() - due) * 1000))

        def dispatch() -> None:
            due = time.perf_counter()
            while not done.is_set():
                time.sleep(max(0.0, due - time.perf_counter()))
                pool.submit(send, due, self.next)
                self.next += 1
                due += 1 / self.rate

        dispatcher = threading.Thread(target=dispatch)
        dispatcher.start()
        try:
            time.sleep(0.5)
            window["from"] = time.perf_counter()
            action()
            window["to"] = time.perf_counter()
            time.sleep(0.5)
        finally:
            done.set()
            dispatcher.join()
            pool.shutdown(wait=True)
        inside = [ms for due, ms in timed if window["from"] <= due <= window["to"]]
        return inside or [ms for _, ms in timed]

    def one(self, number: int) -> None:
        member, consent = self.consents[number % len(self.consents)]
        if number % 2:
            self.trust.revoke_consent(consent, MEMBER)
        else:
            self.trust.grant_consent(member, KIND_WIDE[0], list(KIND_WIDE[1]), Audience(kind="council"), MEMBER)
