"""(1b) Consent grants from many clients at once, against raw single-row commits from as many.

The grants benchmark measures one client's commands one after another. A trust's chat and web
serve many members at once: gunicorn runs worker processes, each with threads, and every command
queues for the store's one writer lock. Here ``--client-processes`` processes (spawned, each with
the trust wired as the composition root wires it) run ``--client-threads`` threads each; every
thread gives ``--client-grants`` consents, each its own command, then as many raw commits (one row
in its own transaction, through the same engine). Throughput is counted from the moment every
client is ready to the moment the last one is done; each operation's latency includes its wait for
the writer lock. On SQLite the raw commits queue for the writer lock too (BEGIN IMMEDIATE); on
PostgreSQL only commands take it, so the raw commits run side by side, and the ratio shows what
commands' one-at-a-time order costs. This is the baseline that grouping concurrent commands into one
transaction (docs/scaling.md, "A command's cost") would have to beat.
"""

import multiprocessing
import threading
import time
from collections.abc import Callable

from benchmarks.common import Result, open_services, percentile, scratch_database, standalone
from benchmarks.grants import grant, raw_insert, setup


def _client(url: str, people: list, audiences: list, threads: int, each: int, ready, go, results) -> None:  # type: ignore[no-untyped-def]
    """One client process: ``threads`` threads, each giving ``each`` grants, then as many raw commits."""
    services = open_services(url)
    try:
        trust = services.trust
        for n in range(3):  # warm: connections open, statements prepared
            grant(trust, people[n], audiences[n % len(audiences)])
            raw_insert(trust, people[n])
        phases = {
            "app": lambda member, n: grant(trust, member, audiences[n % len(audiences)]),
            "raw": lambda member, _n: raw_insert(trust, member),
        }
        for phase, operation in phases.items():
            ready.put(phase)
            go[phase].wait()  # every client starts at once
            results.put((phase, *_threads_at_once(operation, people, threads, each)))
    finally:
        services.close()


def _threads_at_once(operation: Callable, people: list, threads: int, each: int) -> tuple[list[float], list[str]]:
    """``threads`` threads, each running ``operation`` ``each`` times: every latency, and every error's name."""
    latencies: list[float] = []
    errors: list[str] = []

    def work(offset: int) -> None:
        for n in range(each):
            started = time.perf_counter()
            try:
                operation(people[(offset + n * 7) % len(people)], n)
            except Exception as error:  # counted and reported, never hidden
                errors.append(type(error).__name__)
                continue
            latencies.append(time.perf_counter() - started)

    workers = [threading.Thread(target=work, args=(index * 31,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, errors


def measure(url: str, people: list, audiences: list, processes: int, threads: int, each: int) -> dict:
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    go = {"app": context.Event(), "raw": context.Event()}
    clients = [
        context.Process(target=_client, args=(url, people, audiences, threads, each, ready, go, results))
        for _ in range(processes)
    ]
    for client in clients:
        client.start()
    found: dict = {}
    for phase in ("app", "raw"):
        for _ in clients:
            ready.get(timeout=600)  # every client waits at the line
        started = time.perf_counter()
        go[phase].set()
        latencies, errors = [], []
        for _ in clients:
            _phase, done, failed = results.get(timeout=1800)
            latencies += done
            errors += failed
        elapsed = time.perf_counter() - started
        found[phase] = {"rate": len(latencies) / elapsed, "latencies": latencies, "errors": errors}
    for client in clients:
        client.join(timeout=60)
    return found


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with scratch_database(database, args) as url:
        services = open_services(url)
        try:
            people, audiences = setup(services.trust, members=200)
        finally:
            services.close()
        found = measure(url, people, audiences, args.client_processes, args.client_threads, args.client_grants)
    app, raw = found["app"], found["raw"]
    clients = args.client_processes * args.client_threads
    ms = [1000 * percentile(app["latencies"], p) for p in (50, 99)]
    raw_ms = [1000 * percentile(raw["latencies"], p) for p in (50, 99)]
    refused = ""
    if app["errors"] or raw["errors"]:
        refused = f"; refused: {len(app['errors'])} grants, {len(raw['errors'])} raw"
    return [
        Result(
            f"grants / s, {clients} clients at once",
            app["rate"],
            raw["rate"],
            "/s",
            target="ratio >= 0.25",
            met=app["rate"] / raw["rate"] >= 0.25,
            note=f"{args.client_processes} processes x {args.client_threads} threads, {args.client_grants} each; "
            f"latency with the wait for the writer lock: grant p50 {ms[0]:.1f} ms, p99 {ms[1]:.1f} ms; "
            f"raw commit p50 {raw_ms[0]:.1f} ms, p99 {raw_ms[1]:.1f} ms{refused}",
        )
    ]


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--client-processes", type=int, default=2, help="client processes (gunicorn's workers)")
    options.add_argument("--client-threads", type=int, default=4, help="threads in each client process")
    options.add_argument("--client-grants", type=int, default=150, help="grants (and raw commits) per thread")


def main() -> None:
    standalone(__doc__, add_options, run)


if __name__ == "__main__":
    main()
