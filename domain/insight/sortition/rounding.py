"""Panels that average to the relaxation's leximin point, found by rounding it, one panel at a time.

The relaxation's leximin point e (expected counts per type, see ``relaxation``) is what the lottery must
reach. Column generation gets there slowly when there are hundreds of types: each round's dual weights
ask for one more panel, and the last hundredth of the way takes most of the rounds. This walks straight
at it instead (Carathéodory's construction, with whole panels as the points):

    r = e, mass = 1
    repeat: take a panel c with each type's count r_t rounded down or up, meeting the quotas, and
            exactly at every limit where r is (a MIP over the types, usually settled at its LP);
            take the largest weight w for c that leaves the rest, r' = (r - w c) / (1 - w), in the
            relaxation's polytope; a limit that r' now touches is one more that every later panel keeps,
            so each step goes down a dimension;
            r = r', mass = mass (1 - w)
    until the panel is r itself (w = 1), or the mass left is below FLOOR.

Each panel lies in the face of the polytope where r is, as every panel of a lottery averaging to r must.
But whether the rest r' is still an average of panels is not known in advance: where no rounding of r
meets the quotas the walk stops early. So its panels are only proposals: the leximin's master LP weighs
them and checks, to its tolerance, that they reach the target, and column generation goes on from them
if they do not. On the shared instances and the Cumbria-shaped pool they reach it outright (issue 20):
sf_e_110's 855 types in about 20 s, where column generation had not finished in ten minutes.

The walk is exact in intent and checked, not trusted: floating-point rests are rounded to whole numbers
within a tolerance that grows as the mass left shrinks, and a step that cannot move ends the walk."""

import highspy
import numpy as np

from domain.insight.sortition.compositions import Composition, panel_model
from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Types

FLOOR = 1e-10  # mass left below which the walk stops: it shifts no probability by more than this
INTEGRAL = 1e-6  # a solution this close to whole numbers is a panel (HiGHS's own MIP feasibility tolerance)
FOUND = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit)


def round_to_panels(types: Types, target: np.ndarray) -> list[Composition]:
    """Panels (distinct, in the order found) whose weighted average is, or nearly is, the point giving
    each type t its ``target[t]`` probability."""
    counts = np.array(types.counts, dtype=np.float64)
    limits = _Limits(types)
    relaxation, mip = limits.model(integral=False), limits.model(integral=True)
    rest, mass, found = target * counts, 1.0, []  # rest: the expected counts still to be made, times mass
    while mass > FLOOR:
        point = rest / mass
        tolerance = min(1e-6, 1e-10 / mass)  # the rest's rounding error grows as 1 / mass
        panel = limits.rounding(point, tolerance, (relaxation, mip))
        if panel is None:
            break
        found.append(tuple(int(x) for x in panel))
        share = limits.largest_share(point, panel)
        if share >= 1 - 1e-12:
            break
        if share <= 0:
            break  # a limit r sits on within the solver's noise, but not within the tolerance: no progress
        weight = share * mass
        rest, mass = np.clip(rest - weight * panel, 0.0, counts * (mass - weight)), mass - weight
    return list(dict.fromkeys(found))


class _Limits:
    """The panel size and every limit as rows of one 0/1 matrix over the types, with their bounds: the
    rows of ``panel_model``, in its order."""

    def __init__(self, types: Types):
        self.types = types
        self.counts = np.array(types.counts, dtype=np.float64)
        rows = [(tuple(range(len(self.counts))), types.size, types.size), *types.limits]
        self.matrix = np.zeros((len(rows), len(self.counts)))
        for r, (columns, _, _) in enumerate(rows):
            self.matrix[r, list(columns)] = 1.0
        self.lower = np.array([lower for _, lower, _ in rows], dtype=np.float64)
        self.upper = np.array([upper for _, _, upper in rows], dtype=np.float64)

    def model(self, integral: bool) -> highspy.Highs:
        """The composition model (rows as in ``matrix``); as a MIP, stopped at its first solution."""
        highs = panel_model(self.types, integral)
        if integral:
            highs.setOptionValue("mip_max_improving_sols", 1)  # any rounding will do: the first is the quickest
            highs.setOptionValue("mip_detect_symmetry", False)  # a tenth faster on sf_e_110 and hd_30 (measured)
        return highs

    def rounding(self, point: np.ndarray, tolerance: float, models: tuple[highspy.Highs, ...]) -> np.ndarray | None:
        """A panel with each count ``point[t]`` rounded down or up, at every limit the point is at (within
        ``tolerance``), rounding up the larger fractions where it can; None if there is none. The LP first:
        when its optimum is whole, it is the panel, with no MIP."""
        low = np.clip(np.floor(point + tolerance), 0, self.counts)
        high = np.clip(np.ceil(point - tolerance), 0, self.counts)
        sums, slack = self.matrix @ point, 10 * tolerance
        at_lower, at_upper = sums - self.lower <= slack, self.upper - sums <= slack
        row_low, row_high = np.where(at_upper, self.upper, self.lower), np.where(at_lower, self.lower, self.upper)
        columns, rows = np.arange(len(self.counts), dtype=np.int32), np.arange(len(self.lower), dtype=np.int32)
        for highs in models:
            highs.changeRowsBounds(len(rows), rows, row_low, row_high)
            highs.changeColsBounds(len(columns), columns, low, high)
            highs.changeColsCost(len(columns), columns, point - low)
            solve(highs)
            if highs.getModelStatus() not in FOUND:
                return None
            values = np.array(highs.getSolution().col_value)
            if np.all(np.abs(values - np.round(values)) <= INTEGRAL):
                return np.round(values)
        return None  # pragma: no cover - the MIP's optimal solution is whole

    def largest_share(self, point: np.ndarray, panel: np.ndarray) -> float:
        """The largest w <= 1 with (point - w panel) / (1 - w) still within every bound and limit: for each
        limit a x <= b the panel does not touch, w <= (b - a point) / (b - a panel)."""
        share = 1.0
        for slack, room in (
            (point, panel),  # counts >= 0
            (self.counts - point, self.counts - panel),  # counts <= pool
            (self.upper - self.matrix @ point, self.upper - self.matrix @ panel),
            (self.matrix @ point - self.lower, self.matrix @ panel - self.lower),
        ):
            moving = room > 0.5  # whole numbers: a limit the panel is not at has a room of at least 1
            if moving.any():
                share = min(share, float(np.min(np.maximum(slack[moving], 0.0) / room[moving])))
        return share
