"""The baseline: a greedy stratified draw, as panels were drawn before leximin (the benchmark's yardstick).

Seat by seat, while some quota is short of its minimum, the quota whose shortfall is largest relative to
the members still available for it is served first; once every minimum is met, anyone still eligible
(not pushing a quota past its maximum) may be picked. Each pick is a uniformly random eligible member of
that quota (at the type level: a type weighted by its members left). A dead end starts over. It meets the
quotas but gives members in crowded or rare combinations very unequal chances."""

import random
from collections.abc import Sequence

import numpy as np

from domain.insight.sortition.deadline import check_time
from domain.insight.sortition.feasibility import feasible
from domain.insight.sortition.quotas import Households, Pool, Quota, QuotasCannotBeMet, Types, group, members_for

ATTEMPTS = 1000


class GreedyStratified:
    """The greedy draw for pool types already checked feasible (``feasibility.feasible``)."""

    def __init__(self, types: Types):
        self.types = types
        self.counts = np.array(types.counts, dtype=np.int64)
        limits = types.limits  # the quotas, then at most one of each household
        self.member_of = np.zeros((len(types.counts), len(limits)), dtype=bool)  # type x limit
        for row, (columns, _, _) in enumerate(limits):
            self.member_of[list(columns), row] = True
        self.minimums = np.array([lower for _, lower, _ in limits], dtype=np.int64)
        self.maximums = np.array([upper for _, _, upper in limits], dtype=np.int64)

    def composition(self, rng: random.Random) -> tuple[int, ...]:
        for _ in range(ATTEMPTS):
            found = self._attempt(rng)
            if found is not None:
                return found
        raise QuotasCannotBeMet(f"The greedy draw found no panel meeting the quotas in {ATTEMPTS} attempts.")

    def compositions(self, count: int) -> list[tuple[int, ...]]:
        """Up to ``count`` distinct greedy compositions (seeded, so always the same ones)."""
        rng, found = random.Random(0), set()
        for _ in range(count):
            check_time()  # a few seconds for 200 on a county-wide pool: the draw's time limit counts them
            found.add(self._attempt(rng))
        return sorted(c for c in found if c is not None)

    def sample(self, seed: int) -> tuple[str, ...]:
        rng = random.Random(seed)
        return members_for(self.types, self.composition(rng), rng)

    def _attempt(self, rng: random.Random) -> tuple[int, ...] | None:
        left, taken = self.counts.copy(), np.zeros(len(self.minimums), dtype=np.int64)
        chosen = np.zeros_like(left)
        for _ in range(self.types.size):
            full = taken >= self.maximums
            open_left = np.where(self.member_of[:, full].any(axis=1), 0, left)
            short = self.minimums - taken
            if (short > 0).any():
                available = open_left @ self.member_of
                if (available[short > 0] == 0).any():
                    return None
                ratio = np.where(short > 0, short / np.maximum(available, 1), -1.0)
                open_left = np.where(self.member_of[:, int(np.argmax(ratio))], open_left, 0)
            total = int(open_left.sum())
            if total == 0:
                return None
            t = int(np.searchsorted(np.cumsum(open_left), rng.random() * total, side="right"))
            chosen[t] += 1
            left[t] -= 1
            taken += self.member_of[t]
        return tuple(int(x) for x in chosen) if (taken >= self.minimums).all() else None


def greedy_stratified_draw(
    pool: Pool, quotas: Sequence[Quota], size: int, seed: int, households: Households | None = None
) -> tuple[str, ...]:
    types = group(pool, quotas, size, households)
    feasible(types)
    return GreedyStratified(types).sample(seed)
