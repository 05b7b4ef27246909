"""Panel compositions (how many members of each type) found by HiGHS's MIP solver, helped by a swap search.

A composition is feasible when it has ``size`` members, takes no more of a type than the pool has,
and meets every quota. HiGHS runs single-threaded with a fixed random seed, and the swap search has no
randomness, so the same model always gives the same answers."""

from collections.abc import Sequence

import highspy
import numpy as np

from domain.insight.sortition.deadline import check_time, solve
from domain.insight.sortition.quotas import Types

Composition = tuple[int, ...]
INTEGRAL = 1e-7  # a relaxation value this close to a whole number counts as whole
MIP_GAP = 1e-9  # relative; the pricing problem must be solved (almost) exactly for leximin to be optimal
STARTS = 12  # known compositions the swap search starts from in one pricing round
MOST_NEW = 4  # compositions one pricing round may hand back
SWAPS = 200  # at most this many swaps in one search (each one strictly improves, so it always stops)
BESIDE_STARTS = 3  # beside an integral relaxation's optimum, swaps from this many known compositions
GAIN = 1e-12  # a swap must gain this much to be made


def solver() -> highspy.Highs:
    highs = highspy.Highs()
    for option, value in (("output_flag", False), ("threads", 1), ("random_seed", 0), ("mip_rel_gap", MIP_GAP)):
        highs.setOptionValue(option, value)
    return highs


class Compositions:
    """The composition MIP for one pool, quotas and size; ``best`` re-solves it for new weights.

    ``improving`` looks for compositions beating a value in three steps, cheapest first: the MIP's LP
    relaxation (warm-started, a millisecond or two; when its optimum is no better, none is, and when it
    is integral it is the MIP's optimum, returned with up to 3 more from a short swap search);
    single-member swaps from the best known compositions (often several new compositions at once);
    the MIP itself, which alone certifies that no composition beats the value when the relaxation
    cannot."""

    def __init__(self, types: Types, relaxed: frozenset[int] = frozenset()):
        self.types = types
        self.relaxation = self._model(relaxed, integral=False)
        self.mip = self._model(relaxed, integral=True)
        self.counts = np.array(types.counts, dtype=np.int64)
        kept = _kept(types, relaxed)
        member = np.zeros((len(kept), len(self.counts)), dtype=np.float64)  # limit row x type
        for i, (columns, _, _) in enumerate(kept):
            member[i, list(columns)] = 1.0
        self.member, self.outside = member, 1.0 - member
        self.minimums = np.array([lower for _, lower, _ in kept], dtype=np.float64)
        self.maximums = np.array([upper for _, _, upper in kept], dtype=np.float64)

    def _model(self, relaxed: frozenset[int], integral: bool) -> highspy.Highs:
        highs = panel_model(self.types, integral, relaxed)
        if integral:
            highs.setOptionValue("mip_improving_solution_save", True)
        return highs

    def best(self, weights: Sequence[float]) -> Composition | None:
        """The composition with the largest total weight (sum of weight x count), or None if none exists."""
        found = self.improving(weights, -highspy.kHighsInf)
        return found[0] if found else None

    def improving(self, weights: Sequence[float], above: float, known: np.ndarray | None = None) -> list[Composition]:
        """Compositions whose total weight exceeds ``above``, best first ([] when none does: certified by
        the relaxation's bound or the MIP). ``known`` (one feasible composition a row) seeds the swap search,
        which runs when the relaxation's optimum is fractional, before the MIP."""
        costs = np.asarray(weights, dtype=np.float64)
        n = len(self.counts)
        for highs in (self.relaxation, self.mip):
            if highs is self.mip and known is not None and len(known):
                found = self._swapped(costs, above, known)
                if found:
                    return found
                # the best known composition as the MIP's first incumbent: it prunes every branch that
                # cannot beat it, so proving that nothing does is quicker
                start = known[int(np.argmax(known @ costs))]
                highs.setSolution(n, np.arange(n, dtype=np.int32), start.astype(np.float64))
            highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
            solve(highs)
            status = highs.getModelStatus()
            if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kObjectiveTarget):
                return []
            if highs.getInfo().objective_function_value <= above:
                return []
            values = np.array(highs.getSolution().col_value)
            if np.all(np.abs(values - np.round(values)) <= INTEGRAL):
                if highs is self.relaxation:  # the MIP's optimum too
                    best = tuple(int(x) for x in np.round(values))
                    if known is None or not len(known):
                        return [best]
                    more = self._swapped(costs, above, known, starts_limit=BESIDE_STARTS)
                    return [best] + [c for c in more if c != best][: MOST_NEW - 1]
                starts = [np.round(values)] + [np.round(np.array(s.col_value)) for s in highs.getSavedMipSolutions()]
                return self._swapped(costs, above, np.array(starts, dtype=np.int64), keep_starts=True)
        raise AssertionError("the MIP's solution is integral")  # pragma: no cover

    def _swapped(
        self,
        costs: np.ndarray,
        above: float,
        starts: np.ndarray,
        keep_starts: bool = False,
        starts_limit: int = STARTS,
    ) -> list[Composition]:
        """Steepest single-member swaps (one member of a type out, one of another in, quotas kept) from
        the best ``starts``: the distinct compositions reached (and the starts, if asked) beating ``above``."""
        values = starts @ costs
        order = np.argsort(-values, kind="stable")[: len(starts) if keep_starts else starts_limit]
        found: dict[Composition, float] = {}
        for i in order:
            if keep_starts and values[i] > above:
                found.setdefault(tuple(int(x) for x in starts[i]), float(values[i]))
            x = self._climb(costs, starts[i].copy())
            value = float(x @ costs)
            if value > above:
                found.setdefault(tuple(int(v) for v in x), value)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return [c for c, _ in ranked[:MOST_NEW]]

    def _climb(self, costs: np.ndarray, x: np.ndarray) -> np.ndarray:
        member, outside = self.member, self.outside
        filled = member @ x
        for _ in range(SWAPS):
            check_time()
            support = np.flatnonzero(x)
            # only a type worth more than the cheapest member's can come in: the others cannot gain (the
            # same steepest swap as over every type, found over far fewer, since dual weights are sparse)
            candidates = np.flatnonzero((costs > costs[support].min() + GAIN) & (x < self.counts))
            if not len(candidates):
                return x
            at_most = (filled >= self.maximums - 0.5)[:, None]  # quota rows that cannot take one more
            at_least = (filled <= self.minimums + 0.5)[:, None]  # quota rows that cannot give one up
            blocked = (
                outside[:, support].T @ (member[:, candidates] * at_most)
                + (member[:, support] * at_least).T @ outside[:, candidates]
            )
            gain = costs[candidates][None, :] - costs[support][:, None]
            gain[blocked > 0.5] = -np.inf
            best = int(np.argmax(gain))
            if gain.flat[best] <= GAIN:
                return x
            out, into = int(support[best // len(candidates)]), int(candidates[best % len(candidates)])
            x[out] -= 1
            x[into] += 1
            filled += member[:, into] - member[:, out]
        return x

    def any(self) -> Composition | None:
        return self.best([0.0] * len(self.types.counts))

    def extreme(self, row: int, sense: int) -> int | None:
        """The most (sense=1) or fewest (sense=-1) members the quota row's types can have in a panel."""
        weights = [0.0] * len(self.types.counts)
        for t in self.types.rows[row]:
            weights[t] = float(sense)
        found = self.best(weights)
        return None if found is None else sum(found[t] for t in self.types.rows[row])


def panel_model(types: Types, integral: bool, relaxed: frozenset[int] = frozenset()) -> highspy.Highs:
    """A panel's counts per type (columns, 0 to the pool's count), its size and every limit but the
    ``relaxed`` quotas (rows, in that order), maximised; the LP relaxation unless ``integral``."""
    highs = solver()
    highs.setOptionValue("presolve", "off")  # a third faster on these small models (measured, issue 20)
    counts = np.array(types.counts, dtype=np.float64)
    n, none = len(counts), np.array([], np.int32)
    highs.addCols(n, np.zeros(n), np.zeros(n), counts, 0, none, none, np.array([]))
    if integral:
        highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    rows = [(range(n), types.size, types.size), *_kept(types, relaxed)]
    for columns, lower, upper in rows:
        index = np.array(list(columns), dtype=np.int32)
        highs.addRow(lower, upper, len(index), index, np.ones(len(index)))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return highs


def _kept(types: Types, relaxed: frozenset[int]) -> list[tuple[tuple[int, ...], int, int]]:
    """The limits a composition keeps: every quota but the ``relaxed`` ones (by row), and every household."""
    return [limit for r, limit in enumerate(types.limits) if r not in relaxed]
