"""(13) A benchmarked report for one social business on a store of 20,000 (issue 17).

The store: --report-businesses organisation-members (20,000) built through the real commands, a
few hundred per transaction (each command nested in one outer `trust.command()`, as the trust's
own would run one by one): each joins on the web, shares an organisation profile (sectors, areas
and sizes drawn to look like the UK's social enterprises: most in a few sectors, most micro) and
a funding history of 0-4 grants; 85 % agree to benchmarking (profile and funding), 10 % to the
profile only, 5 % never. Cached like the big store (SQLite under benchmarks/results/, PostgreSQL
in its own database).

Timed, one at a time, for random members who agreed, after 60 reports to warm up (a serving
process's first reports open its groups' parts; later ones open only the parts that changed), with
a business's profile changed before every fifth report (so parts keep changing as they would): the
report as the portal computes it (the members' live rules, then `views.benchmark_report`: the
member's row, its three peer groups' parts, the changed ones opened, the comparisons and the
disclosure checks); against the raw query of the same rows: the member's row and its groups' sealed
parts, nothing opened or checked. The chart (SVG) is timed apart.
"""

import json
import random
import time
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select

from adapters.web.benchmarks_shown import chart_svg
from benchmarks.common import RESULTS, Result, open_services, percentile, postgres_database, standalone
from domain.kernel.actors import Actor
from domain.reports.figures import GROUPS
from domain.trust import Audience
from projections.reports.tables import peer_figures, peer_groups

MS = 1000
VERSION = 1  # of the builder: a cached store built by another is built again
SECTORS = {"I": 18, "Q": 16, "S": 14, "R": 12, "P": 9, "G": 8, "N": 5, "M": 5, "A": 4, "C": 3, "F": 3, "L": 3}
AREAS = ["CA", "LA", "DG", "NE", "DH", "SR", "TS", "DL", "HG", "YO", "BD", "LS", "HX", "HD", "WF"]
AREAS += ["S", "DN", "HU", "LN", "NG", "DE", "ST", "CW", "CH", "WA", "WN", "BL", "OL", "SK", "M"]
THE_TRUST = Audience(kind="trust")
BUSINESS = Actor("member", "bench business")


def url_of(database: str, businesses: int, server: str, fresh: bool = False) -> str:
    if database == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"reports-{businesses}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return postgres_database(server, f"datatrust_bench_reports_{businesses}", fresh=fresh)


def profile(rng: random.Random, n: int) -> dict:
    employees = round(min(400.0, rng.lognormvariate(1.6, 1.0)), 1)
    income = int(max(5_000, employees * 38_000 * rng.lognormvariate(0, 0.5))) * 100
    trading = rng.randint(20, 100)
    return {
        "org-id": f"GB-COH-{30_000_000 + n:08d}",
        "legal-form": rng.choice(["cic-guarantee", "cic-shares", "co-operative", "community-benefit-society"]),
        "sector": rng.choices(list(SECTORS), weights=list(SECTORS.values()))[0],
        "area": f"{rng.choice(AREAS)}{rng.randint(1, 20)}",
        "year-founded": rng.randint(1985, 2025),
        "employees": employees,
        "annual-income": income,
        "income-trading": trading,
        "income-grants": 100 - trading,
    }


def grants(rng: random.Random) -> list[dict]:
    return [
        {
            "funder": f"GB-CHC-{rng.randint(1_000_000, 1_200_000)}",
            "amount": rng.randint(1_000, 250_000) * 100,
            "instrument": rng.choice(["grant", "grant", "loan"]),
            "date": f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        for _ in range(rng.randint(0, 4))
    ]


def build(services, businesses: int, batch: int = 250) -> list:  # type: ignore[no-untyped-def]
    trust, rng, agreed = services.trust, random.Random(17), []
    for first in range(0, businesses, batch):
        with trust.command():  # one transaction; the real commands below nest in it
            for n in range(first, min(first + batch, businesses)):
                member = trust.register_member(
                    f"Social Business {n}", BUSINESS, channel="web", kind="organisation-member"
                )
                trust.share_data(member, "organisation-profile", profile(rng, n), BUSINESS, "portal")
                history = grants(rng)
                if history:
                    trust.share_data(member, "funding-history", history, BUSINESS, "portal")
                choice = rng.random()
                if choice < 0.95:
                    both = choice < 0.85
                    categories = ["organisation-profile", "funding-history"] if both else ["organisation-profile"]
                    trust.grant_consent(member, "benchmarking", categories, THE_TRUST, BUSINESS)
                    agreed.append(member)
        if first % (batch * 20) == 0:
            print(f"  {first + batch} businesses", flush=True)
    return agreed


def store(database: str, args):  # type: ignore[no-untyped-def]
    """The cached store's services and the members who agreed (built first if missing)."""
    sidecar = RESULTS / f"reports-{args.report_businesses}-{database}.json"
    wanted = {"version": VERSION, "businesses": args.report_businesses}
    found = json.loads(sidecar.read_text()) if sidecar.exists() and not args.fresh else {}
    if all(found.get(k) == v for k, v in wanted.items()):
        services = open_services(url_of(database, args.report_businesses, args.postgres))
        with services.views.reading() as conn:
            if conn.execute(select(peer_figures.c.member_id).limit(1)).first() is not None:
                print(
                    f"Using the cached store of {args.report_businesses} businesses (built in {found['seconds']:.0f} s)"
                )
                return services, [UUID(m) for m in found["agreed"]], found
        services.close()
    services = open_services(url_of(database, args.report_businesses, args.postgres, fresh=True))
    started = time.perf_counter()
    agreed = build(services, args.report_businesses)
    found = dict(wanted, seconds=time.perf_counter() - started, agreed=[str(m) for m in agreed])
    found["events"] = services.trust.last_position()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sidecar.write_text(json.dumps(found))
    print(
        f"Built the store of {args.report_businesses} businesses in {found['seconds']:.0f} s, {found['events']} events"
    )
    return services, agreed, found


def raw_groups(services):  # type: ignore[no-untyped-def]
    """The raw query of the same rows: the member's row, then its three groups' sealed parts, nothing
    opened, checked or computed."""
    f, groups = peer_figures.c, peer_groups.c

    def read(member_id) -> int:  # type: ignore[no-untyped-def]
        with services.views.reading() as conn:
            row = conn.execute(select(peer_figures).where(f.member_id == member_id)).one()
            tags = [getattr(row, f"{group}_tag") for group, _title in GROUPS]
            return len(conn.execute(select(groups.figures).where(groups.tag.in_(tags))).all())

    return read


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    services, agreed, about = store(database, args)
    try:
        rng, raw = random.Random(5), raw_groups(services)
        now = datetime.now(UTC)
        chosen = [rng.choice(agreed) for _ in range(args.report_reads)]
        started = time.perf_counter()
        services.views.benchmark_report(agreed[0], now, services.trust.disclosure_rules())
        cold = time.perf_counter() - started  # nothing opened yet: every part of its three groups
        for member_id in agreed[:60]:  # a serving process's first reports open its groups' parts
            services.views.benchmark_report(member_id, now, services.trust.disclosure_rules())
        report_times, raw_times, peers, svg_times = [], [], [], []  # peers: how many each report compared
        changed = 0
        for n, member_id in enumerate(chosen):
            if n % 5 == 0:  # meanwhile businesses update their profiles: the parts they are in change
                mover = rng.choice(agreed)
                services.trust.share_data(mover, "organisation-profile", profile(rng, 50_000 + n), BUSINESS, "portal")
                changed += 1
            started = time.perf_counter()
            report = services.views.benchmark_report(member_id, now, services.trust.disclosure_rules())
            report_times.append(time.perf_counter() - started)
            peers.append(sum(group.peers for group in report.groups) if report else 0)
            started = time.perf_counter()
            raw(member_id)
            raw_times.append(time.perf_counter() - started)
            if n % 10 == 0 and report is not None and report.groups[0].comparisons:
                started = time.perf_counter()
                chart_svg(report, report.groups[0], "Same sector")
                svg_times.append(time.perf_counter() - started)
    finally:
        services.close()
    p = percentile
    note = (
        f"{len(report_times)} reports of random members who agreed, one at a time, after 60 to warm up, "
        f"with a business's profile changed before every fifth ({changed} changes), on a store of "
        f"{args.report_businesses:,} businesses ({about['events']:,} events, built in {about['seconds']:.0f} s); "
        f"peers per report (3 groups): median {p(peers, 50):,.0f}, most {max(peers):,}; "
        f"max {max(report_times) * MS:.0f} ms"
    )
    return [
        Result("benchmarked report p50", p(report_times, 50) * MS, p(raw_times, 50) * MS, "ms"),
        Result(
            "benchmarked report p99",
            p(report_times, 99) * MS,
            p(raw_times, 99) * MS,
            "ms",
            target="p99 < 200 ms",
            met=p(report_times, 99) < 0.2,
            note=note,
        ),
        Result("first report of a new process", cold * MS, p(raw_times, 50) * MS, "ms"),
        Result("its chart (SVG) p50", p(svg_times, 50) * MS, p(raw_times, 50) * MS, "ms"),
    ]


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--report-businesses", type=int, default=20_000, help="businesses in the reports' store")
    options.add_argument("--report-reads", type=int, default=500, help="reports to time")


def main() -> None:
    standalone(__doc__, add_options, run)


if __name__ == "__main__":
    main()
