"""The community-panel draw: quotas always met, the same seed the same panel, leximin's fairness."""

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from domain.insight.sortition import (
    ALGORITHM,
    Lottery,
    Quota,
    QuotasCannotBeMet,
    check_quotas,
    draw_panel,
    greedy_stratified_draw,
    selection_probabilities,
)
from domain.kernel.errors import InvalidRequest


def people(spec: dict[tuple[str, ...], int], attributes: tuple[str, ...]) -> dict[str, dict[str, str]]:
    pool, i = {}, 0
    for values, count in spec.items():
        for _ in range(count):
            pool[f"m{i:03d}"] = dict(zip(attributes, values, strict=True)) | {"postcode": f"X{i}"}
            i += 1
    return pool


# Two seats; exactly one from the rare area A and exactly one young member.
STARVED = people({("A", "young"): 1, ("A", "old"): 1, ("B", "young"): 1, ("B", "old"): 5}, ("area", "age"))
STARVED_QUOTAS = [Quota("area", "A", 1, 1), Quota("age", "young", 1, 1)]


def mixed_pool(seed: int = 3, members: int = 30) -> tuple[dict[str, dict[str, str]], list[Quota]]:
    rng = random.Random(seed)
    pool = {
        f"k{i:02d}": {"area": rng.choice("PQQRRR"), "age": rng.choice(["16-34", "35-64", "35-64", "65+"])}
        for i in range(members)
    }
    quotas = [
        Quota("area", "P", 1, 3),
        Quota("area", "Q", 2, 3),
        Quota("age", "65+", 2, 3),
        Quota("age", "16-34", 1, 2),
    ]
    return pool, quotas


def test_every_draw_meets_the_quotas_exactly():
    pool, quotas = mixed_pool()
    lottery = Lottery(pool, quotas, 7)
    for seed in range(300):
        panel = lottery.sample(seed)
        assert len(panel) == len(set(panel)) == 7 and list(panel) == sorted(panel)
        for q in quotas:
            assert q.minimum <= sum(pool[m][q.attribute] == q.value for m in panel) <= q.maximum


def test_the_same_seed_gives_the_same_panel_and_other_seeds_differ():
    pool, quotas = mixed_pool()
    first = draw_panel(pool, quotas, 7, seed=42)
    again = draw_panel(dict(reversed(list(pool.items()))), list(reversed(quotas)), 7, seed=42)
    assert first == again
    assert (first.algorithm, first.seed) == (ALGORITHM, 42)
    assert len({draw_panel(pool, quotas, 7, seed=s).selected for s in range(5)}) > 1


def test_probabilities_sum_to_the_size_and_members_of_a_type_share_one():
    pool, quotas = mixed_pool()
    draw = draw_panel(pool, quotas, 7, seed=1)
    assert set(draw.probabilities) == set(pool)
    assert sum(draw.probabilities.values()) == pytest.approx(7, abs=1e-9)
    by_type: dict[tuple[str, str], set[float]] = {}
    for key, p in draw.probabilities.items():
        by_type.setdefault((pool[key]["area"], pool[key]["age"]), set()).add(p)
    assert all(len(ps) == 1 for ps in by_type.values())
    assert draw.lowest == min(draw.probabilities.values()) and draw.highest == max(draw.probabilities.values())


def test_without_binding_quotas_everyone_has_the_same_chance():
    pool, _ = mixed_pool()
    loose = [Quota("area", "P", 0, 30), Quota("age", "65+", 0, 30)]
    probabilities = selection_probabilities(pool, loose, 6)
    assert all(p == pytest.approx(6 / 30, abs=1e-9) for p in probabilities.values())


def test_leximin_lifts_the_members_the_greedy_draw_starves():
    # Hand-check: a panel is {A-young, one B-old} or {A-old, B-young}. If the first has probability a,
    # each B-old has a/5 and A-old and B-young have 1-a; the lowest is highest when a/5 = 1-a: a = 5/6.
    probabilities = selection_probabilities(STARVED, STARVED_QUOTAS, 2)
    expected = {("A", "young"): 5 / 6, ("A", "old"): 1 / 6, ("B", "young"): 1 / 6, ("B", "old"): 1 / 6}
    for key, p in probabilities.items():
        assert p == pytest.approx(expected[(STARVED[key]["area"], STARVED[key]["age"])], abs=1e-7)
    # The greedy draw serves the young quota first, half the time with A-young; each B-old gets 1/10.
    runs = 2000
    b_old = [k for k, v in STARVED.items() if (v["area"], v["age"]) == ("B", "old")]
    picked = sum(len(set(greedy_stratified_draw(STARVED, STARVED_QUOTAS, 2, s)) & set(b_old)) for s in range(runs))
    greedy_b_old = picked / (runs * len(b_old))
    assert greedy_b_old == pytest.approx(0.1, abs=0.02)
    assert greedy_b_old < min(probabilities.values())


def brute_force_maximin(pool, quotas, size) -> float:
    """The highest lowest chance over ALL panels of a tiny pool, by enumeration and one LP (scipy)."""
    keys = sorted(pool)
    panels = [
        p
        for p in itertools.combinations(keys, size)
        if all(q.minimum <= sum(pool[m][q.attribute] == q.value for m in p) <= q.maximum for q in quotas)
    ]
    # variables: one probability per panel, then z; maximise z s.t. z <= P(member chosen) for every member
    cost = [0.0] * len(panels) + [-1.0]
    rows = [[-float(k in p) for p in panels] + [1.0] for k in keys]
    result = linprog(
        cost, A_ub=rows, b_ub=[0.0] * len(keys), A_eq=[[1.0] * len(panels) + [0.0]], b_eq=[1.0], method="highs"
    )
    return -result.fun


def test_the_lowest_chance_is_the_best_possible_over_every_panel():
    pool, quotas = mixed_pool(seed=5, members=12)
    lottery = Lottery(pool, quotas, 5)
    assert lottery.lowest == pytest.approx(brute_force_maximin(pool, quotas, 5), abs=1e-7)
    starved = Lottery(STARVED, STARVED_QUOTAS, 2)
    assert starved.lowest == pytest.approx(brute_force_maximin(STARVED, STARVED_QUOTAS, 2), abs=1e-7)


def brute_force_leximin(pool, quotas, size) -> list[float]:
    """Every member's chance in the leximin lottery over ALL panels of a tiny pool, sorted: by enumeration
    and one LP a stage (scipy), fixing the members whose row has a dual weight, as Flanigan et al. do."""
    keys = sorted(pool)
    panels = [
        p
        for p in itertools.combinations(keys, size)
        if all(q.minimum <= sum(pool[m][q.attribute] == q.value for m in p) <= q.maximum for q in quotas)
    ]
    fixed: dict[str, float] = {}
    while len(fixed) < len(keys):
        cost = [0.0] * len(panels) + [-1.0]
        rows, bounds = [], []
        for k in keys:  # z - P(k) <= 0 while k is free; -P(k) <= -fixed[k] once fixed
            rows.append([-float(k in p) for p in panels] + [0.0 if k in fixed else 1.0])
            bounds.append(-fixed.get(k, 0.0))
        eq = [[1.0] * len(panels) + [0.0]]
        result = linprog(cost, A_ub=rows, b_ub=bounds, A_eq=eq, b_eq=[1.0], method="highs")
        duals = dict(zip(keys, result.ineqlin.marginals, strict=True))
        free = [k for k in keys if k not in fixed]
        for k in [k for k in free if duals[k] < -1e-9] or [min(free, key=lambda k: duals[k])]:
            fixed[k] = -result.fun - 1e-9  # a hair below, so the next stage stays feasible
    return sorted(fixed.values())


def tiny_three_attribute_pool(seed: int) -> tuple[dict[str, dict[str, str]], list[Quota], int]:
    rng = random.Random(seed)
    values = {a: [f"{a}{i}" for i in range(rng.choice([2, 2, 3]))] for a in "abc"}
    members = rng.randint(4, 9)
    size = rng.randint(2, min(5, members - 1))
    pool = {f"m{i}": {a: rng.choice(v) for a, v in values.items()} for i in range(members)}
    quotas = []
    for attribute, vs in values.items():
        for v in vs:
            low = rng.randint(0, 2)
            quotas.append(Quota(attribute, v, low, low + rng.randint(0, 2)))
    return pool, quotas, size


@pytest.mark.parametrize("seed", [116, 203, 347, 738, 1155, 1202, 8, 29, 46, 49])
def test_every_chance_is_leximin_over_all_panels_whether_or_not_the_relaxation_is_reached(seed):
    # The first six pools' quotas have a relaxation no lottery reaches (the staged column generation
    # runs); the last four's is reached (it alone gives the lottery). Either way every member's chance is
    # the leximin one, found by enumerating every panel.
    from domain.insight.sortition.compositions import Compositions
    from domain.insight.sortition.leximin import _reaches
    from domain.insight.sortition.quotas import group
    from domain.insight.sortition.relaxation import relaxed_leximin

    pool, quotas, size = tiny_three_attribute_pool(seed)
    types = group(pool, quotas, size)
    lottery = Lottery(pool, quotas, size)
    counts = np.array(types.counts, dtype=np.float64)
    reached = _reaches(relaxed_leximin(types), Compositions(types), list(lottery.compositions), counts)
    assert reached == (seed in (8, 29, 46, 49))
    assert sorted(lottery.probabilities.values()) == pytest.approx(brute_force_leximin(pool, quotas, size), abs=1e-7)


def test_without_the_relaxations_bound_the_stages_alone_give_the_same_chances(monkeypatch):
    # If the solver cannot settle the relaxation (relaxed_leximin gives None), the draw does without it.
    pool, quotas, size = tiny_three_attribute_pool(46)
    with_bound = Lottery(pool, quotas, size).probabilities
    monkeypatch.setattr("domain.insight.sortition.leximin.relaxed_leximin", lambda types: None)
    without = Lottery(pool, quotas, size).probabilities
    assert without == pytest.approx(with_bound, abs=1e-7)
    assert sorted(without.values()) == pytest.approx(brute_force_leximin(pool, quotas, size), abs=1e-7)


def their_maximin(pool, quotas, size) -> float:
    """The lowest chance by the Sortition Foundation's maximin (sortition-algorithms, its own HiGHS
    column generation): an exact maximin computed another way."""
    from requests.structures import CaseInsensitiveDict
    from sortition_algorithms.committee_generation import find_distribution_maximin
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People

    attributes = sorted({q.attribute for q in quotas})
    limits = {(q.attribute, q.value): q for q in quotas}
    features = CaseInsensitiveDict()
    for attribute in attributes:
        values = sorted({v[attribute] for v in pool.values()})
        features[attribute] = CaseInsensitiveDict(
            {
                v: FeatureValueMinMax(min=limits[(attribute, v)].minimum, max=limits[(attribute, v)].maximum)
                if (attribute, v) in limits
                else FeatureValueMinMax(min=0, max=size)
                for v in values
            }
        )
    people_ = People([])
    for row, (key, profile) in enumerate(sorted(pool.items())):
        people_.add(key, {a: profile[a] for a in attributes}, features, row)
    committees, weights, _ = find_distribution_maximin(features, people_, size, [])
    return min(sum(w for c, w in zip(committees, weights, strict=True) if key in c) for key in pool)


def test_the_lowest_chance_matches_the_sortition_foundations_maximin():
    pool, quotas = mixed_pool(seed=8, members=24)
    assert Lottery(pool, quotas, 6).lowest == pytest.approx(their_maximin(pool, quotas, 6), abs=1e-4)


def test_with_most_members_a_type_of_their_own_every_panel_meets_the_quotas_and_the_lowest_is_the_best():
    # Four quoted attributes over 60 members make 37 types, most of one or two members: the swap search
    # runs. Every composition in the lottery meets the quotas, the lowest equals the Sortition
    # Foundation's maximin, and computing it again gives the same lottery.
    rng = random.Random(20)
    values = {"area": "PQRS", "age": "YMO", "gender": "wm", "tenure": "ROX"}
    pool = {f"p{i:02d}": {a: rng.choice(vs) for a, vs in values.items()} for i in range(60)}
    quotas = [
        Quota("area", "P", 2, 3),
        Quota("area", "S", 1, 2),
        Quota("age", "Y", 3, 4),
        Quota("age", "O", 2, 3),
        Quota("gender", "w", 5, 5),
        Quota("tenure", "R", 3, 4),
        Quota("tenure", "X", 1, 2),
    ]
    lottery = Lottery(pool, quotas, 10)
    assert len(lottery.types.counts) >= 35
    for composition in lottery.compositions:
        assert sum(composition) == 10
        for row, q in zip(lottery.types.rows, lottery.types.quotas, strict=True):
            assert q.minimum <= sum(composition[t] for t in row) <= q.maximum
    assert lottery.lowest == pytest.approx(their_maximin(pool, quotas, 10), abs=1e-6)
    again = Lottery(dict(reversed(list(pool.items()))), list(reversed(quotas)), 10)
    assert (again.compositions, again.weights) == (lottery.compositions, lottery.weights)


AREAS = people({("CA1",): 10, ("CA2",): 6, ("CA3",): 4}, ("area",))


@pytest.mark.parametrize(
    ("quotas", "size", "message"),
    [
        (
            [Quota("area", "CA3", 6, 8)],
            5 + 5,
            "The quota area = CA3 needs at least 6 members but only 4 in the pool can be chosen (short by 2).",
        ),
        (
            [Quota("area", "CA1", 8, 10), Quota("area", "CA2", 5, 6), Quota("area", "CA3", 3, 4)],
            15,
            "The minimums for area add up to 16, more than the panel size 15.",
        ),
        (
            [Quota("area", "CA1", 0, 7), Quota("area", "CA2", 0, 5), Quota("area", "CA3", 0, 3)],
            18,
            "The maximums for area add up to 15, fewer than the panel size 18.",
        ),
        ([], 21, "The panel needs 21 members but the pool has only 20."),
    ],
)
def test_quotas_that_cannot_be_met_are_explained(quotas, size, message):
    with pytest.raises(QuotasCannotBeMet) as raised:
        check_quotas(AREAS, quotas, size)
    assert str(raised.value) == message
    with pytest.raises(QuotasCannotBeMet, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        draw_panel(AREAS, quotas, size, seed=1)


def test_quotas_that_clash_across_attributes_are_named_with_their_shortfall():
    pool = people({("A", "old"): 5, ("B", "young"): 5}, ("area", "age"))
    quotas = [Quota("area", "A", 3, 5), Quota("age", "young", 3, 5)]
    with pytest.raises(QuotasCannotBeMet) as raised:
        draw_panel(pool, quotas, 5, seed=1)
    assert str(raised.value) == (
        "The quotas age = young and area = A cannot all be met together in a panel of 5. "
        "The quota age = young needs at least 3 members but, with the other quotas, only 2 can be chosen "
        "(short by 1). The quota area = A needs at least 3 members but, with the other quotas, only 2 can be "
        "chosen (short by 1)."
    )


@pytest.mark.parametrize(
    ("quotas", "size", "message"),
    [
        ([Quota("area", "CA1", 5, 3)], 4, "The quota area = CA1 asks for at least 5 but at most 3 members."),
        ([Quota("area", "CA1", -1, 3)], 4, "The quota area = CA1 has a negative limit (-1 to 3)."),
        ([], 0, "A panel needs at least one member; 0 was asked for."),
        ([Quota("area", "CA1", 1, 3)] * 2, 4, "The quota area = CA1 is given twice."),
        ([Quota("tenure", "renting", 1, 3)], 4, "Member m000 has no value for tenure."),
    ],
)
def test_malformed_requests_are_refused(quotas, size, message):
    with pytest.raises(InvalidRequest) as raised:
        draw_panel(AREAS, quotas, size, seed=1)
    assert str(raised.value) == message and not isinstance(raised.value, QuotasCannotBeMet)


def test_attributes_and_values_without_quotas_are_left_free():
    pool = people({("CA1", "x"): 4, ("CA2", "y"): 4, ("CA9", "z"): 2}, ("area", "tenure"))
    lottery = Lottery(pool, [Quota("area", "CA1", 2, 2)], 4)
    assert len(lottery.types.counts) == 3  # tenure has no quota, so it makes no types
    assert lottery.lowest == pytest.approx(2 / 6, abs=1e-7)  # the other 2 seats shared by the 6 outside CA1
