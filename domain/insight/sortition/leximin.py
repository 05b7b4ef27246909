"""Leximin over types by column generation (Flanigan et al., Nature 2021, Algorithm 1, at the type level).

Each stage maximises the lowest selection probability z among the types not yet fixed, over lotteries
λ on the compositions found so far (the restricted master LP, one row a type, one column a composition):

    maximise  z
    s.t.      Σ_C λ_C x_Ct / n_t >= z    for every type t not yet fixed
              Σ_C λ_C x_Ct / n_t >= f_t  for every fixed type t
              Σ_C λ_C = 1,  λ >= 0

Its row duals y (y >= 0, summing to 1 over the unfixed types) price the compositions: the composition
search looks for a C with Σ_t y_t x_Ct / n_t above the best found column's. While one exists it becomes a
new column (several a round, all warm-started); when none does, the stage's value z is optimal over all
compositions, and every type with y_t > 0 must have probability exactly z in every optimal lottery
(complementary slackness), so those types are fixed at z. At least one type is fixed per stage.
Finally an LP finds the lottery over the compositions that gives every type its fixed probability.

Rows, not columns, are the types: the LP's basis is as small as the number of types however many
compositions are found, and a new column leaves the last solution feasible, so each re-solve is a few
primal simplex iterations.

First, though, the leximin over the quotas' LP relaxation (``relaxation``) gives every type a target
probability that no lottery can beat in the leximin order. The same column generation, with each type's
row scaled by its target count instead of its size, then looks for a lottery reaching every target
(value 1): when it gets there, that lottery is leximin-optimal and no stage needs a MIP to prove that no
composition improves (which, with one row a person, is where the time went). It starts from panels found
by rounding the target point itself (``rounding``), which usually reach it with no column generation at
all; on the shared instances and the Cumbria-shaped pool they do. Where the target cannot be reached
(the relaxation's optimum is no lottery's, as on some tiny pools with tight quotas), the stages above run
as before, from the compositions found."""

import highspy
import numpy as np

from domain.insight.sortition.compositions import Composition, Compositions, solver
from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Types
from domain.insight.sortition.relaxation import TOLERANCE, relaxed_leximin, settled
from domain.insight.sortition.rounding import round_to_panels

PRICING_EPS = 1e-9  # a composition must beat the best column's weight by more than this to be added
RELAX = 1e-9  # if rounding makes fixed probabilities unreachable, they are lowered by this and retried
REACHED = 1 - 1e-8  # a lottery giving every type this share of its relaxed target reaches it (see _lottery)


def leximin(types: Types, start: list[Composition]) -> tuple[list[Composition], list[float]]:
    """The compositions found (from feasible ``start`` ones) and the leximin lottery over them."""
    n = np.array(types.counts, dtype=np.float64)
    pricing = Compositions(types)
    found = list(dict.fromkeys(start))
    target = relaxed_leximin(types)
    if target is not None:
        found = list(dict.fromkeys(found + round_to_panels(types, target)))
        if _reaches(target, pricing, found, n):
            return found, _lottery(found, dict(enumerate(target)), n)
    master = _master(n)
    _add_columns(master, found, n)
    fixed: dict[int, float] = {}
    while len(fixed) < len(n):
        y, value = _stage(master, pricing, found, fixed, n)
        for t in settled(y, fixed):
            fixed[t] = max(0.0, value)
            master.changeCoeff(t, 0, 0.0)
            master.changeRowBounds(t, fixed[t], highspy.kHighsInf)
    return found, _lottery(found, fixed, n)


def _reaches(target: np.ndarray, pricing: Compositions, found: list[Composition], n: np.ndarray) -> bool:
    """Whether a lottery over compositions (adding those it finds to ``found``) gives every type its target
    probability: the maximin over rows scaled by the target counts reaches 1. A type whose target is 0 is
    in no composition at all (the relaxation proves it), so its row is left out."""
    expected = target * n
    scale = np.where(expected > 0, expected, 1.0)
    master = _master(scale)
    for t in np.flatnonzero(expected <= 0):
        master.changeCoeff(int(t), 0, 0.0)
    _add_columns(master, found, scale)
    _, value = _stage(master, pricing, found, {}, scale, enough=REACHED)
    return value >= REACHED


def _master(n: np.ndarray) -> highspy.Highs:
    """The restricted master with no composition yet: column 0 is z, rows 0..T-1 the types, row T Σλ = 1."""
    master = solver()
    master.setOptionValue("simplex_strategy", 4)  # primal simplex: a new column keeps the basis feasible
    inf, types = highspy.kHighsInf, len(n)
    master.changeObjectiveSense(highspy.ObjSense.kMaximize)
    none = np.array([], dtype=np.int32)
    master.addCols(1, np.array([1.0]), np.array([0.0]), np.array([inf]), 0, none, none, np.array([]))
    for _ in range(types):
        master.addRow(0.0, inf, 1, np.array([0], np.int32), np.array([-1.0]))
    master.addRow(1.0, 1.0, 0, none, np.array([]))
    return master


def _add_columns(master: highspy.Highs, compositions: list[Composition], n: np.ndarray) -> None:
    if not compositions:
        return
    starts, index, values = [], [], []
    for composition in compositions:
        starts.append(len(index))
        support = [t for t, x in enumerate(composition) if x]
        index += support + [len(n)]
        values += [composition[t] / n[t] for t in support] + [1.0]
    k = len(compositions)
    master.addCols(
        k,
        np.zeros(k),
        np.zeros(k),
        np.full(k, highspy.kHighsInf),
        len(index),
        np.array(starts, np.int32),
        np.array(index, np.int32),
        np.array(values),
    )


def _stage(
    master: highspy.Highs,
    pricing: Compositions,
    found: list[Composition],
    fixed: dict[int, float],
    n: np.ndarray,
    enough: float = highspy.kHighsInf,
) -> tuple[np.ndarray, float]:
    """Column generation until no composition improves, or the value reaches ``enough``: the dual weights y
    and the stage's value."""
    known = set(found)
    rows = np.array(found, dtype=np.int64)
    while True:
        solve(master)
        if master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            for t in fixed:
                fixed[t] = max(0.0, fixed[t] - RELAX)
                master.changeRowBounds(t, fixed[t], highspy.kHighsInf)
            continue
        y = np.clip(np.abs(np.array(master.getSolution().row_dual[: len(n)])), 0.0, None)
        value = float(master.getInfo().objective_function_value)
        if value >= enough:
            return y, value
        weights = y / n
        cap = float(np.max(rows @ weights))
        new = [c for c in pricing.improving(weights, cap + PRICING_EPS, rows) if c not in known]
        if not new:
            return y, value
        found.extend(new)
        known.update(new)
        _add_columns(master, new, n)
        rows = np.vstack([rows, np.array(new, dtype=np.int64)])


def _lottery(found: list[Composition], fixed: dict[int, float], n: np.ndarray) -> list[float]:
    """Probabilities over the found compositions giving each type its fixed probability, up to the
    smallest possible shortfall ε (which the solver makes 0 up to its tolerance)."""
    primal = solver()
    primal.setOptionValue("primal_feasibility_tolerance", TOLERANCE)  # HiGHS's 1e-7 would shave chances
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
