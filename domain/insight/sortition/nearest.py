"""When no panel meets the quotas: the nearest quotas that can be met.

A mixed-integer programme over the pool's types (how many of each type the panel takes, a whole number
from 0 to how many the pool has, adding up to the panel size) with, for each quota, how far below its
minimum and above its maximum the panel may go; it minimises the total of those. Each quota is then
widened by exactly what it needs (its minimum lowered or its maximum raised), and the panel the
programme found shows the widened quotas can be met. Quotas that need no change are kept as they are."""

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from domain.insight.sortition.deadline import solve
from domain.insight.sortition.quotas import Households, Pool, Quota, QuotasCannotBeMet, group


@dataclass(frozen=True)
class QuotaChange:
    before: Quota
    after: Quota

    def __str__(self) -> str:
        b, a = self.before, self.after
        return f"{b}: {b.minimum} to {b.maximum} becomes {a.minimum} to {a.maximum}"


def nearest_quotas(
    pool: Pool, quotas: Sequence[Quota], size: int, households: Households | None = None
) -> tuple[list[Quota], list[QuotaChange]]:
    """The nearest quotas that a panel of ``size`` from ``pool`` can meet, and the quotas changed
    ([] when the quotas can already be met). QuotasCannotBeMet when no quotas can help (too small a pool).
    The one-per-household rule, when asked for, is kept as it is: it is never changed."""
    types = group(pool, quotas, size, households)
    pool_size = sum(types.counts)
    if size > pool_size:
        raise QuotasCannotBeMet(
            f"The panel needs {size} members but the pool has only {pool_size}: no change to the quotas can help."
        )
    n, m = len(types.counts), len(types.quotas)
    highs = highspy.Highs()
    for option, value in (("output_flag", False), ("threads", 1), ("random_seed", 0)):
        highs.setOptionValue(option, value)
    none, inf = np.array([], np.int32), highspy.kHighsInf
    # columns: x_t (types), then under_q and over_q for each quota
    costs = np.concatenate([np.zeros(n), np.ones(2 * m)])
    upper = np.concatenate([np.array(types.counts, dtype=np.float64), np.full(2 * m, inf)])
    highs.addCols(n + 2 * m, costs, np.zeros(n + 2 * m), upper, 0, none, none, np.array([]))
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    highs.addRow(size, size, n, np.arange(n, dtype=np.int32), np.ones(n))
    for row, quota in enumerate(types.quotas):
        columns = list(types.rows[row])
        index = np.array([*columns, n + row], dtype=np.int32)  # count + under >= minimum
        highs.addRow(quota.minimum, inf, len(index), index, np.ones(len(index)))
        index = np.array([*columns, n + m + row], dtype=np.int32)  # count - over <= maximum
        highs.addRow(-inf, quota.maximum, len(index), index, np.array([1.0] * len(columns) + [-1.0]))
    for household in types.households:
        highs.addRow(-inf, 1, len(household), np.array(household, dtype=np.int32), np.ones(len(household)))
    solve(highs)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise QuotasCannotBeMet("No change to the quotas lets a panel of this size be drawn from this pool.")
    values = highs.getSolution().col_value
    counts = [round(values[t]) for t in range(n)]
    nearest, changes = [], []
    for row, quota in enumerate(types.quotas):
        have = sum(counts[t] for t in types.rows[row])
        after = Quota(quota.attribute, quota.value, min(quota.minimum, have), max(quota.maximum, have))
        nearest.append(after)
        if after != quota:
            changes.append(QuotaChange(quota, after))
    return nearest, changes
