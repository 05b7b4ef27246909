"""Panel compositions (how many members of each type) found by HiGHS's MIP solver.

A composition is feasible when it has ``size`` members, takes no more of a type than the pool has,
and meets every quota. HiGHS runs single-threaded with a fixed random seed, so the same model always
gives the same answer."""

from collections.abc import Sequence

import highspy
import numpy as np

from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Types

Composition = tuple[int, ...]
INTEGRAL = 1e-7  # a relaxation value this close to a whole number counts as whole
MIP_GAP = 1e-9  # relative; the pricing problem must be solved (almost) exactly for leximin to be optimal


def solver() -> highspy.Highs:
    highs = highspy.Highs()
    for option, value in (("output_flag", False), ("threads", 1), ("random_seed", 0), ("mip_rel_gap", MIP_GAP)):
        highs.setOptionValue(option, value)
    return highs


class Compositions:
    """The composition MIP for one pool, quotas and size; ``best`` re-solves it for new weights.

    Its LP relaxation is tried first (warm-started, a few milliseconds): when the relaxation's optimum is
    integral it is the MIP's optimum too, and the MIP (a tenth of a second or more) is skipped."""

    def __init__(self, types: Types, relaxed: frozenset[int] = frozenset()):
        self.types = types
        self.relaxation = self._model(relaxed, integral=False)
        self.mip = self._model(relaxed, integral=True)

    def _model(self, relaxed: frozenset[int], integral: bool) -> highspy.Highs:
        types, highs = self.types, solver()
        counts = np.array(types.counts, dtype=np.float64)
        n, none = len(counts), np.array([], np.int32)
        highs.addCols(n, np.zeros(n), np.zeros(n), counts, 0, none, none, np.array([]))
        if integral:
            highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
        rows = [(range(n), types.size, types.size)]
        rows += [(types.rows[r], q.minimum, q.maximum) for r, q in enumerate(types.quotas) if r not in relaxed]
        for columns, lower, upper in rows:
            index = np.array(list(columns), dtype=np.int32)
            highs.addRow(lower, upper, len(index), index, np.ones(len(index)))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return highs

    def best(self, weights: Sequence[float]) -> Composition | None:
        """The composition with the largest total weight (sum of weight x count), or None if none exists."""
        found = self.improving(weights, -highspy.kHighsInf)
        return found[0] if found else None

    def improving(self, weights: Sequence[float], above: float) -> list[Composition]:
        """A composition whose total weight exceeds ``above`` ([] when none does: certified by the
        relaxation's bound or the MIP). The MIP stops at its first solution that beats ``above``."""
        n = len(self.types.counts)
        costs = np.asarray(weights, dtype=np.float64)
        for highs in (self.relaxation, self.mip):
            highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
            if highs is self.mip:
                highs.setOptionValue("objective_target", float(above))
            solve(highs)
            status = highs.getModelStatus()
            if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kObjectiveTarget):
                return []
            if highs.getInfo().objective_function_value <= above:
                return []
            values = highs.getSolution().col_value
            if all(abs(x - round(x)) <= INTEGRAL for x in values):
                return [tuple(round(x) for x in values)]
        raise AssertionError("the MIP's solution is integral")  # pragma: no cover

    def any(self) -> Composition | None:
        return self.best([0.0] * len(self.types.counts))

    def extreme(self, row: int, sense: int) -> int | None:
        """The most (sense=1) or fewest (sense=-1) members the quota row's types can have in a panel."""
        weights = [0.0] * len(self.types.counts)
        for t in self.types.rows[row]:
            weights[t] = float(sense)
        found = self.best(weights)
        return None if found is None else sum(found[t] for t in self.types.rows[row])
