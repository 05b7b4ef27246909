"""The big store, built once (see population.py) and kept between runs:
SQLite in benchmarks/results/, PostgreSQL in database datatrust_bench_<members>."""

import json
import time
from datetime import UTC, datetime

from sqlalchemy import Column, MetaData, String, Table, Text, delete, insert, inspect, select, text

from adapters.bootstrap import Services
from domain.clock import system_clock
from benchmarks.common import RESULTS, open_services, postgres_database
from benchmarks.population import Population

VERSION = "1"  # bump when population.py changes what it builds
about = Table("bench_population", MetaData(), Column("key", String(40), primary_key=True), Column("value", Text))


def url_for(database: str, members: int, server: str, fresh: bool = False) -> str:
    if database == "sqlite":
        path = RESULTS / f"store-{members}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        RESULTS.mkdir(exist_ok=True)
        return f"sqlite:///{path}"
    return postgres_database(server, f"datatrust_bench_{members}", fresh=fresh)


def description(services: Services) -> dict | None:
    if not inspect(services.trust.engine).has_table(about.name):
        return None
    with services.trust.engine.connect() as conn:
        return {key: json.loads(value) for key, value in conn.execute(select(about.c.key, about.c.value))}


def open_population(database: str, args) -> tuple[Services, str, dict]:  # type: ignore[no-untyped-def]
    """The big store's services, its URL and what it holds; built first if missing."""
    wanted = {"version": VERSION, "members": args.members, "batch": args.batch, "seed": 7}
    url = url_for(database, args.members, args.postgres)
    services = open_services(url)
    found = description(services)
    if found and all(found.get(k) == v for k, v in wanted.items()):
        print(f"Using the cached store {url}: {found['events']} events, built in {found['build_seconds']:.0f} s")
        return services, url, found
    services.close()
    url = url_for(database, args.members, args.postgres, fresh=True)
    services = open_services(url)
    print(f"Building the store {url}: {args.members} members in batches of {args.batch} ...")
    started = time.perf_counter()

    def progress(done: int, batches: int, events: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"  batch {done}/{batches}: {events} events, {elapsed:.0f} s, {events / elapsed:.0f} events/s", flush=True)

    Population(services).build(args.members, args.batch, progress)
    services.trust.clock = system_clock
    found = dict(wanted, events=services.trust.last_position(), build_seconds=time.perf_counter() - started)
    found["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    analyse(services)
    about.create(services.trust.engine, checkfirst=True)
    with services.trust.engine.begin() as conn:
        conn.execute(delete(about))
        conn.execute(insert(about), [{"key": k, "value": json.dumps(v)} for k, v in found.items()])
    print(f"Built {found['events']} events in {found['build_seconds']:.0f} s")
    return services, url, found


def analyse(services: Services) -> None:
    """Fresh planner statistics, as autovacuum would gather on a live PostgreSQL."""
    if services.trust.engine.dialect.name == "postgresql":
        with services.trust.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
