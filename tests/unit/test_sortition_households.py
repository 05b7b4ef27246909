"""At most one member of a household on a panel (issue 20's household rule), in the draw's own terms:
the lottery, the greedy yardstick, the nearest quotas and the reserves all keep it."""

import itertools
import random

import pytest
from scipy.optimize import linprog

from domain.insight.sortition import (
    Lottery,
    Quota,
    QuotasCannotBeMet,
    check_quotas,
    first_suitable_reserve,
    greedy_stratified_draw,
    nearest_quotas,
)
from domain.insight.sortition.quotas import group

# Ten members in two areas; m0, m1 and m2 live together, so do m5 and m6; the others live alone.
POOL = {f"m{i}": {"area": "A" if i < 5 else "B", "age": "young" if i % 2 else "old"} for i in range(10)}
HOUSEHOLDS = {"m0": "h1", "m1": "h1", "m2": "h1", "m5": "h2", "m6": "h2", "m9": "h3"}
QUOTAS = [Quota("area", "A", 2, 2), Quota("age", "young", 1, 3)]


def brute_force_leximin(pool, quotas, size, households) -> dict[str, float]:
    """Each member's chance in the leximin lottery over every panel with at most one member a household,
    by enumeration and one LP a stage (scipy)."""
    keys = sorted(pool)
    panels = [
        p
        for p in itertools.combinations(keys, size)
        if all(q.minimum <= sum(pool[m][q.attribute] == q.value for m in p) <= q.maximum for q in quotas)
        and len({households.get(m, m) for m in p}) == size
    ]
    fixed: dict[str, float] = {}
    while len(fixed) < len(keys):
        rows = [[-float(k in p) for p in panels] + [0.0 if k in fixed else 1.0] for k in keys]
        bounds = [-fixed.get(k, 0.0) for k in keys]
        eq = [[1.0] * len(panels) + [0.0]]
        result = linprog([0.0] * len(panels) + [-1.0], A_ub=rows, b_ub=bounds, A_eq=eq, b_eq=[1.0], method="highs")
        duals = dict(zip(keys, result.ineqlin.marginals, strict=True))
        free = [k for k in keys if k not in fixed]
        for k in [k for k in free if duals[k] < -1e-9] or [min(free, key=lambda k: duals[k])]:
            fixed[k] = -result.fun - 1e-9
    return fixed


def test_no_panel_in_the_lottery_seats_two_members_of_a_household():
    lottery = Lottery(POOL, QUOTAS, 4, HOUSEHOLDS)
    for seed in range(300):
        panel = lottery.sample(seed)
        assert len({HOUSEHOLDS.get(m, m) for m in panel}) == 4, panel
    # without the rule, panels with housemates are drawn
    free = Lottery(POOL, QUOTAS, 4)
    assert any(len({HOUSEHOLDS.get(m, m) for m in free.sample(seed)}) < 4 for seed in range(300))


def test_every_chance_is_the_leximin_one_over_the_panels_that_keep_the_rule():
    lottery = Lottery(POOL, QUOTAS, 4, HOUSEHOLDS)
    expected = brute_force_leximin(POOL, QUOTAS, 4, HOUSEHOLDS)
    assert lottery.probabilities == pytest.approx(expected, abs=1e-7)
    # a household's members share one seat between them at most
    assert sum(lottery.probabilities[m] for m in ("m0", "m1", "m2")) <= 1 + 1e-9
    assert sum(lottery.probabilities.values()) == pytest.approx(4)


def test_on_a_larger_pool_with_many_households_the_rule_and_the_quotas_hold_and_leximin_is_exact():
    rng = random.Random(7)
    pool = {f"p{i:02d}": {"area": rng.choice("PQR"), "age": rng.choice("YMO")} for i in range(14)}
    households = {f"p{i:02d}": f"home{i // 2}" for i in range(0, 10)}  # five couples, four living alone
    quotas = [Quota("area", "P", 1, 2), Quota("age", "Y", 1, 2)]
    lottery = Lottery(pool, quotas, 4, households)
    assert len(lottery.types.households) == 5
    assert lottery.probabilities == pytest.approx(brute_force_leximin(pool, quotas, 4, households), abs=1e-7)
    for composition in lottery.compositions:
        for household in lottery.types.households:
            assert sum(composition[t] for t in household) <= 1


def test_the_greedy_draw_keeps_the_rule_too():
    for seed in range(100):
        panel = greedy_stratified_draw(POOL, QUOTAS, 4, seed, HOUSEHOLDS)
        assert len({HOUSEHOLDS.get(m, m) for m in panel}) == 4


def test_a_pool_with_too_few_households_for_the_panel_is_refused_with_the_reason():
    together = {key: "one-home" for key in list(POOL)[:8]}  # eight share one home: three households in all
    with pytest.raises(QuotasCannotBeMet) as refused:
        check_quotas(POOL, [], 4, together)
    assert str(refused.value) == (
        "The panel needs 4 members but the pool's 10 members live in only 3 households, "
        "and a panel takes at most one member of a household."
    )
    check_quotas(POOL, [], 3, together)  # three can be drawn


def test_quotas_the_rule_makes_unmeetable_are_named_and_the_nearest_keep_the_rule():
    # Area A has five members, but three of them live together: only three households to fill 4 seats.
    quotas = [Quota("area", "A", 4, 4)]
    check_quotas(POOL, quotas, 4)  # without the rule the quota can be met
    with pytest.raises(QuotasCannotBeMet) as refused:
        check_quotas(POOL, quotas, 4, HOUSEHOLDS)
    assert str(refused.value) == (
        "The quota area = A needs at least 4 members but, with the other quotas and one member a household, "
        "only 3 can be chosen (short by 1)."
    )
    nearest, changes = nearest_quotas(POOL, quotas, 4, HOUSEHOLDS)
    assert [str(change) for change in changes] == ["area = A: 4 to 4 becomes 3 to 4"]
    check_quotas(POOL, nearest, 4, HOUSEHOLDS)


def test_housemates_are_types_of_their_own_and_a_member_alone_in_the_pool_is_not():
    types = group(POOL, QUOTAS, 4, {**HOUSEHOLDS, "m9": "h3"})  # m9's household has nobody else in the pool
    housemates = {key for household in types.households for t in household for key in types.members[t]}
    assert housemates == {"m0", "m1", "m2", "m5", "m6"}
    assert all(len(types.members[t]) == 1 for household in types.households for t in household)
    assert any("m9" in keys and len(keys) > 1 for keys in types.members)


def test_a_reserve_who_lives_with_someone_on_the_panel_is_passed_over():
    panel = ["m0", "m3", "m7", "m8"]  # m0 leaves; m1 (their housemate) is gone with them, so m1 may come
    reserves = ["m6", "m1", "m4"]
    seated = ["m5", "m3", "m7", "m8"]  # m5 leaves; m6 lives with m5, who leaves: m6 may take the seat
    assert first_suitable_reserve(POOL, [], panel, "m0", reserves, set(), HOUSEHOLDS) == "m6"
    assert first_suitable_reserve(POOL, [], seated, "m5", reserves, set(), HOUSEHOLDS) == "m6"
    with_m5 = ["m5", "m3", "m7", "m0"]  # m0 leaves while m5 stays: m6 lives with m5, so m1 (m0's) is next
    assert first_suitable_reserve(POOL, [], with_m5, "m0", reserves, set(), HOUSEHOLDS) == "m1"
    without_rule = first_suitable_reserve(POOL, [], with_m5, "m0", reserves, set())
    assert without_rule == "m6"
