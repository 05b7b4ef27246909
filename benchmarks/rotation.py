"""(Issue 19) A key rotation, in steps, while members keep withdrawing and giving consent: how long each
of its commands holds the store's one writer lock, and how long the members' own commands take meanwhile.

A scratch store per size (--rotation-members, repeatable; default 2,000 and 20,000), built as
suspension.py builds it (each member named, with a kind-wide consent), with a keyring of its own in a
temporary folder: a rotation destroys the version it leaves, and the keyring the kept stores need is
never touched. Then ``rotate_keys`` runs to its end (with --rotation-budget S, in runs of S seconds, each
going on where the last stopped, as the scheduler runs it) while a load thread sends --rotation-rate (20, the
issue's figure) withdrawals and new consents a second through the real commands. Before it, the heap is
settled as the scheduler settles it at start (``settle_heap``). It reports:

- each of the rotation's commands (making the version, then each step), from when it holds the writer
  lock to its commit: p50, p99 and max, against one raw single-row committed insert in the same store;
- the rotation's whole time, and member keys re-wrapped a second;
- the members' commands while it ran, p50 and p99 (each from when it was due) and how many were refused,
  against the same load on the idle trust.

Target (issue 19): every command's writer-lock hold p99 under 50 ms."""

import argparse
import gc
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from adapters.bootstrap import bootstrap, settle_heap
from adapters.settings import Settings
from benchmarks.common import MASTER_KEY, Result, percentile, scratch_database
from benchmarks.suspension import TRUSTEE, KindWide, loaded
from domain.keys import commands as key_commands


def add_options(options: argparse.ArgumentParser) -> None:
    options.add_argument("--rotation-members", type=int, action="append", help="members in the store (repeatable)")
    options.add_argument("--rotation-rate", type=float, default=20.0, help="members' commands a second meanwhile")
    options.add_argument("--rotation-step", type=int, help=f"member keys a step (default {key_commands.ROTATION_STEP})")
    options.add_argument(
        "--rotation-budget",
        type=float,
        help="seconds a run, as the scheduler gives it (20): the rotation goes on in runs, each from where the "
        "last stopped (default: one run to its end)",
    )


def run(database: str, args: argparse.Namespace) -> list[Result]:
    if args.rotation_step:
        key_commands.ROTATION_STEP = args.rotation_step
    results = []
    for members in args.rotation_members or [2_000, 20_000]:
        with scratch_database(database, args) as url, tempfile.TemporaryDirectory(prefix="datatrust-bench-") as tmp:
            services = bootstrap(Settings(url, MASTER_KEY, Path(tmp) / "master.key", None))  # its own keyring
            try:
                started = time.perf_counter()
                KindWide(services).build_kind_wide(members)
                print(f"{members:,} named members: built in {time.perf_counter() - started:.0f} s")
                settle_heap()  # as the scheduler does once it is wired: the build's garbage goes, the rest is kept
                results += measure(services, members, args.rotation_rate, args.rotation_budget)
            finally:
                services.close()
    return results


def measure(services, members: int, rate: float, budget: float | None = None) -> list[Result]:  # type: ignore[no-untyped-def]
    trust = services.trust
    _council, load, idle, raw = loaded(services, rate)
    outcome = {}
    with holds_of(trust) as holds, full_collections() as collections:

        def rotate() -> None:
            began, runs = time.perf_counter(), 1
            rotation = trust.rotate_keys(TRUSTEE, budget=budget)
            rewrapped = rotation.rewrapped
            while not rotation.finished:  # the scheduler's next run, planned at once, in the same process
                rotation, runs = trust.continue_rotation(TRUSTEE, budget=budget), runs + 1
                rewrapped += rotation.rewrapped
            outcome["rotation"], outcome["runs"] = replace(rotation, rewrapped=rewrapped), runs
            outcome["seconds"] = time.perf_counter() - began

        failed_before = load.failed
        meanwhile = load.during(rotate)
    refused = load.failed - failed_before
    rotation, seconds = outcome["rotation"], outcome["seconds"]
    p50, p99 = percentile(holds, 50), percentile(holds, 99)
    slowest = holds.index(max(holds)) + 1
    slowest_at = datetime.fromtimestamp(holds.began[slowest - 1], UTC).strftime("%H:%M:%S.%f")[:-3]
    label, step = f"key rotation, {members:,} members", key_commands.ROTATION_STEP
    if budget is not None:
        label += f", runs of {budget:g} s ({outcome['runs']})"
    print(
        f"{label}: {len(holds)} commands of {step} keys, lock held p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(holds):.1f} ms, command {slowest:,} of {len(holds):,} at {slowest_at} UTC, "
        f"the last (from the start) {holds[-1]:.1f} ms "
        f"(raw commit {raw:.1f} ms); "
        f"{rotation.rewrapped:,} keys in {seconds:.1f} s; "
        f"members' commands meanwhile p50 {percentile(meanwhile, 50):.0f} ms, p99 {percentile(meanwhile, 99):.0f} ms "
        f"({len(meanwhile)} commands, {refused} refused); idle p50 {percentile(idle, 50):.0f}, "
        f"p99 {percentile(idle, 99):.0f} ms; full garbage collections in the process meanwhile "
        f"{len(collections)}, the longest {max(collections, default=0):.0f} ms"
    )
    return [
        Result(
            f"{label}: lock held p99 a command",
            p99,
            raw,
            "ms",
            "< 50 ms",
            p99 < 50,
            note=f"{len(holds)} commands (the new version, then steps of {step} keys), p50 {p50:.1f} ms, "
            f"max {max(holds):.1f} ms (command {slowest:,}), the last {holds[-1]:.1f} ms; "
            f"{rotation.rewrapped:,} keys re-wrapped in {seconds:.1f} s "
            f"({rotation.rewrapped / seconds:,.0f} a second), version(s) {rotation.destroyed} destroyed",
        ),
        Result(
            f"{label}: members' p99 meanwhile",
            percentile(meanwhile, 99),
            percentile(idle, 99),
            "ms",
            "< 50 ms",
            percentile(meanwhile, 99) < 50,
            note=f"p50 {percentile(meanwhile, 50):.0f} ms over {len(meanwhile)} withdrawals and consents "
            f"({refused} refused); baseline: the same load on the idle trust",
        ),
    ]


@contextmanager
def full_collections() -> Iterator[list[float]]:
    """How long (ms) each full garbage collection in this process took: it stops every thread, the one
    holding the writer lock too."""
    took, began = [], {}

    def timed(phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                began["at"] = time.perf_counter()
            else:
                took.append((time.perf_counter() - began.pop("at")) * 1000)

    gc.callbacks.append(timed)
    try:
        yield took
    finally:
        gc.callbacks.remove(timed)


class Holds(list):
    """Writer-lock holds (ms), and when each began (the wall clock, to set beside PostgreSQL's own logs)."""

    def __init__(self) -> None:
        super().__init__()
        self.began: list[float] = []


@contextmanager
def holds_of(trust) -> Iterator[Holds]:  # type: ignore[no-untyped-def]
    """The writer-lock holds (ms) of the key commands run by this thread: from when the command holds the
    lock (``command()`` yields only then) to its commit. The members' commands, on other threads, are not."""
    app, rotating, holds = trust.keys.app, threading.get_ident(), Holds()
    real = app.command

    @contextmanager
    def command():  # type: ignore[no-untyped-def]
        with real() as (session, now):
            taken, began = time.perf_counter(), time.time()
            yield session, now
        if threading.get_ident() == rotating:
            holds.append((time.perf_counter() - taken) * 1000)
            holds.began.append(began)

    app.command = command
    try:
        yield holds
    finally:
        del app.command
