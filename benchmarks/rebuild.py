"""(3) Projection rebuild (projections.core.rebuild.rebuild: drop every read model and
replay the whole log) in events per second, against a raw scan-and-decode of the
log: select every stored event in batches and decode it with the application's
mapper, doing nothing else. The scan runs before and after the rebuild; the
baseline is the faster of the two.
"""

import cProfile
import resource
import time

from eventsourcing.persistence import StoredEvent
from psycopg.types.json import Json
from sqlalchemy import JSON, bindparam, select

from benchmarks.common import DriverTime, Result, open_services, report, standalone
from benchmarks.store import analyse, open_population
from domain.trust import Trust
from projections.core.rebuild import BATCH, rebuild
from projections.core.tables import metadata


def scan_and_decode(trust: Trust, batch: int = BATCH) -> int:
    events = trust.application.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    page = (
        select(events.c.id, events.c.originator_id, events.c.originator_version, events.c.topic, events.c.state)
        .where(events.c.id > bindparam("after"))
        .order_by(events.c.id)
        .limit(batch)
    )
    done, after = 0, 0
    with trust.engine.connect() as conn:
        while rows := conn.execute(page, {"after": after}).all():
            for row in rows:
                trust.application.mapper.to_domain_event(StoredEvent(row[1], row[2], row[3], bytes(row[4])))
            done += len(rows)
            after = rows[-1][0]
    return done


def write_again(trust: Trust) -> int:
    """The floor under a rebuild's writes: every read-model row the rebuild wrote, read back, deleted and
    written again by the database driver alone (SQLite: executemany; PostgreSQL: COPY), into the same
    indexed tables, in one transaction that is then rolled back. Returns the rows written; time it."""
    raw = trust.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if trust.engine.dialect.name == "sqlite":
            cursor.execute("BEGIN")  # the trust's SQLite connections leave transactions to it (storage.py)
        held = {}
        for table in metadata.sorted_tables:
            cursor.execute(f"SELECT * FROM {table.name}")
            held[table] = cursor.fetchall()
        written = 0
        for table, rows in held.items():
            cursor.execute(f"DELETE FROM {table.name}")
            if not rows:
                continue
            if trust.engine.dialect.name == "postgresql":
                jsons = [i for i, column in enumerate(table.columns) if isinstance(column.type, JSON)]
                with cursor.copy(f"COPY {table.name} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([Json(v) if i in jsons and v is not None else v for i, v in enumerate(row)])
            else:
                marks = ", ".join("?" for _ in table.columns)
                cursor.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows)
            written += len(rows)
        return written
    finally:
        raw.rollback()
        raw.close()


def timed(work, *args) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    done = work(*args)
    return done, time.perf_counter() - started


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    args.members = min(args.members, args.rebuild_members)
    if args.rebuild_url:  # another benchmark's kept store (the same master key and keyring)
        services, store = open_services(args.rebuild_url), f"store {args.rebuild_url}"
    else:
        services, _url, _about = open_population(database, args)
        store = f"store of {args.members} members"
    try:
        trust, projector = services.trust, services.views.projector
        scanned, before = timed(scan_and_decode, trust)
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        with DriverTime(trust.engine) as driver:
            replayed, seconds = timed(rebuild, trust, projector)
        if profile:
            profile.disable()
            report(profile, f"rebuild-{database}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux; before holding all rows
        analyse(services, finished=True)
        _, after = timed(scan_and_decode, trust)
        rows, rewrite = timed(write_again, trust)
    finally:
        services.close()
    scan = min(before, after)
    value, baseline = replayed / seconds, scanned / scan
    note = (
        f"{store}; {replayed} events replayed in {seconds:.0f} s, scanned in {scan:.1f} s; "
        f"the rebuild ran {driver.statements / replayed:.1f} SQL statements per event, "
        f"{driver.seconds / seconds:.0%} of its time inside the database driver; peak RSS of the process "
        f"{peak:.0f} MiB"
    )
    floor = replayed / (scan + rewrite)  # decoding the log and writing its rows, and nothing else
    rewritten = (
        f"it wrote {rows / replayed:.1f} read-model rows an event; the driver alone writes them again in "
        f"{rewrite:.1f} s, so decoding and writing them, nothing else, would take {scan + rewrite:.1f} s"
    )
    return [
        Result("rebuild events / s", value, baseline, "ev/s", "ratio >= 0.5", value / baseline >= 0.5, note),
        Result("rebuild vs decode and write", value, floor, "ev/s", note=rewritten),
    ]


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument(
        "--rebuild-members",
        type=int,
        default=20_000,
        help="members in the store rebuilt (at most --members; a full 1M-event rebuild takes over half an hour)",
    )
    options.add_argument("--rebuild-url", help="rebuild this store instead (e.g. the suspension benchmark's kept one)")


def main() -> None:
    standalone(__doc__, add_options, run)


if __name__ == "__main__":
    main()
