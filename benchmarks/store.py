"""The big store, built once (see population.py) and kept between runs:
SQLite in benchmarks/results/, PostgreSQL in database datatrust_bench_<members>."""

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, delete, insert, inspect, select, text

from adapters.bootstrap import Services
from benchmarks.common import RESULTS, open_services, postgres_database
from benchmarks.population import Population
from domain.kernel.clock import system_clock

VERSION = "3"  # bump when population.py changes what it builds
about = Table("bench_population", MetaData(), Column("key", String(40), primary_key=True), Column("value", Text))


def url_for(database: str, members: int | str, server: str, fresh: bool = False) -> str:
    """A kept store's URL: the population store of ``members``, or another benchmark's by name
    (benchmarks/results/<name>.sqlite3, or database datatrust_bench_<name>); ``fresh``: emptied first."""
    if database == "sqlite":
        path = RESULTS / (f"store-{members}.sqlite3" if isinstance(members, int) else f"{members}.sqlite3")
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        RESULTS.mkdir(exist_ok=True)
        return f"sqlite:///{path}"
    return postgres_database(server, f"datatrust_bench_{members}".replace("-", "_"), fresh=fresh)


def description(url: str) -> dict | None:
    """What a finished store holds (None if unfinished or empty), read without opening the trust."""
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table(about.name):
            return None
        with engine.connect() as conn:
            return {key: json.loads(value) for key, value in conn.execute(select(about.c.key, about.c.value))}
    finally:
        engine.dispose()


def size_on_disk(url: str) -> int:
    """Bytes the store takes: PostgreSQL's database size, or SQLite's file with its write-ahead log."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    finally:
        engine.dispose()


def core_version() -> str:
    """A fingerprint of domain/ and projections/, the code that wrote the store."""
    root, digest = Path(__file__).resolve().parent.parent, hashlib.sha256()
    for path in sorted([*root.glob("domain/*.py"), *root.glob("projections/*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def open_population(database: str, args) -> tuple[Services, str, dict]:  # type: ignore[no-untyped-def]
    """The big store's services, its URL and what it holds; built first if missing."""
    wanted = {"version": VERSION, "members": args.members, "batch": args.batch, "seed": 7}
    url = url_for(database, args.members, args.postgres)
    found = None if args.fresh else description(url)
    if found and all(found.get(k) == v for k, v in wanted.items()):
        print(f"Using the cached store {url}: {found['events']} events, built in {found['build_seconds']:.0f} s")
        if found.get("core") != core_version():
            print("  (built by other versions of domain/ and projections/: use --fresh if the events changed)")
        return open_services(url), url, found
    url = url_for(database, args.members, args.postgres, fresh=True)
    services = open_services(url)
    print(f"Building the store {url}: {args.members} members in batches of {args.batch} ...")
    started = time.perf_counter()

    def progress(done: int, batches: int, events: int) -> None:
        if done % 5 == 1:
            analyse(services)  # see analyse()
        elapsed = time.perf_counter() - started
        rate = events / elapsed
        print(f"  batch {done}/{batches}: {events} events, {elapsed:.0f} s, {rate:.0f} events/s", flush=True)

    Population(services).build(args.members, args.batch, progress)
    services.trust.clock = system_clock
    found = dict(wanted, events=services.trust.last_position(), build_seconds=time.perf_counter() - started)
    found["core"] = core_version()
    found["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    analyse(services, finished=True)
    about.create(services.trust.engine, checkfirst=True)
    with services.trust.engine.begin() as conn:
        conn.execute(delete(about))
        conn.execute(insert(about), [{"key": k, "value": json.dumps(v)} for k, v in found.items()])
    print(f"Built {found['events']} events in {found['build_seconds']:.0f} s")
    return services, url, found


def analyse(services: Services, finished: bool = False) -> None:
    """Planner statistics while building, as autovacuum gathers them on a live
    PostgreSQL (it is off on the benchmark server). Without them both engines
    check access through the access_by_organisation index, scanning every row of
    the organisation, and the build slows to a crawl (see docs/performance.md).
    The trust never analyses SQLite, so a finished SQLite store drops them again."""
    engine = services.trust.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        return
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS sqlite_stat1" if finished else "ANALYZE"))
