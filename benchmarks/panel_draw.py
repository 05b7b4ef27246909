"""Community-panel draw: leximin (domain.insight.sortition) against the greedy stratified draw, on census-like pools.

Pure domain work, no database: it runs once whatever --db says. For each pool (2,000 and 20,000 members,
four attributes: area over 8 districts of skewed sizes, age band 7, gender 4, household 5; the pool
over-represents older members, as volunteer pools do; quotas on the first three) and panel size, it
measures the time of one leximin draw (the lottery computed and sampled) against one greedy draw, and
the lowest selection probability: leximin's exact figure against the greedy's estimated over many seeded
runs (per type, since members of a type are interchangeable; the lowest of many estimates leans low).

Then (issue 20) the same for every instance in ``../shared/sortition`` (next to the repository's folder;
skipped, saying so, where it does not exist), with the paper's published LEXIMIN time (Flanigan et al.,
Nature 2021, Gurobi) from ``reference/<name>_statistics.txt``, and for a 5,000-member Cumbria-shaped pool
with every attribute quoted (30 areas x 7 age bands x 4 genders x 5 household sizes). Each leximin draw
is stopped after ``--panel-limit`` seconds and reported as not finished; ``--panel-skip NAME`` leaves an
instance out.
"""

import argparse
import csv
import random
import re
import time
from collections import Counter
from pathlib import Path

from benchmarks.common import Result, databases, standalone
from domain.insight.sortition import DrawTooSlow, GreedyStratified, Lottery, Quota, QuotasCannotBeMet, time_limit
from domain.insight.sortition.feasibility import feasible
from domain.insight.sortition.quotas import group

CENSUS = {  # value: share of the population, in percent
    "area": {"CA1": 30, "CA2": 18, "CA3": 14, "CA11": 12, "LA9": 10, "LA12": 8, "CA28": 6, "CA17": 2},
    "age-band": {"16-24": 10, "25-34": 14, "35-44": 15, "45-54": 17, "55-64": 18, "65-74": 16, "75+": 10},
    "gender": {"woman": 50, "man": 47, "non-binary": 2, "prefer-not-to-say": 1},
    "household": {"single": 30, "couple": 28, "family": 25, "shared": 10, "other": 7},
}
POOL_SKEW = {
    "age-band": {"16-24": 0.4, "25-34": 0.6, "55-64": 1.6, "65-74": 2.0, "75+": 1.5},
    "gender": {"non-binary": 0.5},
}
# Quotas on three attributes; household stays in the pool unquoted (it makes no types). With household
# quotas too (4 attributes, ~500-800 types) the column generation needs minutes: see docs/performance.md.
QUOTED = ("area", "age-band", "gender")
CASES = [(2_000, 60), (20_000, 100)]  # pool, panel size
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "sortition"  # ../shared/sortition
CUMBRIA = {  # every attribute quoted: 30 x 7 x 4 x 5 = 4,200 possible types
    "area": {f"CA{i:02d}": 1.0 + (i % 7) for i in range(1, 31)},  # districts of uneven sizes
    "age-band": CENSUS["age-band"],
    "gender": CENSUS["gender"],
    "household-size": {"1": 30, "2": 34, "3": 16, "4": 13, "5+": 7},
}
CUMBRIA_MEMBERS, CUMBRIA_PANEL = 5_000, 60


def add_options(options: argparse.ArgumentParser) -> None:
    options.add_argument("--panel-runs", type=int, default=2000, help="greedy draws to estimate its lowest chance")
    options.add_argument(
        "--panel-instances", type=Path, default=SHARED, help=f"folder of panel instances (default {SHARED})"
    )
    options.add_argument(
        "--panel-limit", type=float, default=600.0, help="seconds one leximin draw may run before it is stopped"
    )
    options.add_argument(
        "--panel-skip", action="append", default=[], help="an instance to leave out, e.g. synth-sf_e_110 (repeatable)"
    )


def census_pool(members: int, seed: int = 11) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    pool = {}
    for i in range(members):
        profile = {}
        for attribute, shares in CENSUS.items():
            skew = POOL_SKEW.get(attribute, {})
            weights = [share * skew.get(value, 1.0) for value, share in shares.items()]
            profile[attribute] = rng.choices(list(shares), weights=weights)[0]
        pool[f"member-{i:05d}"] = profile
    return pool


def census_quotas(size: int, slack: float = 0.15) -> list[Quota]:
    """Quotas proportional to the census: each value's share of the panel, give or take ``slack``."""
    quotas = []
    for attribute in QUOTED:
        for value, share in CENSUS[attribute].items():
            target = size * share / 100
            quotas.append(Quota(attribute, value, int(target * (1 - slack)), int(target * (1 + slack)) + 1))
    return quotas


def run(database: str, args: argparse.Namespace) -> list[Result]:
    if database != databases(args)[0]:
        return []  # no database involved: measured once
    results = []
    for members, size in CASES:
        pool, quotas = census_pool(members), census_quotas(size)
        started = time.perf_counter()
        lottery = Lottery(pool, quotas, size)
        lottery.draw(seed=1)
        leximin_seconds = time.perf_counter() - started
        started = time.perf_counter()
        types = group(pool, quotas, size)
        feasible(types)
        greedy = GreedyStratified(types)
        greedy.sample(1)
        greedy_seconds = time.perf_counter() - started
        runs = args.panel_runs
        started = time.perf_counter()
        greedy_lowest = lowest_greedy_chance(greedy, runs)
        per_greedy_draw = (time.perf_counter() - started) / runs
        label = f"{members:,} pool, panel {size}"
        types_note = f"{len(types.counts)} types, {len(lottery.compositions)} panels in the lottery"
        results += [
            Result(f"draw time, {label}", leximin_seconds * 1000, greedy_seconds * 1000, "ms", note=types_note),
            Result(
                f"lowest chance, {label}",
                lottery.lowest * 100,
                greedy_lowest * 100,
                "%",
                note=f"greedy estimated over {runs} runs ({per_greedy_draw * 1000:.1f} ms a draw once set up); "
                f"leximin exact; highest {lottery.highest * 100:.2f}%, size/pool {size / members * 100:.2f}%",
            ),
        ]
        print(
            f"{label}: leximin {leximin_seconds:.2f} s, lowest {lottery.lowest:.5f}; greedy lowest {greedy_lowest:.5f}"
        )
    return results + shared_instances(args) + cumbria(args)


def shared_instances(args: argparse.Namespace) -> list[Result]:
    folder: Path = args.panel_instances
    if not folder.is_dir():
        print(f"panel instances: {folder} does not exist, so the shared instances are skipped")
        return []
    results = []
    for instance in sorted(p for p in folder.iterdir() if (p / "categories.csv").is_file()):
        if instance.name in args.panel_skip:
            print(f"{instance.name}: skipped (--panel-skip)")
            continue
        pool, quotas, size = load_instance(instance)
        paper = published(folder, instance.name)
        results += compare(instance.name, pool, quotas, size, args, paper)
    return results


def load_instance(folder: Path) -> tuple[dict[str, dict[str, str]], list[Quota], int]:
    """categories.csv (category, feature, min, max) and respondents.csv; the panel size ends the name."""
    with open(folder / "categories.csv", newline="") as f:
        quotas = [Quota(r["category"], r["feature"], int(r["min"]), int(r["max"])) for r in csv.DictReader(f)]
    with open(folder / "respondents.csv", newline="") as f:
        pool = {f"respondent-{i:05d}": dict(row) for i, row in enumerate(csv.DictReader(f))}
    return pool, quotas, int(folder.name.rsplit("_", 1)[1])


def published(folder: Path, name: str) -> str:
    """The paper's LEXIMIN time (and, for its public instances, exact lowest probability), or ''."""
    statistics = folder / "reference" / f"{name.removeprefix('synth-')}_statistics.txt"
    if not statistics.is_file():
        return ""
    text = statistics.read_text()
    seconds = re.search(r"LEXIMIN took a median running time of ([\d.,]+) seconds", text)
    lowest = re.search(r"LEXIMIN minimum probability \(exact\):\s*([\d.]+%)", text)
    said = f"paper (Gurobi) {seconds.group(1)} s" if seconds else ""
    if lowest and not name.startswith("synth-"):
        said += f", paper's lowest {lowest.group(1)}"
    elif seconds:
        said += " on the real pool this one is shaped like"
    return said


def cumbria_pool(seed: int = 20) -> tuple[dict[str, dict[str, str]], list[Quota]]:
    rng = random.Random(seed)
    pool = {
        f"member-{i:05d}": {
            a: rng.choices(list(shares), weights=list(shares.values()))[0] for a, shares in CUMBRIA.items()
        }
        for i in range(CUMBRIA_MEMBERS)
    }
    quotas = []
    for attribute, shares in CUMBRIA.items():
        total = sum(shares.values())
        for value, share in shares.items():
            target = CUMBRIA_PANEL * share / total
            quotas.append(Quota(attribute, value, int(target * 0.85), int(target * 1.15) + 1))
    return pool, quotas


def cumbria(args: argparse.Namespace) -> list[Result]:
    if "cumbria" in args.panel_skip:
        print("cumbria: skipped (--panel-skip)")
        return []
    pool, quotas = cumbria_pool()
    return compare(f"cumbria {CUMBRIA_MEMBERS:,}", pool, quotas, CUMBRIA_PANEL, args, "")


def compare(
    name: str, pool: dict[str, dict[str, str]], quotas: list[Quota], size: int, args: argparse.Namespace, paper: str
) -> list[Result]:
    """One leximin draw (stopped at --panel-limit) against the greedy draw, on one pool."""
    types = group(pool, quotas, size)
    shape = f"{len(pool):,} people, panel {size}, {len(types.counts)} types"
    started = time.perf_counter()
    try:
        feasible(types)
        greedy = GreedyStratified(types)
        greedy.sample(1)
        greedy_seconds = time.perf_counter() - started
        runs = max(1, args.panel_runs // 4)
        greedy_lowest = lowest_greedy_chance(greedy, runs)
        greedy_note = f"greedy lowest estimated over {runs} runs"
    except QuotasCannotBeMet as refused:
        greedy_seconds, greedy_lowest, greedy_note = time.perf_counter() - started, float("nan"), str(refused)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with time_limit(args.panel_limit):
            lottery = Lottery(pool, quotas, size)
            lottery.draw(seed=1)
    except DrawTooSlow:
        paper = paper or "no published figure"
        print(f"{name} ({shape}): leximin NOT FINISHED within --panel-limit {args.panel_limit:g} s; {paper}")
        return [
            Result(
                f"draw time, {name}",
                args.panel_limit * 1000,
                greedy_seconds * 1000,
                "ms",
                note=f"{shape}; leximin stopped at the limit, not finished; {paper}",
            )
        ]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{name} ({shape}): leximin {seconds:.1f} s ({cpu:.1f} s CPU), lowest {lottery.lowest:.7f}, "
        f"highest {lottery.highest:.5f}, {len(lottery.compositions)} panels in the lottery; "
        f"{paper or 'no published figure'}; "
        f"greedy {greedy_seconds * 1000:.0f} ms, lowest {greedy_lowest:.5f} ({greedy_note})"
    )
    return [
        Result(f"draw time, {name}", seconds * 1000, greedy_seconds * 1000, "ms", note=f"{shape}; {paper}"),
        Result(
            f"lowest chance, {name}",
            lottery.lowest * 100,
            greedy_lowest * 100,
            "%",
            note=f"leximin exact, highest {lottery.highest * 100:.2f}%; {greedy_note}",
        ),
    ]


def lowest_greedy_chance(greedy: GreedyStratified, runs: int) -> float:
    """The greedy's lowest selection chance, estimated per type over ``runs`` seeded draws."""
    chosen: Counter[int] = Counter()
    for seed in range(runs):
        for t, count in enumerate(greedy.composition(random.Random(seed))):
            chosen[t] += count
    return min(chosen[t] / (n * runs) for t, n in enumerate(greedy.types.counts))


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
