"""The leximin over the quotas' LP relaxation: an upper bound that the lottery usually reaches exactly.

A lottery over panels gives each type t an expected count e_t = p_t n_t, and the vector e lies in

    Q = { e : 0 <= e_t <= n_t,  Σ_t e_t = size,  minimum <= Σ_{t counted by a quota} e_t <= maximum,
          Σ_{t in a household} e_t <= 1 }

(each panel meets the quotas, so their average does). So the leximin over Q, found by a short run of
LPs over the types alone (no compositions, milliseconds), is at least as good as any lottery's, in the
leximin order. When a lottery over panels reaches it, that lottery is leximin-optimal over all lotteries,
with no pricing MIP needed to prove it: the points of Q that lotteries can reach are a subset of Q.

Each LP maximises z, the lowest probability among the types not yet fixed; every type whose row has a
positive dual weight must have probability exactly z in every optimal point (complementary slackness),
so it is fixed there, and the next LP raises the rest."""

import highspy
import numpy as np

from domain.insight.sortition.compositions import solver
from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Types

FIX_EPS = 1e-9  # a dual weight above this fixes its type
TOLERANCE = 1e-10  # tighter than HiGHS's default 1e-7, so the bound is not above what lotteries can reach


def relaxed_leximin(types: Types) -> np.ndarray | None:
    """Each type's probability in the leximin point of the relaxation Q (one value a type), or None if
    the solver cannot settle it (then the caller does without the bound)."""
    n = np.array(types.counts, dtype=np.float64)
    lp, count, inf = _model(types, n), len(n), highspy.kHighsInf
    z = count  # column index of z; columns 0..count-1 are the types' probabilities
    fixed: dict[int, float] = {}
    while len(fixed) < count:
        solve(lp)
        if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None  # e.g. fixed values rounded a hair too high: no bound is better than a wrong one
        value = float(lp.getInfo().objective_function_value)
        duals = np.abs(np.array(lp.getSolution().row_dual[:count]))
        for t in settled(duals, fixed):
            fixed[t] = min(1.0, max(0.0, value))
            lp.changeCoeff(t, z, 0.0)
            lp.changeRowBounds(t, fixed[t], inf)
    return np.array([fixed[t] for t in range(count)])


def settled(duals: np.ndarray, fixed: dict[int, float]) -> list[int]:
    """The types not yet fixed whose row has a positive dual weight: each is at the stage's value in every
    optimal point. With numerically flat duals, the heaviest (tight at the value up to tolerance)."""
    free = [t for t in range(len(duals)) if t not in fixed]
    return [t for t in free if duals[t] > FIX_EPS] or [max(free, key=lambda t: (duals[t], -t))]


def _model(types: Types, n: np.ndarray) -> highspy.Highs:
    """Columns: each type's probability p_t in [0, 1], then z. Rows: p_t - z >= 0 for each type, then the
    panel size, each quota and each household over the expected counts n_t p_t."""
    lp, count, inf = solver(), len(n), highspy.kHighsInf
    for option in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        lp.setOptionValue(option, TOLERANCE)
    lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
    none = np.array([], dtype=np.int32)
    lp.addCols(count, np.zeros(count), np.zeros(count), np.ones(count), 0, none, none, np.array([]))
    lp.addCols(1, np.array([1.0]), np.array([0.0]), np.array([inf]), 0, none, none, np.array([]))
    for t in range(count):
        lp.addRow(0.0, inf, 2, np.array([t, count], np.int32), np.array([1.0, -1.0]))
    lp.addRow(types.size, types.size, count, np.arange(count, dtype=np.int32), n.copy())
    for columns, lower, upper in types.limits:
        index = np.array(columns, dtype=np.int32)
        lp.addRow(lower, upper, len(index), index, n[index])
    return lp
