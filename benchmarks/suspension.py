"""(Issue 19) Suspending an organisation that many members consented to by kind, while members keep
withdrawing and giving consent: how long the suspension holds the store's one writer lock, and how long
the members' own commands take meanwhile.

A store per size (--suspension-members, repeatable; default 2,000 and 8,000): every member joins and
gives a kind-wide consent to councils ("service-planning"), built in batches through the real aggregates
as population.py builds (one transaction a batch), and one council is approved through the real
commands. --suspension-others adds members who join without that consent, spread evenly among the
others (the issue's store: --suspension-members 400000 --suspension-others 600000). The store is a
scratch one, or with --suspension-keep kept (benchmarks/results/kind-wide-*.sqlite3, or the PostgreSQL
database datatrust_bench_kind_wide_*) and used again by the next run of the same sizes unless --fresh.

Then for suspend and for reinstate: a load thread sends withdrawals and new consents at
--suspension-rate commands a second (20, the issue's figure), through the real commands, from before the
command starts until after it ends. It reports:

- the suspension (or reinstatement) command's time: it takes the writer lock first and holds it to its
  commit, so this is its hold, against one raw single-row committed insert in the same store; then
  the p99 of 20 more of each, one after another with no load (one command is one sample);
- the members' commands' p50 and p99 while it ran (each from when it was due: members act on their
  own, so commands keep coming while earlier ones wait), and how many were refused (the store busy past
  its lock timeout), against the same load on the idle trust.

Then, on the same store, the reads a member and an organisation make: who_could_see (a random member at
a random moment since they joined, as queries.py asks it) against a raw indexed read of the member's
consent periods, and the organisation API's read of one member (GET /api/v1/members/<id>, the council
reading members it may see, over HTTP from `datatrust serve`) against the HTTP floor of the same server.

Targets (issue 19): the hold and the members' p99 under 50 ms at 1,000,000 members; who_could_see p99
under 5 ms and the API's read p99 under 10 ms there."""

import argparse
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select

from adapters.bootstrap import settle_heap
from benchmarks.common import Result, open_services, percentile, scratch_database
from benchmarks.population import START, Population
from benchmarks.queries import questions, raw, timings
from benchmarks.store import about, analyse, description, size_on_disk, url_for
from benchmarks.web import Browser, expect, paired, sample_members, server
from domain.consent.model import Consent
from domain.kernel.actors import Actor
from domain.kernel.clock import recording_at, system_clock
from domain.kernel.errors import TrustError
from domain.store.storage import writing
from domain.trust import Audience
from projections.consent.tables import consents
from projections.organisations.tables import organisations

TRUSTEE = Actor("trustee", "bench")
MEMBER = Actor("member", "self")
KIND_WIDE = ("service-planning", ("housing", "profile"), "kind:council")
COUNCIL = "Cumbria County Council"
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
    options.add_argument(
        "--suspension-others", type=int, default=0, help="members besides, who join without the kind-wide consent"
    )
    options.add_argument("--suspension-reads", type=int, default=2000, help="who_could_see questions and API reads")
    options.add_argument(
        "--suspension-keep", action="store_true", help="keep the store and use it again (unless --fresh)"
    )


class KindWide(Population):
    """Members who each give councils a kind-wide consent, and members who join and do nothing else."""

    def __init__(self, services):  # type: ignore[no-untyped-def]
        super().__init__(services)
        self.services = services

    def build_kind_wide(self, members: int, others: int = 0, progress=print) -> None:  # type: ignore[no-untyped-def]
        """``members`` who consent by kind and ``others`` who do not, spread evenly."""
        self.trust.clock = self.clock
        council = self.trust.register_organisation(COUNCIL, "council", TRUSTEE)
        self.trust.approve_organisation(council, "DSA-BENCH", START.date(), TRUSTEE)
        everyone = members + others
        for first in range(0, everyone, BATCH):
            with self.trust.command() as (session, _now):
                aggregates = []
                for number in range(first, min(everyone, first + BATCH)):
                    self.clock.now += timedelta(seconds=30)
                    with recording_at(self.clock.now):
                        joiner = self.register(session, number, self.clock.now)
                        consenting = (number + 1) * members // everyone > number * members // everyone
                        aggregates += [joiner.member, *([self.kind_wide(joiner, self.clock.now)] if consenting else [])]
                self.save(aggregates)
            if first // BATCH % 50 == 49:
                analyse(self.services)  # planner statistics as autovacuum would keep them (store.py)
                progress(f"  {first + BATCH:,} of {everyone:,} members")

    def kind_wide(self, joiner, now) -> Consent:  # type: ignore[no-untyped-def]
        """Every category offered, no expiry."""
        purpose, categories, audience = KIND_WIDE
        return self.new_consent(joiner, purpose, categories, audience, None, now)


def run(database: str, args: argparse.Namespace) -> list[Result]:
    results = []
    for members in args.suspension_members or [2_000, 8_000]:
        if args.suspension_keep:
            url = kept_store(database, members, args.suspension_others, args)
            results += measure(url, members, args.suspension_rate, args.suspension_reads)
            continue
        with scratch_database(database, args) as url:
            built(url, members, args.suspension_others)
            results += measure(url, members, args.suspension_rate, args.suspension_reads)
    return results


def kept_store(database: str, members: int, others: int, args: argparse.Namespace) -> str:
    """The kept store of these sizes, built first if missing, unfinished or --fresh."""
    name = f"kind-wide-{members}-{others}"
    found = None if args.fresh else description(url_for(database, name, args.postgres))
    url = url_for(database, name, args.postgres, fresh=not found)
    if found:
        print(
            f"Using the kept store {url}, built in {found['build_seconds']:.0f} s ({found['events']:,} events, "
            f"{size_on_disk(url) / 2**30:.2f} GiB)"
        )
    else:
        built(url, members, others, keep=True)
    return url


def built(url: str, members: int, others: int, keep: bool = False) -> None:
    """The store of these sizes, built at ``url``; ``keep``: with what it holds recorded, for later runs."""
    services = open_services(url)
    try:
        started = time.perf_counter()
        KindWide(services).build_kind_wide(members, others)
        seconds = time.perf_counter() - started
        events = services.trust.last_position()
        print(
            f"{members:,} members consenting by kind and {others:,} others: built in {seconds:.0f} s, {events:,} "
            f"events, {size_on_disk(url) / 2**30:.2f} GiB on disk"
        )
        if keep:
            analyse(services, finished=True)
            about.create(services.trust.engine, checkfirst=True)
            with services.trust.engine.begin() as conn:
                conn.execute(delete(about))
                conn.execute(
                    insert(about),
                    [{"key": k, "value": json.dumps(v)} for k, v in (("build_seconds", seconds), ("events", events))],
                )
    finally:
        services.close()


def in_force(services) -> tuple[UUID, list[tuple[UUID, UUID]]]:  # type: ignore[no-untyped-def]
    """The council, and every (member, consent) of the kind-wide consents still in force."""
    purpose, _categories, audience = KIND_WIDE
    with services.trust.engine.connect() as conn:
        council = conn.execute(
            select(organisations.c.organisation_id).where(organisations.c.name == COUNCIL)
        ).scalar_one()
        found = conn.execute(
            select(consents.c.member_id, consents.c.consent_id)
            .where(consents.c.purpose == purpose, consents.c.audience_kind == audience.removeprefix("kind:"))
            .where(consents.c.ended_reason.is_(None))
            .order_by(consents.c.granted_rec, consents.c.consent_id)
        )
        return council, [tuple(row) for row in found]


def measure(url: str, members: int, rate: float, reads: int) -> list[Result]:
    services = open_services(url)
    try:
        trust = services.trust
        council, load, idle, raw = loaded(services, rate)
        results = []
        for doing, command in (
            ("suspend", lambda: trust.suspend_organisation(council, "Benchmark", TRUSTEE)),
            ("reinstate", lambda: trust.reinstate_organisation(council, "Benchmark", TRUSTEE)),
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
        results.append(repeated_holds(trust, council, members, raw))
        return results + reads_at_size(url, services, council, members, reads)
    finally:
        services.close()


def loaded(services, rate: float) -> tuple[UUID, "Load", list[float], float]:  # type: ignore[no-untyped-def]
    """The store made ready to measure a command under members' load: the trust on the real clock, the
    council, the load (``rate`` members' commands a second), that load's latencies (ms) on the idle trust,
    and a raw single-row commit's median (ms)."""
    trust = services.trust
    trust.clock = system_clock
    council, consents = in_force(services)
    scratch.create(trust.engine, checkfirst=True)
    load = Load(trust, consents, rate)
    # The load's list of every consent in force (two UUIDs each, a million at 1 M) is the benchmark's, not the
    # measured process's: out of the collector's scans, or each full collection walks it while a command holds
    # the writer lock (a rotation's slowest step at 1 M, 658-680 ms; docs/performance.md, eighth session).
    settle_heap()
    return council, load, load.during(lambda: time.sleep(2.0)), raw_commit_ms(trust)


def repeated_holds(trust, council, members: int, raw: float, pairs: int = 20) -> Result:  # type: ignore[no-untyped-def]
    """One hold is one sample: suspend and reinstate ``pairs`` times more, with no load, for a p99."""
    held = []
    for _ in range(pairs):
        for command in (trust.suspend_organisation, trust.reinstate_organisation):
            began = time.perf_counter()
            command(council, "Benchmark", TRUSTEE)
            held.append((time.perf_counter() - began) * 1000)
    p99 = percentile(held, 99)
    history = trust.organisation(council).version  # each command replays the council's events (no snapshots)
    print(
        f"{2 * pairs} more suspensions and reinstatements, {members:,} members by kind: p50 "
        f"{percentile(held, 50):.0f} ms, p99 {p99:.0f} ms, max {max(held):.0f} ms; the council now has "
        f"{history} events"
    )
    return Result(
        f"suspend or reinstate, {members:,} members by kind: lock held p99",
        p99,
        raw,
        "ms",
        "< 50 ms at 1 M",
        p99 < 50,
        note=f"{2 * pairs} commands one after another, no load; "
        f"p50 {percentile(held, 50):.1f} ms, max {max(held):.1f} ms; the council has {history} events",
    )


def reads_at_size(url: str, services, council: UUID, members: int, count: int) -> list[Result]:  # type: ignore[no-untyped-def]
    """who_could_see, and the organisation API's read of one member, on this store."""
    asked = questions(services, count + 200)
    app, base = services.views.who_could_see, lambda *q: raw(services, *q)
    timings(asked[:200], app, base)  # warm up
    seen, raw_seen = timings(asked[200:], app, base)
    purpose = KIND_WIDE[0]
    allowed, _refused = sample_members(services, council, purpose, count + 100)
    _token_id, token = services.trust.issue_api_token(council, "benchmark", TRUSTEE)
    with tempfile.TemporaryDirectory(prefix="datatrust-bench-suspension-") as folder:
        with server(url, Path(folder), workers=1) as (base_url, _link):
            client = Browser(base_url)
            client.headers["Authorization"] = f"Bearer {token}"

            def read(member_id: UUID) -> float:
                return expect(client.get(f"/api/v1/members/{member_id}?purpose={purpose}"), 200, "a read").seconds

            def floor(_: object) -> float:
                return expect(client.get("/api/v1/openapi.json"), 200, "openapi").seconds

            def page(after: UUID | None) -> float:
                cursor = f"&after={after}" if after else ""
                return expect(client.get(f"/api/v1/members?purpose={purpose}{cursor}"), 200, "a page").seconds

            paired(allowed[:100], read, lambda _: None)  # warm up
            read_times, _ = paired(allowed[100:] or allowed, read, lambda _: None)  # (a small store: all again)
            floors, _ = paired(range(len(read_times) // 4), floor, lambda _: None)
            pages, _ = paired([None, *allowed[: count // 20]], page, lambda _: None)  # the first, then from anyone
            client.close()
    seen_ms, raw_ms, read_ms, floor_ms, page_ms = (
        [1000 * t for t in times] for times in (seen, raw_seen, read_times, floors, pages)
    )
    print(
        f"who_could_see at {members:,} members by kind: p50 {percentile(seen_ms, 50):.2f} ms, p99 "
        f"{percentile(seen_ms, 99):.2f} ms (raw p99 {percentile(raw_ms, 99):.2f}); the API's read p50 "
        f"{percentile(read_ms, 50):.2f} ms, p99 {percentile(read_ms, 99):.2f} ms (HTTP floor p99 "
        f"{percentile(floor_ms, 99):.2f})"
    )
    return [
        Result(
            f"who_could_see p99, {members:,} members by kind",
            percentile(seen_ms, 99),
            percentile(raw_ms, 99),
            "ms",
            "p99 < 5 ms",
            percentile(seen_ms, 99) < 5,
            note=f"{len(seen_ms)} questions, p50 {percentile(seen_ms, 50):.2f} ms; baseline: a raw indexed read "
            "of the member's consent periods",
        ),
        Result(
            f"API read of one member p99, {members:,} members by kind",
            percentile(read_ms, 99),
            percentile(floor_ms, 99),
            "ms",
            "p99 < 10 ms",
            percentile(read_ms, 99) < 10,
            note=f"{len(read_ms)} reads (200) over one keep-alive connection, p50 {percentile(read_ms, 50):.2f} ms; "
            "baseline: GET /api/v1/openapi.json on the same server",
        ),
        Result(
            f"API list page (500 members) p99, {members:,} members by kind",
            percentile(page_ms, 99),
            percentile(floor_ms, 99),
            "ms",
            note=f"{len(page_ms)} pages, the first and then from random members on, p50 "
            f"{percentile(page_ms, 50):.1f} ms, max {max(page_ms):.1f} ms",
        ),
    ]


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
