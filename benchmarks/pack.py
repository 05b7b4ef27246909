"""(12) The application pack and the 360Giving import (issue 16).

Pack: `GET /api/v1/members/{id}/pack` through the real WSGI server (`datatrust serve`, as
web-api runs it) on a copy of the cached big store, to which organisation-members are added
first, each with an organisation profile, a funding history of 20 grants (imported from a
360Giving file through the portal) and a consent for funding-applications to funders. Each
request (one recorded access to every category, the member's personal data and their shared
data opened with their key) alternates with a raw indexed read of the same rows: the member's
row, their access grants, and their data aggregate's events.

Import: `trust.import_funding_history` of a funder's 10,000-row 360Giving CSV (1,000 rows for
the member, the most a funding history holds; the rest for other recipients) into the same
store, in file rows per second, against reading the same file with the csv module; and the
same 10,000 rows checked against the standard (threesixty.records_of, no store), rows/s.
"""

import csv
import io
import random
import shutil
import tempfile
import time
from pathlib import Path
from uuid import UUID

from sqlalchemy import Uuid, bindparam, select, text

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.common import MASTER_KEY, RESULTS, Result, percentile, standalone
from benchmarks.web import TRUSTEE, Browser, api_store, expect, server
from domain.data import threesixty
from domain.data.model import MemberData
from domain.kernel.actors import Actor
from domain.trust import Audience
from projections.consent.reach import CP, OP, reach
from projections.membership.tables import members

MS = 1000
HEADER = [
    "Identifier",
    "Title",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Planned Dates:Duration (months)",
]
FUNDER_ID = "GB-CHC-1099999"


def org_id(n: int) -> str:
    return f"GB-COH-{70_000_000 + n:08d}"


def grants_file(rows: int, recipients: list[int], seed: int = 3) -> bytes:
    """A funder's 360Giving CSV: ``rows`` grants, to the ``recipients`` in turn."""
    rng, out = random.Random(seed), io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in range(rows):
        recipient = recipients[row % len(recipients)]
        amount = f"{rng.randint(500, 250_000)}.{rng.randint(0, 99):02d}"
        day = f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        writer.writerow(
            [
                f"360G-bench-{row:06d}",
                f"Grant {row} towards the kitchen and a van",
                "GBP",
                amount,
                day,
                org_id(recipient),
                f"Social Business {recipient}",
                FUNDER_ID,
                "Benchmark Community Fund",
                rng.choice(["12", "24", "36", ""]),
            ]
        )
    return out.getvalue().encode()


def add_businesses(trust, count: int) -> list[UUID]:  # type: ignore[no-untyped-def]
    """Organisation-members who joined themselves on the web, shared their profile and funding
    history through the portal, and let funders read them for funding applications."""
    added = []
    for n in range(count):
        business = Actor("member", f"bench business {n}")
        member = trust.register_member(f"Social Business {n}", business, channel="web", kind="organisation-member")
        profile = {"org-id": org_id(n), "legal-form": "cic-guarantee", "sector": "I", "employees": 4 + n % 7}
        trust.share_data(member, "organisation-profile", profile, business, "portal")
        trust.import_funding_history(member, grants_file(20, [n], seed=n), "grants.csv", business, "portal")
        categories = ["contact", "organisation-profile", "funding-history"]
        trust.grant_consent(member, "funding-applications", categories, Audience(kind="funder"), business)
        added.append(member)
    return added


def raw_reader(services, organisation_id: UUID):  # type: ignore[no-untyped-def]
    """The same rows the pack reads, each by its index, in one connection: no checks, no opening."""
    table = services.trust.events_table
    events = text(f"SELECT state FROM {table} WHERE originator_id = :id").bindparams(bindparam("id", type_=Uuid))  # noqa: S608
    grants = reach("recorded").where(CP.member_id == bindparam("member_id"), OP.organisation_id == organisation_id)
    row = select(members).where(members.c.member_id == bindparam("member_id"))

    def read(member_id: UUID) -> None:
        data_id = MemberData.create_id(member_id)
        with services.views.reading() as conn:
            conn.execute(row, {"member_id": member_id}).all()
            conn.execute(grants, {"member_id": member_id}).all()
            conn.execute(events, {"id": data_id}).all()

    return read


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with api_store(database, args) as (url, about), tempfile.TemporaryDirectory(prefix="datatrust-bench-pack-") as tmp:
        folder = Path(tmp)
        # A keyring of this copy's own, which the server finds beside its master key (DATATRUST_VAR=folder):
        # rotating keys here must not touch the one every cached store needs.
        shutil.copyfile(RESULTS / "keyring", folder / "keyring")
        services = bootstrap(Settings(url, MASTER_KEY, folder / "master.key", None))
        try:
            trust = services.trust
            funder = trust.register_organisation("Benchmark Community Fund", "funder", TRUSTEE, org_id=FUNDER_ID)
            trust.approve_organisation(funder, "DSA-BENCH", services.clock().date(), TRUSTEE)
            _token_id, token = trust.issue_api_token(funder, "benchmark", TRUSTEE)
            started = time.perf_counter()
            businesses = add_businesses(trust, args.pack_members)
            added = time.perf_counter() - started
            file, recipient = importing(trust, args.import_rows)
            read_started = time.perf_counter()
            list(csv.reader(io.StringIO(file.decode())))
            csv_seconds = time.perf_counter() - read_started
            started = time.perf_counter()
            result = trust.import_funding_history(recipient, file, "funder.csv", TRUSTEE, "import")
            import_seconds = time.perf_counter() - started
            started = time.perf_counter()
            grants = threesixty.read_grants(file, "funder.csv")
            schema = services.catalogue.standard.schema("funding-history")
            threesixty.records_of(grants, schema, services.clock().date())
            check_seconds = time.perf_counter() - started
            upkeep(trust)
            raw = raw_reader(services, funder)
            with server(url, folder, args.web_workers) as (base, _link):
                client = Browser(base)
                client.headers["Authorization"] = f"Bearer {token}"

                def timed(reads: list[UUID], fmt: str) -> tuple[list[float], list[float]]:
                    web, base_times = [], []
                    for member_id in reads:
                        path = f"/api/v1/members/{member_id}/pack?purpose=funding-applications&format={fmt}"
                        web.append(expect(client.get(path), 200, "pack").seconds)
                        begun = time.perf_counter()
                        raw(member_id)
                        base_times.append(time.perf_counter() - begun)
                    return web, base_times

                rng = random.Random(5)
                timed(businesses[:30], "json")  # warm up
                reads = [rng.choice(businesses) for _ in range(args.pack_reads)]
                json_times, raw_times = timed(reads, "json")
                csv_times, raw_csv = timed(reads[: args.pack_reads // 4], "csv")
                client.close()
        finally:
            services.close()
    p = percentile
    store = f"copy of the store of {about['members']} members / {about['events']} events"
    note = (
        f"{len(json_times)} pack reads of {len(businesses)} organisation-members (added in {added:.0f} s; 20 grants "
        f"each), one at a time over one keep-alive connection, {store}; max {max(json_times) * MS:.0f} ms"
    )
    rows = args.import_rows
    import_note = (
        f"{rows:,}-row file, {len(result.added)} rows the member's (the rest left out); "
        f"{import_seconds:.2f} s in all; baseline: the csv module reading the file"
    )
    return [
        Result("pack read p50 (JSON)", p(json_times, 50) * MS, p(raw_times, 50) * MS, "ms"),
        Result("pack read p99 (JSON)", p(json_times, 99) * MS, p(raw_times, 99) * MS, "ms", note=note),
        Result("pack read p50 (CSV)", p(csv_times, 50) * MS, p(raw_csv, 50) * MS, "ms"),
        Result("360Giving import rows/s", rows / import_seconds, rows / csv_seconds, "/s", note=import_note),
        Result("360Giving rows checked/s", rows / check_seconds, rows / csv_seconds, "/s"),
    ]


def upkeep(trust) -> None:  # type: ignore[no-untyped-def]
    """The key rotation and purges the built store's erasures have made due, done before the server
    starts: otherwise its scheduler re-wraps every member's key while the reads are timed."""
    due = trust.key_upkeep()
    started = time.perf_counter()
    if due.rotation_due_at is not None and due.rotation_due_at <= trust.clock():
        trust.rotate_keys(TRUSTEE)
    trust.destroy_retired_keys()
    trust.finish_purges()
    print(f"  key upkeep done before serving in {time.perf_counter() - started:.0f} s")


def importing(trust, rows: int) -> tuple[bytes, UUID]:  # type: ignore[no-untyped-def]
    """A funder's file of ``rows`` grants, one row in ten for a new organisation-member (1,000 at 10,000)."""
    n = 999_999
    business = Actor("member", "bench importer")
    member = trust.register_member("Importing Business", business, channel="web", kind="organisation-member")
    trust.share_data(member, "organisation-profile", {"org-id": org_id(n)}, business, "portal")
    return grants_file(rows, [n, *range(1, 10)]), member


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--pack-members", type=int, default=300, help="organisation-members added for the pack")
    options.add_argument("--pack-reads", type=int, default=1000, help="pack reads to time")
    options.add_argument("--import-rows", type=int, default=10_000, help="rows in the 360Giving file imported")


def main() -> None:
    from benchmarks.web import add_options as web_options

    standalone(__doc__, lambda o: (web_options(o), add_options(o)), run)


if __name__ == "__main__":
    main()
