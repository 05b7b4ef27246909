"""The ordered reserve list drawn with a panel, and who takes a seat a panel member leaves.

The reserves are every pool member the draw did not choose, in an order drawn from the draw's own seed,
so the record of the draw gives them back (a re-run checks them too). When a panel member leaves, the
first reserve in that order whose taking the seat keeps every quota met is invited: a reserve of the
leaver's own type always does; another may too, if the quotas have room."""

import random
from collections.abc import Mapping, Sequence

from domain.insight.sortition.quotas import Households, Pool, Quota


def reserve_order(pool_keys: Sequence[str], selected: Sequence[str], seed: int) -> list[str]:
    """The pool members not chosen, in the order they are asked to take a seat (the same seed, the same order)."""
    chosen = set(selected)
    reserves = sorted(key for key in pool_keys if key not in chosen)
    random.Random(f"reserves:{seed}").shuffle(reserves)
    return reserves


def _has(pool: Pool, member: str, quota: Quota) -> bool:
    """A member no longer in the pool (erased since the draw) counts for no quota."""
    return (pool[member] if member in pool else {}).get(quota.attribute) == quota.value


def meets_quotas(pool: Pool, quotas: Sequence[Quota], panel: Sequence[str]) -> bool:
    for quota in quotas:
        count = sum(1 for member in panel if _has(pool, member, quota))
        if not quota.minimum <= count <= quota.maximum:
            return False
    return True


def unmet(pool: Pool, quotas: Sequence[Quota], panel: Sequence[str]) -> list[str]:
    """The quotas a panel misses, as "area = CA1 (2, needs 3 to 5)"."""
    missed = []
    for quota in quotas:
        count = sum(1 for member in panel if _has(pool, member, quota))
        if not quota.minimum <= count <= quota.maximum:
            missed.append(f"{quota} ({count}, needs {quota.minimum} to {quota.maximum})")
    return missed


def _met_with_the_leaver(pool: Pool, quota: Quota, rest: Sequence[str], leaving: str) -> bool:
    """Whether the panel met the quota with the leaver on it. A leaver erased since the draw cannot be read:
    the quota counts as met if they could have made it so (so no quota is dropped for want of their answers)."""
    count = sum(1 for member in rest if _has(pool, member, quota))
    if leaving in pool:
        return quota.minimum <= count + _has(pool, leaving, quota) <= quota.maximum
    return quota.minimum - 1 <= count <= quota.maximum


def first_suitable_reserve(
    pool: Mapping[str, Mapping[str, str]],
    quotas: Sequence[Quota],
    panel: Sequence[str],
    leaving: str,
    reserves: Sequence[str],
    passed_over: set[str],
    households: Households | None = None,
) -> str | None:
    """The first reserve (not in ``passed_over``: used, erased, no longer consenting) who, taking the
    leaver's seat, keeps every quota met: every quota the panel meets with the leaver, it meets with the
    reserve instead (all of them, unless an earlier seat was left empty). With ``households``, a reserve
    who lives with someone still on the panel is passed over too. None when no reserve does."""
    rest = [member for member in panel if member != leaving]
    kept = [quota for quota in quotas if _met_with_the_leaver(pool, quota, rest, leaving)]
    homes = households or {}
    seated_homes = {homes[member] for member in rest if homes.get(member)}
    for reserve in reserves:
        if reserve in passed_over or reserve in panel or reserve not in pool:
            continue
        if homes.get(reserve) in seated_homes:
            continue
        if meets_quotas(pool, kept, [*rest, reserve]):
            return reserve
    return None
