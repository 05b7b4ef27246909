"""Leximin over types by column generation (Flanigan et al., Nature 2021, Algorithm 1, at the type level).

Each stage maximises the lowest selection probability among the types not yet fixed, over lotteries
on the compositions found so far, by solving the dual LP

    minimise  ŷ - Σ_{t fixed} f_t y_t
    s.t.      Σ_t y_t x_Ct / n_t <= ŷ   for every composition C found,   Σ_{t not fixed} y_t = 1,   y, ŷ >= 0

and asking the composition MIP for the composition C maximising Σ_t y_t x_Ct / n_t. While that beats ŷ it
becomes a new row; when none does, the stage's value z is optimal over all compositions, and every type
with y_t > 0 must have probability exactly z in every optimal lottery (complementary slackness), so those
types are fixed at z. At least one type is fixed per stage. Finally a primal LP finds the lottery over the
compositions that gives every type its fixed probability."""

import highspy
import numpy as np

from domain.insight.sortition.compositions import Composition, Compositions, solver
from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Types

PRICING_EPS = 1e-9  # a composition must beat ŷ by more than this to be added
FIX_EPS = 1e-9  # a dual weight above this fixes its type
RELAX = 1e-9  # if rounding makes fixed probabilities unreachable, they are lowered by this and retried


def leximin(types: Types, start: list[Composition]) -> tuple[list[Composition], list[float]]:
    """The compositions found (from feasible ``start`` ones) and the leximin lottery over them."""
    n = np.array(types.counts, dtype=np.float64)
    pricing = Compositions(types)
    found = list(dict.fromkeys(start))
    dual = _dual_lp(len(n))
    for composition in found:
        _add_row(dual, composition, n)
    fixed: dict[int, float] = {}
    while len(fixed) < len(n):
        y, value = _stage(dual, pricing, found, fixed, n)
        tight = [t for t in range(len(n)) if t not in fixed and y[t] > FIX_EPS]
        if not tight:  # numerically flat duals: fix the heaviest, which is tight at value up to tolerance
            tight = [max((t for t in range(len(n)) if t not in fixed), key=lambda t: (y[t], -t))]
        for t in tight:
            fixed[t] = max(0.0, value)
            dual.changeColCost(t, -fixed[t])
            dual.changeCoeff(0, t, 0.0)
    return found, _lottery(found, fixed, n)


def _dual_lp(types: int) -> highspy.Highs:
    dual = solver()
    inf = highspy.kHighsInf
    costs = np.append(np.zeros(types), 1.0)
    none = np.array([], dtype=np.int32)
    dual.addCols(types + 1, costs, np.zeros(types + 1), np.full(types + 1, inf), 0, none, none, np.array([]))
    dual.addRow(1.0, 1.0, types, np.arange(types, dtype=np.int32), np.ones(types))
    return dual


def _add_row(dual: highspy.Highs, composition: Composition, n: np.ndarray) -> None:
    index = [t for t, x in enumerate(composition) if x]
    values = [composition[t] / n[t] for t in index] + [-1.0]
    dual.addRow(-highspy.kHighsInf, 0.0, len(index) + 1, np.array(index + [len(n)], np.int32), np.array(values))


def _stage(
    dual: highspy.Highs, pricing: Compositions, found: list[Composition], fixed: dict[int, float], n: np.ndarray
) -> tuple[np.ndarray, float]:
    """Column generation until no composition improves: the dual weights y and the stage's value."""
    known = set(found)
    while True:
        solve(dual)
        if dual.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            for t in fixed:
                fixed[t] = max(0.0, fixed[t] - RELAX)
                dual.changeColCost(t, -fixed[t])
            continue
        solution = np.array(dual.getSolution().col_value)
        y, cap = np.clip(solution[:-1], 0.0, None), solution[-1]
        weights = y / n
        new = [c for c in pricing.improving(weights, cap + PRICING_EPS) if c not in known]
        if not new:
            return y, float(dual.getInfo().objective_function_value)
        for composition in new:
            found.append(composition)
            known.add(composition)
            _add_row(dual, composition, n)


def _lottery(found: list[Composition], fixed: dict[int, float], n: np.ndarray) -> list[float]:
    """Probabilities over the found compositions giving each type its fixed probability, up to the
    smallest possible shortfall ε (which the solver makes 0 up to its tolerance)."""
    primal = solver()
    k, none = len(found), np.array([], dtype=np.int32)
    costs = np.append(np.zeros(k), 1.0)
    primal.addCols(k + 1, costs, np.zeros(k + 1), np.full(k + 1, highspy.kHighsInf), 0, none, none, np.array([]))
    primal.addRow(1.0, 1.0, k, np.arange(k, dtype=np.int32), np.ones(k))
    for t, target in sorted(fixed.items()):
        index = [c for c, composition in enumerate(found) if composition[t]]
        values = [found[c][t] / n[t] for c in index] + [1.0]
        primal.addRow(target, highspy.kHighsInf, len(index) + 1, np.array(index + [k], np.int32), np.array(values))
    solve(primal)
    return [float(v) for v in primal.getSolution().col_value[:k]]
