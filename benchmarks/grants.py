"""(1) Consent grants per second through the application, each its own committed
command, against raw single-row committed inserts into a scratch table in the
same database (same engine, same connection settings).

The two are measured in interleaved rounds; each figure is the median round.
"""

import cProfile
import time
from datetime import timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, insert

from benchmarks.common import (
    DriverTime,
    Result,
    median,
    open_services,
    report,
    scratch_database,
    standalone,
)
from domain.kernel.actors import Actor
from domain.store.storage import writing
from domain.trust import Audience, Trust

TRUSTEE = Actor("trustee", "bench")
scratch = Table(
    "bench_raw_inserts",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", Uuid, nullable=False),
    Column("payload", String(200), nullable=False),
)


def setup(trust: Trust, members: int) -> tuple[list, list[Audience]]:
    now = trust.clock()
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    council = trust.register_organisation("Cumbria County Council", "council", TRUSTEE)
    for organisation in (lender, council):
        trust.approve_organisation(organisation, "DSA-BENCH", (now - timedelta(days=1)).date(), TRUSTEE)
    people = [trust.register_member(f"Member {n}", Actor("member", f"m{n}"), channel="bot") for n in range(members)]
    scratch.create(trust.engine)
    return people, [Audience(lender), Audience(lender), Audience(lender), Audience(kind="council")]


def grant(trust: Trust, member, audience: Audience) -> None:
    purpose = "affordable-credit" if audience.organisation_id else "service-planning"
    trust.grant_consent(member, purpose, ["housing", "household-finances"], audience, Actor("member", "self"))


def raw_insert(trust: Trust, member) -> None:
    with writing(), trust.engine.begin() as conn:  # the trust's own engine and write transaction
        conn.execute(insert(scratch).values(member_id=member, payload="affordable-credit housing household-finances"))


def rates(trust: Trust, people: list, audiences: list[Audience], per_round: int, rounds: int) -> tuple[list, list]:
    app, raw = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for n in range(per_round):
            grant(trust, people[n % len(people)], audiences[n % len(audiences)])
        app.append(per_round / (time.perf_counter() - started))
        started = time.perf_counter()
        for n in range(per_round):
            raw_insert(trust, people[n % len(people)])
        raw.append(per_round / (time.perf_counter() - started))
    return app, raw


def where_time_goes(trust: Trust, people: list, audiences: list[Audience], profiled: bool, database: str):  # type: ignore[no-untyped-def]
    """An extra, untimed round of 100 grants: SQL statements and time in the driver (and a profile)."""
    profile = cProfile.Profile() if profiled else None
    with DriverTime(trust.engine) as driver:
        if profile:
            profile.enable()
        started = time.perf_counter()
        for n in range(100):
            grant(trust, people[n % len(people)], audiences[n % len(audiences)])
        elapsed = time.perf_counter() - started
        if profile:
            profile.disable()
    if profile:
        report(profile, f"grants-{database}")
    return driver, elapsed


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with scratch_database(database, args) as url:
        services = open_services(url)
        try:
            people, audiences = setup(services.trust, members=200)
            rates(services.trust, people, audiences, per_round=20, rounds=1)  # warm up
            app, raw = rates(services.trust, people, audiences, args.grants // args.rounds, args.rounds)
            driver, elapsed = where_time_goes(services.trust, people, audiences, args.profile, database)
        finally:
            services.close()
    value, baseline = median(app), median(raw)
    result = Result(
        "consent grants / s (own command)",
        value,
        baseline,
        "/s",
        target="ratio >= 0.5",
        met=value / baseline >= 0.5,
        note=f"empty store; {args.grants} grants and as many raw inserts in {args.rounds} interleaved rounds; "
        f"rounds: app {min(app):.0f}-{max(app):.0f}/s, raw {min(raw):.0f}-{max(raw):.0f}/s; "
        f"a grant runs {driver.statements / 100:.1f} SQL statements, {driver.seconds * 10:.2f} of its "
        f"{elapsed * 10:.2f} ms inside the database driver",
    )
    return [result]


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--grants", type=int, default=2000, help="consent grants to time (and as many raw inserts)")
    options.add_argument("--rounds", type=int, default=5)


def main() -> None:
    standalone(__doc__, add_options, run)


if __name__ == "__main__":
    main()
