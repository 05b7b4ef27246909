"""What every benchmark shares: options, databases, the trust's services, the table."""

import argparse
import base64
import cProfile
import hashlib
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text

from adapters.bootstrap import Services, bootstrap
from adapters.settings import Settings
from domain.kernel.clock import Clock, system_clock

# git-ignored: cached stores live here
RESULTS = Path(os.environ.get("DATATRUST_BENCH_RESULTS") or Path(__file__).with_name("results"))
POSTGRES_SERVER = os.environ.get("DATATRUST_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
# A fixed master key, so a cached store's sealed data stays readable between runs. Not a secret.
MASTER_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"datatrust benchmarks, not a secret").digest()).decode()
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def parser(description: str) -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(description=description)
    options.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    options.add_argument("--members", type=int, default=100_000, help="members in the big store (about 10 events each)")
    options.add_argument("--batch", type=int, default=2000, help="members per transaction while building the store")
    options.add_argument("--postgres", default=POSTGRES_SERVER, help="PostgreSQL server URL, without a database name")
    options.add_argument("--fresh", action="store_true", help="build the big store again even if one is cached")
    options.add_argument("--profile", action="store_true", help="profile the grants and the rebuild with cProfile")
    return options


def standalone(description: str, add_options, run) -> None:  # type: ignore[no-untyped-def]
    """`python -m benchmarks.<name>`: one benchmark, its own options, a table per database."""
    options = parser(description.splitlines()[0])
    add_options(options)
    args = options.parse_args()
    for database in databases(args):
        print_table(database, run(database, args))


def databases(args: argparse.Namespace) -> list[str]:
    return ["sqlite", "postgres"] if args.db == "both" else [args.db]


def open_services(url: str, clock: Clock = system_clock) -> Services:
    """The trust exactly as the composition root wires it."""
    settings = Settings(url, MASTER_KEY, RESULTS / "unused.key", None)
    return bootstrap(settings, clock=clock)


def postgres_database(server: str, name: str, fresh: bool = False) -> str:
    """The URL of database ``name`` on ``server``, created if missing (or dropped first when fresh)."""
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return f"{server}/{name}"


@contextmanager
def scratch_database(database: str, args: argparse.Namespace) -> Iterator[str]:
    """An empty throwaway store: a temporary SQLite file, or a fresh PostgreSQL database."""
    if database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="datatrust-bench-") as folder:
            yield f"sqlite:///{folder}/scratch.sqlite3"
        return
    yield postgres_database(args.postgres, "datatrust_bench_scratch", fresh=True)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Result:
    measure: str
    value: float
    baseline: float
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")


def print_table(database: str, results: list[Result]) -> None:
    print(f"\n{NAMES[database]}")
    header = f"{'measure':<34}{'value':>16}{'baseline (raw)':>18}{'ratio':>9}  {'target':<16}{'met':<4}"
    print(header)
    print("-" * len(header))
    for r in results:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        print(
            f"{r.measure:<34}{r.value:>11.{digits(r.value)}f} {r.unit:<4}{r.baseline:>13.{digits(r.baseline)}f} "
            f"{r.unit:<4}{r.ratio:>9.2f}  {r.target:<16}{met:<4}"
        )
        if r.note:
            print(f"    {r.note}")


def digits(value: float) -> int:
    return 0 if value >= 100 else 2


class DriverTime:
    """Counts the SQL statements run on an engine and the time spent inside the
    database driver executing them (commits excluded): the rest is Python."""

    def __init__(self, engine: Engine):
        self.engine, self.statements, self.seconds, self._started = engine, 0, 0.0, 0.0

    def __enter__(self) -> "DriverTime":
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, *_args: object) -> None:
        self._started = time.perf_counter()

    def _after(self, *_args: object) -> None:
        self.statements += 1
        self.seconds += time.perf_counter() - self._started


def report(profile: cProfile.Profile, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.prof"
    profile.dump_stats(path)
    print(f"Profile saved to {path} (open with python -m pstats); where the time goes:")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"projections|domain|eventsourcing|sqlalchemy", 30)
