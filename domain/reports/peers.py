"""How a member's figure compares with its peers', and which comparisons may be published.

A peer group's figures are summarised as the quartiles (the lower quartile, the median, the upper
quartile, by linear interpolation between the sorted figures) and where the member stands among
them. What is published must never let anyone read or closely estimate one member's own figure:

- **Minimum cell size**: a group with fewer peers than the trust's live minimum is withheld.
- **Dominance, the (n, k) rule** (money figures, as official statistics use for turnover): withheld
  when the n largest figures make up more than k % of the group's total; a few large members would
  otherwise be readable from any summary.
- **The p % rule** (money figures): withheld when the total less the two largest figures is under
  p % of the largest; the second largest member could then estimate the largest within p %.
- Published money figures are rounded to three significant figures, so no quartile is a member's
  exact figure to the penny.

The thresholds are trust rules members change by vote (domain/governance/rules.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from math import floor, log10

import numpy as np


@dataclass(frozen=True)
class DisclosureRules:
    min_cell: int  # the fewest peers a published figure may summarise
    dominance_n: int  # the (n, k) rule: the n largest ...
    dominance_k: int  # ... may make up at most k % of the total
    p_percent: int  # the p % rule


@dataclass(frozen=True)
class Comparison:
    """One figure of one member against its peers: published, or withheld with the reason."""

    peers: int
    lower_quartile: float | None = None
    median: float | None = None
    upper_quartile: float | None = None
    quarter: int | None = None  # 1 (lowest quarter of its peers) to 4 (highest); None: no figure of its own
    withheld: str | None = None  # why nothing is published, in a sentence


def quartiles(figures: list[float] | np.ndarray) -> tuple[float, float, float]:
    """The lower quartile, median and upper quartile, by linear interpolation (Excel's QUARTILE.INC)."""
    return _quartiles_of_sorted(np.sort(np.asarray(figures, dtype=float)))


def _quartiles_of_sorted(ordered: np.ndarray) -> tuple[float, float, float]:
    def at(share: float) -> float:
        place = share * (len(ordered) - 1)
        below = floor(place)
        above = min(below + 1, len(ordered) - 1)
        return float(ordered[below] + (ordered[above] - ordered[below]) * (place - below))

    return at(0.25), at(0.5), at(0.75)


def rounded(value: float, figures: int = 3) -> float:
    """``value`` to ``figures`` significant figures (0 stays 0)."""
    if value == 0:
        return 0.0
    return round(value, figures - 1 - floor(log10(abs(value))))


def why_withheld(figures: list[float] | np.ndarray, rules: DisclosureRules, money: bool) -> str | None:
    """The sentence that says why this group's figures are withheld, or None if they may be published."""
    return _why_withheld_sorted(np.sort(np.abs(np.asarray(figures, dtype=float))), rules, money)


def _why_withheld_sorted(ordered: np.ndarray, rules: DisclosureRules, money: bool) -> str | None:
    """The same, for the figures' sizes sorted from smallest to largest."""
    if len(ordered) < rules.min_cell:
        return f"Fewer than {rules.min_cell} peers: too few to compare without revealing one."
    if not money:
        return None
    total = float(ordered.sum())
    if total == 0:
        return None
    largest = float(ordered[-rules.dominance_n :].sum())
    if largest * 100 > rules.dominance_k * total:
        few = "one member holds" if rules.dominance_n == 1 else f"the {rules.dominance_n} largest hold"
        return f"Withheld: {few} more than {rules.dominance_k}% of the group's total, so it could be estimated."
    first, second = float(ordered[-1]), float(ordered[-2]) if len(ordered) > 1 else 0.0
    if (total - first - second) * 100 < rules.p_percent * first:
        return (
            f"Withheld: the others' figures are too small beside the largest; "
            f"a peer could estimate it within {rules.p_percent}%."
        )
    return None


def compare(
    own: float | None, peers: Sequence[float] | np.ndarray, rules: DisclosureRules, money: bool = False
) -> Comparison:
    """``own`` (the member's figure, included in ``peers``) against its peer group. The figures are
    sorted once (numpy: a group may hold thousands)."""
    ordered = np.sort(np.asarray(peers, dtype=float))
    sizes = ordered if len(ordered) == 0 or ordered[0] >= 0 else np.sort(np.abs(ordered))
    reason = _why_withheld_sorted(sizes, rules, money)
    if reason is not None:
        return Comparison(len(peers), withheld=reason)
    low, middle, high = _quartiles_of_sorted(ordered)
    show = rounded if money else (lambda value: round(value, 1))
    quarter = None
    if own is not None:
        quarter = 1 if own < low else 2 if own < middle else 3 if own < high else 4
    return Comparison(len(peers), show(low), show(middle), show(high), quarter)
