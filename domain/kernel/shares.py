"""Sharing a whole number of units (pence, percentage points) in proportion to weights,
so the parts add up to the whole exactly."""

from collections.abc import Sequence
from fractions import Fraction
from math import floor


def largest_remainder(total: int, weights: Sequence[Fraction | int]) -> list[int]:
    """``total`` shared in whole units in proportion to ``weights``, adding up to ``total`` exactly:
    each gets the whole part of its share, and the units left over go one each to the largest
    remainders (on a tie, to the one listed first)."""
    whole = sum(weights, Fraction(0))
    if whole <= 0:
        raise ValueError("at least one weight must be above zero")
    exact = [Fraction(total) * weight / whole for weight in weights]
    shares = [floor(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares
