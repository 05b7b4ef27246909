"""(2) who_could_see(member, at) latency on the big store (about 100,000 members
and 1,000,000 events), against a raw indexed point query on consent_periods by
member in the same run. Each query opens its own connection, as the views do;
the trust's question and the raw query alternate, one pair per sampled member.

Also timed, without a target: the access check every record_access command
makes (views.allowing_consents, read-only here), against the same raw query.
"""

import random
import time
from collections.abc import Callable

from sqlalchemy import bindparam, func, select

from benchmarks.common import Result, percentile, standalone
from benchmarks.store import open_population
from projections.consent.reach import CP, OP, covering, reach
from projections.core.tables import timeline
from projections.membership.tables import members

RAW = select(CP.audience, CP.category, CP.consent_id).where(  # one table, no organisations joined
    CP.member_id == bindparam("member_id"),
    CP.axis == "recorded",
    CP.valid_from <= bindparam("at"),
    (CP.valid_to.is_(None)) | (CP.valid_to > bindparam("at")),
)
MS = 1000


def questions(services, count: int, seed: int = 11) -> list:  # type: ignore[no-untyped-def]
    """Random members, each asked about at a random moment since they registered."""
    rng = random.Random(seed)
    with services.views.reading() as conn:
        end = conn.execute(select(func.max(timeline.c.recorded_at))).scalar_one()
        joined = conn.execute(select(members.c.member_id, members.c.registered_rec)).all()
    chosen = rng.sample(joined, min(count, len(joined)))
    return [(row.member_id, row.registered_rec + (end - row.registered_rec) * rng.random()) for row in chosen]


def reads(services, count: int) -> list:  # type: ignore[no-untyped-def]
    """Random (organisation, purpose, category, member, moment) a read could ask about."""
    with services.views.reading() as conn:
        rows = conn.execute(
            reach("recorded")
            .with_only_columns(OP.organisation_id, CP.purpose, CP.category, CP.member_id, CP.valid_from)
            .where(covering(CP.valid_from))
            .order_by(func.random())
            .limit(count)
        ).all()
    return [tuple(row) for row in rows]


def raw(services, member_id, at) -> None:  # type: ignore[no-untyped-def]
    with services.views.reading() as conn:
        conn.execute(RAW, {"member_id": member_id, "at": at}).all()


def access_check(services, organisation_id, purpose, category, member_id, at) -> None:  # type: ignore[no-untyped-def]
    with services.trust.reading() as session:  # as record_access does, but read-only
        services.views.allowing_consents(session, organisation_id, member_id, purpose, [category], at)


def timings(asked: list[tuple], app: Callable, baseline: Callable) -> tuple[list[float], list[float]]:
    """Seconds per call of ``app(*question)`` and of ``baseline(member, at)``, alternating."""
    app_times, raw_times = [], []
    for question in asked:
        started = time.perf_counter()
        app(*question)
        app_times.append(time.perf_counter() - started)
        member_id, at = question[-2:]
        started = time.perf_counter()
        baseline(member_id, at)
        raw_times.append(time.perf_counter() - started)
    return app_times, raw_times


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    services, _url, about = open_population(database, args)
    try:
        asked = questions(services, args.queries + 200)
        app, base = services.views.who_could_see, lambda *q: raw(services, *q)
        timings(asked[:200], app, base)  # warm up
        seen, raw_seen = timings(asked[200:], app, base)
        found = sum(len(services.views.who_could_see(*q)) for q in asked[200:300])
        checks, raw_checks = timings(reads(services, args.queries // 4), lambda *q: access_check(services, *q), base)
    finally:
        services.close()
    p99 = percentile(seen, 99) * MS
    store = f"store of {about['members']} members / {about['events']} events"
    note = f"{len(seen)} questions, {store}; {found / 100:.1f} organisations per answer; max {max(seen) * MS:.1f} ms"
    check_note = f"{len(checks)} checks, as record_access makes them; max {max(checks) * MS:.1f} ms"
    return [
        Result("who_could_see p50", percentile(seen, 50) * MS, percentile(raw_seen, 50) * MS, "ms"),
        Result("who_could_see p99", p99, percentile(raw_seen, 99) * MS, "ms", "p99 < 5 ms", p99 < 5, note),
        Result("access check p50", percentile(checks, 50) * MS, percentile(raw_checks, 50) * MS, "ms"),
        Result("access check p99", percentile(checks, 99) * MS, percentile(raw_checks, 99) * MS, "ms", note=check_note),
    ]


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--queries", type=int, default=2000, help="who_could_see questions to time")


def main() -> None:
    standalone(__doc__, add_options, run)


if __name__ == "__main__":
    main()
