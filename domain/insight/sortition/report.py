"""What a trustee reads about a draw: how fair its lottery is, and which solver computed it.

The figures come from the exact marginals of the lottery actually sampled (``Draw.probabilities``):
every pool member's chance of being drawn. Besides the lowest and highest chance, the report gives the
Gini coefficient of those chances (0 when everyone has the same chance; the further from 0, the more
unequal) and how many members have less than half of the "fair share" k/n (panel size over pool size),
the measure Flanigan et al. (Nature 2021) use for members a lottery leaves behind."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import highspy


@dataclass(frozen=True)
class DrawReport:
    members: int  # the pool's size, n
    size: int  # the panel's, k
    lowest: float
    highest: float
    gini: float
    below_half: int  # members whose chance is below half of k/n

    @property
    def half_of_fair(self) -> float:
        return self.size / self.members / 2 if self.members else 0.0

    def as_dict(self) -> dict:
        return dict(lowest=self.lowest, highest=self.highest, gini=self.gini, below_half=self.below_half)


def gini(values: Iterable[float]) -> float:
    """The Gini coefficient: the mean absolute difference between two values over twice their mean."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((2 * i - n - 1) * p for i, p in enumerate(ordered, start=1))
    return max(0.0, weighted / (n * total))


def draw_report(probabilities: dict[str, float], size: int) -> DrawReport:
    chances = list(probabilities.values())
    members = len(chances)
    if not members:
        return DrawReport(0, size, 0.0, 0.0, 0.0, 0)
    half = size / members / 2
    below = sum(1 for p in chances if p < half - 1e-9)  # the lottery's grid: solver noise is not "below"
    return DrawReport(members, size, min(chances), max(chances), round(gini(chances), 9), below)


@cache
def solver_name() -> str:
    """The solver and its version, recorded with each draw: "HiGHS 1.16.0 (highspy 1.16.0)"."""
    return f"HiGHS {highspy.Highs().version()} (highspy {version('highspy')})"
