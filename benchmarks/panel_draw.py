"""Community-panel draw: leximin (domain.insight.sortition) against the greedy stratified draw, on census-like pools.

Pure domain work, no database: it runs once whatever --db says. For each pool (2,000 and 20,000 members,
four attributes: area over 8 districts of skewed sizes, age band 7, gender 4, household 5; the pool
over-represents older members, as volunteer pools do; quotas on the first three) and panel size, it
measures the time of one leximin draw (the lottery computed and sampled) against one greedy draw, and
the lowest selection probability: leximin's exact figure against the greedy's estimated over many seeded
runs (per type, since members of a type are interchangeable; the lowest of many estimates leans low).
"""

import argparse
import random
import time
from collections import Counter

from benchmarks.common import Result, databases, standalone
from domain.insight.sortition import GreedyStratified, Lottery, Quota
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


def add_options(options: argparse.ArgumentParser) -> None:
    options.add_argument("--panel-runs", type=int, default=2000, help="greedy draws to estimate its lowest chance")


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
    return results


def lowest_greedy_chance(greedy: GreedyStratified, runs: int) -> float:
    """The greedy's lowest selection chance, estimated per type over ``runs`` seeded draws."""
    chosen: Counter[int] = Counter()
    for seed in range(runs):
        for t, count in enumerate(greedy.composition(random.Random(seed))):
            chosen[t] += count
    return min(chosen[t] / (n * runs) for t, n in enumerate(greedy.types.counts))


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
