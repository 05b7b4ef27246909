"""The lottery a panel is drawn from: computed once for a pool, quotas and size, sampled by seed."""

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from domain.insight.sortition.compositions import Composition
from domain.insight.sortition.feasibility import feasible
from domain.insight.sortition.greedy import GreedyStratified
from domain.insight.sortition.leximin import leximin
from domain.insight.sortition.quotas import Households, Pool, Quota, Types, group, members_for

ALGORITHM = "leximin-types-highs/4"  # recorded with every draw; bump if the method changes (2-4: issue 20)
SEEDING = 200  # greedy compositions that start the column generation (fewer MIPs; same result)
GRID = 1e-9  # the lottery's probabilities are rounded to this grid, so solver noise below it cannot leak out


@dataclass(frozen=True)
class Draw:
    selected: tuple[str, ...]  # member keys, sorted
    probabilities: dict[str, float]  # every pool member's selection probability
    lowest: float
    highest: float
    algorithm: str  # ALGORITHM
    seed: int


class Lottery:
    """The leximin lottery over panel compositions; ``sample(seed)`` draws one panel from it.

    A draw picks a composition with its probability, then, within each type, that many members
    uniformly (members sorted by key), all from ``random.Random(seed)``. So each member's chance of
    being drawn is exactly ``probabilities[member]``: the lottery's own marginals, computed from the
    rounded distribution actually sampled, not the solver's figures."""

    def __init__(self, pool: Pool, quotas: Sequence[Quota], size: int, households: Households | None = None):
        self.types = types = group(pool, quotas, size, households)
        first = feasible(types)
        found, weights = leximin(types, [first, *GreedyStratified(types).compositions(SEEDING)])
        self.compositions, self.weights = canonical(found, weights)
        self.cumulative = _cumulative(self.weights)
        self.type_probabilities = marginals(types, self.compositions, self.weights)
        self.probabilities = {
            key: p for keys, p in zip(types.members, self.type_probabilities, strict=True) for key in keys
        }
        self.lowest = min(self.type_probabilities)
        self.highest = max(self.type_probabilities)

    def sample(self, seed: int) -> tuple[str, ...]:
        rng = random.Random(seed)
        composition = self.compositions[bisect_right(self.cumulative, rng.random())]
        return members_for(self.types, composition, rng)

    def draw(self, seed: int) -> Draw:
        selected = self.sample(seed)
        return Draw(selected, dict(self.probabilities), self.lowest, self.highest, ALGORITHM, seed)


def canonical(found: list[Composition], weights: list[float]) -> tuple[list[Composition], list[float]]:
    """Rounded to the grid, zeros dropped, renormalised, sorted by composition: solver noise cannot leak in."""
    kept = sorted((c, round(max(w, 0.0) / GRID)) for c, w in zip(found, weights, strict=True) if w > GRID / 2)
    total = sum(units for _, units in kept)
    return [c for c, _ in kept], [units / total for _, units in kept]


def _cumulative(weights: list[float]) -> list[float]:
    running, out = 0.0, []
    for w in weights[:-1]:
        running += w
        out.append(running)
    return out  # bisect_right over these picks index i with probability weights[i]; the last takes the rest


def marginals(types: Types, compositions: list[Composition], weights: list[float]) -> list[float]:
    expected = [0.0] * len(types.counts)
    for composition, weight in zip(compositions, weights, strict=True):
        for t, x in enumerate(composition):
            if x:
                expected[t] += weight * x
    return [e / n for e, n in zip(expected, types.counts, strict=True)]


def selection_probabilities(
    pool: Pool, quotas: Sequence[Quota], size: int, households: Households | None = None
) -> dict[str, float]:
    return Lottery(pool, quotas, size, households).probabilities


def draw_panel(pool: Pool, quotas: Sequence[Quota], size: int, seed: int, households: Households | None = None) -> Draw:
    """One panel from the leximin lottery; with ``households``, at most one member of each household."""
    return Lottery(pool, quotas, size, households).draw(seed)
