"""(4) Caseworker registrations per second through the real WSGI server
(`datatrust serve`, gunicorn, 2 workers) driven over HTTP by several signed-in
caseworkers at once, against the core's own command rate (the same commands
called in-process on a fresh store of the same kind) measured in interleaved
rounds of the same run.

(5) Organisation API latency on the big store (100,000 members): reads of one
member's data (allowed, 200), refused reads (403) and the first page of the
member list, against the same work done in-process by the core in the same run
(alternating, one pair per request), with a loopback round trip to the public
/api/v1/openapi.json as the floor of the HTTP stack. The API runs on a copy of
the cached store, so reads (each one records an access attempt) never change it.

The load comes from this process: stdlib http.client, one keep-alive connection
and one session cookie per simulated browser, one thread each. It shares the
machine's cores with the server; its own CPU time is reported.
"""

import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from sqlalchemy import create_engine, distinct, func, select, text

from adapters.bootstrap import Services
from adapters.web.timefields import start_of
from benchmarks.common import (
    MASTER_KEY,
    RESULTS,
    Result,
    databases,
    median,
    open_services,
    parser,
    percentile,
    postgres_database,
    print_table,
    scratch_database,
)
from benchmarks.store import open_population
from domain.kernel.actors import Actor
from domain.trust import Audience, Trust
from projections.consent.reach import CP, OP, covering, reach
from projections.consent.tables import consents
from projections.membership.tables import members
from projections.organisations.tables import organisations

ROOT = Path(__file__).resolve().parent.parent
DATATRUST = Path(sys.executable).with_name("datatrust")
COOKIE = "datatrust_session"
PASSWORD = "benchmark password, not a secret"  # noqa: S105 - throwaway accounts
TRUSTEE = Actor("trustee", "bench")
MS = 1000
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
_SECRET = re.compile(r'<p class="secret">\s*(\S+?)\s*</p>')
_WELCOME = re.compile(r"(/welcome/[A-Za-z0-9_\-]+)")
LENDERS = [("Eden Valley Credit Union", "social-lender"), ("Solway Credit Union", "social-lender")]
COUNCIL = ("Cumbria County Council", "council")


# A browser: one keep-alive connection, the session cookie, the last page's CSRF token.


@dataclass
class Response:
    status: int
    location: str | None
    body: str
    seconds: float


class Browser:
    def __init__(self, base: str):
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.cookie: str | None = None
        self.csrf: str | None = None
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> Response:
        headers = dict(self.headers)
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body, headers)
                reply = self.connection.getresponse()
                data = reply.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # an idle keep-alive connection the server closed: reconnect once
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            break
        for cookie in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            if name.strip() == COOKIE:
                value = rest.split(";", 1)[0]
                self.cookie = f"{COOKIE}={value}" if value else None
        page = data.decode()
        if "text/html" in (reply.headers.get("Content-Type") or ""):
            token = _CSRF.search(page)
            self.csrf = token.group(1) if token else self.csrf
        return Response(reply.status, reply.headers.get("Location"), page, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Response:
        assert self.csrf, "open the page with the form first"
        return self.request("POST", path, [("csrf_token", self.csrf), *fields])

    def welcome(self, link: str) -> None:
        """Follow a one-time link: choose the password, and be signed in."""
        path = urlsplit(link).path
        expect(self.get(path), 200, path)
        expect(self.post(path, [("password", PASSWORD), ("confirm", PASSWORD)]), 302, path)

    def close(self) -> None:
        self.connection.close()


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise RuntimeError(f"{what}: HTTP {response.status}, expected {status}: {response.body[:500]}")
    return response


# The real server, as a subprocess.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(database_url: str, folder: Path, workers: int = 2) -> Iterator[tuple[str, str | None]]:
    """`datatrust serve` on a free port: (base URL, the first trustee's one-time link or None). The server
    finds its keyring beside its master key, in ``folder``: the benchmarks' own (every store they build
    uses it), unless the folder holds one already (a benchmark that rotates keys keeps a copy of its own)."""
    if not (folder / "keyring").exists() and (RESULTS / "keyring").exists():
        shutil.copyfile(RESULTS / "keyring", folder / "keyring")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATATRUST_")}
    env.update(DATATRUST_VAR=str(folder), DATATRUST_DATABASE_URL=database_url, DATATRUST_MASTER_KEY=MASTER_KEY)
    log = folder / "server.log"
    command = [str(DATATRUST), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_serving(process, base, log)
        found = _WELCOME.search(log.read_text())
        yield base, base + found.group(1) if found else None
    finally:
        process.terminate()  # gunicorn's master: a graceful stop of its workers
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the master and its workers only
            process.wait()
        errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "[ERROR]" in line]
        if errors:
            print(f"  the server logged {len(errors)} errors; see {log}")


def wait_until_serving(process: subprocess.Popen, base: str, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"datatrust serve stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            browser = Browser(base)
            if browser.get("/api/v1/openapi.json").status == 200:
                browser.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"datatrust serve did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def approved_organisations(trust: Trust) -> None:
    """Two social lenders and a council, approved: the audience the paper form names is a kind."""
    day = (trust.clock() - timedelta(days=30)).date()
    for name, kind in [*LENDERS, COUNCIL]:
        organisation = trust.register_organisation(name, kind, TRUSTEE)
        trust.approve_organisation(organisation, "DSA-BENCH", day, TRUSTEE)


# (4) Registrations.


def signed_on() -> date:
    return date.today() - timedelta(days=2)  # a past date in UK time whatever the machine's zone


PROFILE = {"area": "CA11", "age-band": "65-74", "gender": "woman"}
CATEGORIES = ["contact", "household-finances"]


def paper_form(n: int, day: date) -> list[tuple[str, str]]:
    """What a caseworker types from a paper form: a member, a profile and one consent."""
    return [
        ("name", f"Member {n}"),
        ("contact", f"07700 {n:06}"),
        ("signed_on", day.isoformat()),
        ("form_ref", f"PF-{n}"),
        *[(f"profile_{code}", answer) for code, answer in PROFILE.items()],
        ("profile_household", ""),
        ("consent_affordable-credit", "y"),
        ("audience_affordable-credit", "kind:social-lender"),
        *[("categories_affordable-credit", category) for category in CATEGORIES],
    ]


def core_registration(trust: Trust, n: int, day: date) -> None:
    """The same paper form through the core: register_member, then grant_consent (as the page does)."""
    actor, signed, evidence = Actor("caseworker", "core"), start_of(day), f"PF-{n}"
    member_id = trust.register_member(
        f"Member {n}",
        actor,
        channel="paper",
        profile=dict(PROFILE),
        contact=f"07700 {n:06}",
        effective_at=signed,
        evidence_ref=evidence,
    )
    trust.grant_consent(
        member_id,
        "affordable-credit",
        CATEGORIES,
        Audience(kind="social-lender"),
        actor,
        collected_via="paper",
        evidence_ref=evidence,
        effective_at=signed,
    )


@dataclass
class Round:
    registrations: int
    seconds: float
    cpu: float = 0.0  # this process's CPU time (the load generator)
    latencies: dict[str, list[float]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.registrations / self.seconds


def caseworkers(base: str, trustee_link: str, count: int) -> list[Browser]:
    """The first trustee chooses a password, opens `count` caseworker accounts; each caseworker
    follows their link (and so is signed in). Argon2 runs once per person: none of it is timed."""
    trustee = Browser(base)
    trustee.welcome(trustee_link)
    people = []
    for n in range(count):
        expect(trustee.get("/trustee/staff"), 200, "staff page")
        opened = expect(trustee.post("/trustee/staff", [("username", f"cw{n}"), ("roles", "caseworker")]), 200, "open")
        link = _SECRET.search(opened.body)
        assert link, "the staff page shows the new one-time link"
        person = Browser(base)
        person.welcome(link.group(1))
        people.append(person)
    trustee.close()
    return people


def together(start: threading.Barrier, jobs: list[tuple[Callable, tuple]]) -> tuple[float, float]:
    """Run each job in its own thread, all released at once by ``start`` (which this thread
    also waits on): the wall-clock seconds and this process's CPU seconds until all are done."""
    threads = [threading.Thread(target=job, args=args) for job, args in jobs]
    for thread in threads:
        thread.start()
    start.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, time.process_time() - cpu


def web_round(people: list[Browser], first: int, each: int, day: date) -> Round:
    """Every caseworker at once, `each` forms in a row: open the blank form, send it (302),
    and follow the redirect to the new member's page, as a browser does."""
    latencies: dict[str, list[float]] = {"form": [], "post": [], "member": []}
    failures: list[str] = []
    lock, start = threading.Lock(), threading.Barrier(len(people) + 1)

    def work(number: int, person: Browser) -> None:
        start.wait()
        mine: dict[str, list[float]] = {"form": [], "post": [], "member": []}
        try:
            for k in range(each):
                n = first + number * each + k
                mine["form"].append(expect(person.get("/members/new"), 200, "blank form").seconds)
                sent = expect(person.post("/members/new", paper_form(n, day)), 302, "registration")
                mine["post"].append(sent.seconds)
                assert sent.location and "/members/" in sent.location, sent.location
                page = expect(person.get(urlsplit(sent.location).path), 200, "member page")
                if "This consent was not recorded" in page.body:
                    raise RuntimeError("the consent on the form was refused")
                mine["member"].append(page.seconds)
        except Exception as error:  # noqa: BLE001 - reported after the round
            failures.append(f"{type(error).__name__}: {error}")
        with lock:
            for kind, values in mine.items():
                latencies[kind] += values

    seconds, cpu = together(start, [(work, (n, p)) for n, p in enumerate(people)])
    if failures:
        raise RuntimeError(f"{len(failures)} caseworkers failed; first: {failures[0]}")
    return Round(len(people) * each, seconds, cpu, latencies)


def core_round(trust: Trust, first: int, count: int, day: date) -> Round:
    started = time.perf_counter()
    for n in range(first, first + count):
        core_registration(trust, n, day)
    return Round(count, time.perf_counter() - started)


def count_registered(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(select(func.count()).select_from(members)).scalar_one(),
                conn.execute(select(func.count()).select_from(consents)).scalar_one(),
            )
    finally:
        engine.dispose()


@contextmanager
def web_store(database: str, args, folder: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh store for the server, with the same organisations as the core's."""
    if database == "sqlite":
        url = f"sqlite:///{folder / 'datatrust.sqlite3'}"
    else:
        url = postgres_database(args.postgres, "datatrust_bench_web", fresh=True)
    services = open_services(url)
    try:
        approved_organisations(services.trust)
    finally:
        services.close()
    yield url


def registrations(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    counts, rounds = sorted(set(args.web_clients)), args.web_rounds
    per_round = max(max(counts), args.web_registrations // rounds)
    day = signed_on()
    web_rounds: dict[int, list[Round]] = {c: [] for c in counts}
    core_rounds: list[Round] = []
    with (
        tempfile.TemporaryDirectory(prefix="datatrust-bench-web-") as temporary,
        scratch_database(database, args) as core_url,
    ):
        folder = Path(temporary)
        core = open_services(core_url)
        try:
            approved_organisations(core.trust)
            with (
                web_store(database, args, folder) as web_url,
                server(web_url, folder, args.web_workers) as (base, link),
            ):
                assert link, "a new store gets a first trustee and prints its link"
                people = caseworkers(base, link, max(counts))
                web_round(people, 0, 3, day)  # warm up: every worker's connections, templates, caches
                sent = 3 * len(people)
                done = core_round(core.trust, 0, sent, day).registrations
                for _ in range(rounds):
                    for clients in counts:
                        web_rounds[clients].append(web_round(people[:clients], sent, per_round // clients, day))
                        sent += web_rounds[clients][-1].registrations
                    core_rounds.append(core_round(core.trust, done, per_round, day))
                    done += per_round
                for person in people:
                    person.close()
            stored = {"web": count_registered(web_url), "core": count_registered(core_url)}
        finally:
            core.close()
    if stored != {"web": (sent, sent), "core": (done, done)}:
        raise RuntimeError(f"members and consents stored {stored}; sent: web {sent}, core {done}")
    baseline = median([r.rate for r in core_rounds])
    core_range = f"{min(r.rate for r in core_rounds):.1f}-{max(r.rate for r in core_rounds):.1f}/s"
    results = []
    for clients, timed in web_rounds.items():
        p = {kind: [s for r in timed for s in r.latencies[kind]] for kind in ("form", "post", "member")}
        cpu = sum(r.cpu for r in timed) / sum(r.seconds for r in timed)
        note = (
            f"{clients} caseworker(s) at once on {args.web_workers} workers, {rounds} rounds of "
            f"{timed[0].registrations} forms; rounds {min(r.rate for r in timed):.1f}-{max(r.rate for r in timed):.1f}"
            f"/s (core {core_range}). Per form: blank form p50 {percentile(p['form'], 50) * MS:.0f} ms, POST p50 "
            f"{percentile(p['post'], 50) * MS:.0f} / p99 {percentile(p['post'], 99) * MS:.0f} ms, member page p50 "
            f"{percentile(p['member'], 50) * MS:.0f} ms. Load generator: {cpu:.0%} of one core"
        )
        measure = f"web registrations / s ({clients} client{'s' * (clients > 1)})"
        results.append(Result(measure, median([r.rate for r in timed]), baseline, "/s", note=note))
    results[-1].note += (
        f". Baseline: register_member + grant_consent in-process, one at a time, {per_round} per round interleaved "
        f"with the web rounds, on a fresh store of the same kind ({1 / baseline * MS:.0f} ms each on average). "
        f"Stores checked: web {sent} members / {sent} consents, core {done} / {done}"
    )
    return results


# (5) The organisation API on the big store.


@contextmanager
def api_store(database: str, args) -> Iterator[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    """A throwaway copy of the cached big store of --members members (built first if missing)."""
    services, url, about = open_population(database, args)
    services.close()
    started = time.perf_counter()
    if database == "sqlite":
        source = Path(url.removeprefix("sqlite:///"))
        copy = RESULTS / f"web-api-copy-{args.members}.sqlite3"
        try:
            shutil.copyfile(source, copy)
            print(f"  copied the store in {time.perf_counter() - started:.0f} s")
            yield f"sqlite:///{copy}", about
        finally:
            for suffix in ("", "-wal", "-shm"):
                copy.with_name(copy.name + suffix).unlink(missing_ok=True)
        return
    name = f"datatrust_bench_{args.members}_web_copy"
    admin = create_engine(f"{args.postgres}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}" STRATEGY FILE_COPY'))
        print(f"  copied the store in {time.perf_counter() - started:.0f} s")
        yield f"{args.postgres}/{name}", about
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def busiest_reader(services: Services) -> tuple[UUID, str, str, int]:
    """The approved organisation and purpose with the most members visible now: (id, name, purpose, members)."""
    visible = func.count(distinct(CP.member_id))
    query = (
        reach("recorded")
        .with_only_columns(OP.organisation_id, organisations.c.name, CP.purpose, visible)
        .join(organisations, organisations.c.organisation_id == OP.organisation_id)
        .where(organisations.c.status == "approved", covering(services.clock()))
        .group_by(OP.organisation_id, organisations.c.name, CP.purpose)
        .order_by(visible.desc())
        .limit(1)
    )
    with services.views.reading() as conn:
        return tuple(conn.execute(query).one())  # type: ignore[return-value]


def sample_members(services: Services, organisation_id: UUID, purpose: str, count: int) -> tuple[list, list]:
    """Members the organisation may see now for the purpose, and members it may not."""
    rng = random.Random(13)
    with services.views.reading() as conn:
        seen = set(
            conn.scalars(
                reach("recorded")
                .with_only_columns(distinct(CP.member_id))
                .where(
                    OP.organisation_id == organisation_id,
                    CP.purpose == purpose,
                    CP.valid_to.is_(None),
                    OP.valid_to.is_(None),
                    covering(services.clock()),
                )
            )
        )
        everyone = list(conn.scalars(select(members.c.member_id)))
    unseen = [m for m in everyone if m not in seen]
    return rng.sample(sorted(seen), min(count, len(seen))), rng.sample(unseen, min(count, len(unseen)))


def paired(asked: list, over_http: Callable, in_process: Callable) -> tuple[list[float], list[float]]:
    """Seconds per request and per in-process call, alternating, one pair per item."""
    web, core = [], []
    for item in asked:
        web.append(over_http(item))
        started = time.perf_counter()
        in_process(item)
        core.append(time.perf_counter() - started)
    return web, core


def api(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    reads = args.api_reads
    with api_store(database, args) as (url, about), tempfile.TemporaryDirectory(prefix="datatrust-bench-api-") as tmp:
        services = open_services(url)
        try:
            trust = services.trust
            organisation, name, purpose, visible = busiest_reader(services)
            _token_id, token = trust.issue_api_token(organisation, "benchmark", TRUSTEE)
            allowed, refused = sample_members(services, organisation, purpose, reads + 100)
            categories = list(services.catalogue.categories)
            reader = Actor("organisation", "benchmark in-process")

            def core_read(member_id: UUID) -> None:  # what the API's read does, minus HTTP, Flask and JSON
                outcome = trust.record_access(organisation, member_id, purpose, categories, reader)
                if outcome.granted:
                    trust.member_personal_data(member_id)

            def core_list(_: object) -> None:
                services.views.visible_members(organisation, purpose, services.clock())

            with server(url, Path(tmp), args.web_workers) as (base, _link):
                client = Browser(base)
                client.headers["Authorization"] = f"Bearer {token}"
                statuses: dict[int, int] = {}

                def http_read(member_id: UUID) -> float:
                    response = client.get(f"/api/v1/members/{member_id}?purpose={purpose}")
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    return response.seconds

                def http_list(_: object) -> float:
                    response = expect(client.get(f"/api/v1/members?purpose={purpose}"), 200, "member list")
                    statuses[-response.status] = statuses.get(-response.status, 0) + 1
                    return response.seconds

                def floor(_: object) -> float:
                    return expect(client.get("/api/v1/openapi.json"), 200, "openapi").seconds

                paired(allowed[:100] + refused[:20], http_read, core_read)  # warm up (this connection's worker, caches)
                paired(range(20), floor, lambda _: None)
                statuses.clear()
                read, core = paired(allowed[100:], http_read, core_read)
                refusal, core_refusal = paired(refused[100 : 100 + reads // 4], http_read, core_read)
                listing, core_listing = paired(range(args.api_lists), http_list, core_list)
                floors, _ = paired(range(reads // 4), floor, lambda _: None)
                client.close()
                under_load = load(base, token, purpose, allowed, max(args.web_clients), reads // 2)
        finally:
            services.close()
    if statuses != {200: len(read), 403: len(refusal), -200: len(listing)}:
        raise RuntimeError(f"unexpected answers: {statuses}")
    p = percentile
    store = f"copy of the store of {about['members']} members / {about['events']} events"
    read_note = (
        f"{len(read)} reads of members {name} may see for {purpose} ({visible} of them), one at a time over one "
        f"keep-alive connection, {store}; each alternates with the core's record_access + member_personal_data "
        f"in-process; HTTP floor (GET /api/v1/openapi.json) p50 {p(floors, 50) * MS:.2f} / p99 "
        f"{p(floors, 99) * MS:.2f} ms; max {max(read) * MS:.0f} ms"
    )
    refused_note = f"{len(refusal)} refused reads (403, recorded); the core baseline is record_access alone"
    list_note = f"{len(listing)} first pages (500 members); the core baseline is views.visible_members in-process"
    load_note = (
        f"{under_load['clients']} clients reading at once: {under_load['rate']:.0f} reads/s, p50 "
        f"{under_load['p50'] * MS:.1f} / p99 {under_load['p99'] * MS:.1f} ms "
        f"(load generator {under_load['cpu']:.0%} of one core)"
    )
    return [
        Result("API read p50 (200)", p(read, 50) * MS, p(core, 50) * MS, "ms"),
        Result("API read p99 (200)", p(read, 99) * MS, p(core, 99) * MS, "ms", note=read_note),
        Result("API refused read p50 (403)", p(refusal, 50) * MS, p(core_refusal, 50) * MS, "ms"),
        Result("API refused read p99 (403)", p(refusal, 99) * MS, p(core_refusal, 99) * MS, "ms", note=refused_note),
        Result("API member list p50 (1 page)", p(listing, 50) * MS, p(core_listing, 50) * MS, "ms"),
        Result("API member list p99 (1 page)", p(listing, 99) * MS, p(core_listing, 99) * MS, "ms", note=list_note),
        Result("API read p50 vs HTTP floor", p(read, 50) * MS, p(floors, 50) * MS, "ms", note=load_note),
    ]


def load(base: str, token: str, purpose: str, allowed: list, clients: int, count: int) -> dict:
    """Allowed reads from several clients at once: throughput and latency under load."""
    per_client = max(1, count // clients)
    times: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(clients + 1)

    def work(number: int) -> None:
        browser = Browser(base)
        browser.headers["Authorization"] = f"Bearer {token}"
        mine = []
        start.wait()
        for member_id in allowed[number * per_client : (number + 1) * per_client]:
            mine.append(expect(browser.get(f"/api/v1/members/{member_id}?purpose={purpose}"), 200, "read").seconds)
        browser.close()
        with lock:
            times.extend(mine)

    seconds, cpu = together(start, [(work, (n,)) for n in range(clients)])
    return {
        "clients": clients,
        "rate": len(times) / seconds,
        "p50": percentile(times, 50),
        "p99": percentile(times, 99),
        "cpu": cpu / seconds,
    }


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    options.add_argument(
        "--web-clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 4],
        help="simulated browsers sending at once: comma-separated counts, each timed (default 1,4)",
    )
    options.add_argument("--web-registrations", type=int, default=1000, help="paper forms sent over HTTP (all rounds)")
    options.add_argument("--web-rounds", type=int, default=5, help="web and core rounds, interleaved")
    options.add_argument("--api-reads", type=int, default=1000, help="allowed API reads timed (refused: a quarter)")
    options.add_argument("--api-lists", type=int, default=100, help="first pages of the member list timed")


class Registrations:
    run = staticmethod(registrations)
    add_options = staticmethod(add_options)


class Api:
    run = staticmethod(api)

    @staticmethod
    def add_options(_options) -> None:  # type: ignore[no-untyped-def]
        pass  # shared with Registrations


def main() -> None:
    options = parser(__doc__.splitlines()[0])
    add_options(options)
    options.add_argument("--only", choices=["web-registrations", "web-api"], action="append")
    args = options.parse_args()
    chosen = args.only or ["web-registrations", "web-api"]
    for database in databases(args):
        results = []
        if "web-registrations" in chosen:
            results += registrations(database, args)
        if "web-api" in chosen:
            results += api(database, args)
        print_table(database, results)


if __name__ == "__main__":
    main()
