"""Can the quotas be met at all, and if not, which quotas block and by how much, in plain English."""

from collections.abc import Sequence

from domain.insight.sortition.compositions import Composition, Compositions
from domain.insight.sortition.quotas import Households, Pool, Quota, QuotasCannotBeMet, Types, group, plain_checks


def check_quotas(pool: Pool, quotas: Sequence[Quota], size: int, households: Households | None = None) -> None:
    """Raises InvalidRequest for a malformed request and QuotasCannotBeMet when no panel meets the quotas."""
    feasible(group(pool, quotas, size, households))


def feasible(types: Types) -> Composition:
    """One composition that meets the quotas (the first column of the leximin), or QuotasCannotBeMet."""
    plain_checks(types)
    found = Compositions(types).any()
    if found is None:
        raise QuotasCannotBeMet(explanation(types))
    return found


def explanation(types: Types) -> str:
    """A smallest set of quotas that cannot be met together (a deletion filter: drop each quota in turn
    and keep it dropped while the rest still cannot be met), then what each blocking quota lacks."""
    everything = frozenset(range(len(types.quotas)))
    blocking = sorted(everything)
    for row in list(blocking):
        trial = [r for r in blocking if r != row]
        if Compositions(types, relaxed=everything - frozenset(trial)).any() is None:
            blocking = trial
    details = [d for d in (_shortfall(types, row) for row in blocking) if d]
    if len(blocking) == 1:
        return details[0] if details else f"The quota {types.quotas[blocking[0]]} cannot be met."
    names = [str(types.quotas[r]) for r in blocking]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return " ".join([f"The quotas {listed} cannot all be met together in a panel of {types.size}."] + details)


def _shortfall(types: Types, row: int) -> str:
    """With every other quota kept, how far this quota's limits are from what a panel can have."""
    quota = types.quotas[row]
    others = Compositions(types, relaxed=frozenset({row}))
    most, fewest = others.extreme(row, 1), others.extreme(row, -1)
    if most is None or fewest is None:
        return ""
    rule = " and one member a household" if types.households else ""
    if quota.minimum > most:
        return (
            f"The quota {quota} needs at least {quota.minimum} members but, with the other quotas{rule}, only "
            f"{most} can be chosen (short by {quota.minimum - most})."
        )
    if quota.maximum < fewest:
        return (
            f"The quota {quota} allows at most {quota.maximum} members but the other quotas{rule} and the panel "
            f"size need at least {fewest} of them (over by {fewest - quota.maximum})."
        )
    return ""
