"""What panel organisers rely on: the draw report, reserves that keep the quotas, the nearest quotas."""

import itertools
import random

import pytest

from domain.insight.sortition import (
    Lottery,
    Quota,
    QuotasCannotBeMet,
    check_quotas,
    draw_report,
    first_suitable_reserve,
    gini,
    meets_quotas,
    nearest_quotas,
    reserve_order,
    solver_name,
)
from domain.kernel.errors import InvalidRequest
from tests.unit.test_sortition import STARVED, STARVED_QUOTAS, mixed_pool


def test_gini_is_zero_for_equal_chances_and_grows_with_inequality():
    assert gini([0.2] * 10) == 0
    assert gini([0.0, 0.0, 0.0, 1.0]) == pytest.approx(0.75)  # (n-1)/n when one member has everything
    assert gini([0.1, 0.3]) == pytest.approx(0.25)  # mean |difference| 0.1 over twice the mean 0.2


def test_the_report_is_read_from_the_lotterys_exact_marginals():
    lottery = Lottery(STARVED, STARVED_QUOTAS, 2)
    report = draw_report(lottery.probabilities, 2)
    chances = sorted(lottery.probabilities.values())
    assert (report.lowest, report.highest) == (chances[0], chances[-1])
    assert report.members == 8 and report.half_of_fair == pytest.approx(2 / 8 / 2)
    assert report.below_half == sum(1 for p in chances if p < 0.125 - 1e-9)
    pairs = sum(abs(a - b) for a, b in itertools.product(chances, chances))
    assert report.gini == pytest.approx(pairs / (2 * 8 * sum(chances)), abs=1e-8)
    assert report.gini > 0  # the starved members cannot all have the same chance


def test_the_solver_is_named_with_its_version():
    assert solver_name().startswith("HiGHS 1.") and "(highspy " in solver_name()


def test_the_reserve_order_is_the_pool_less_the_panel_and_the_same_for_the_same_seed():
    pool, _ = mixed_pool()
    panel = sorted(pool)[:7]
    order = reserve_order(list(pool), panel, 42)
    assert sorted(order) == sorted(set(pool) - set(panel))
    assert order == reserve_order(list(reversed(list(pool))), panel, 42)
    assert order != reserve_order(list(pool), panel, 43)


def test_a_reserve_takes_a_seat_only_if_every_quota_still_holds():
    pool, quotas = mixed_pool()
    lottery, found = Lottery(pool, quotas, 7), 0
    for seed in range(40):
        panel = list(lottery.sample(seed))
        reserves = reserve_order(list(pool), panel, seed)
        leaving = panel[seed % 7]
        chosen = first_suitable_reserve(pool, quotas, panel, leaving, reserves, set())
        rest = [m for m in panel if m != leaving]
        if chosen is None:
            assert not any(meets_quotas(pool, quotas, [*rest, r]) for r in reserves)
            continue
        found += 1
        assert meets_quotas(pool, quotas, [*rest, chosen])
        earlier = reserves[: reserves.index(chosen)]
        assert not any(meets_quotas(pool, quotas, [*rest, r]) for r in earlier)  # the first that keeps them
    assert found >= 30


def test_no_reserve_is_chosen_when_none_keeps_the_quotas_and_passed_over_ones_are_skipped():
    # Two seats: exactly one from A. The only A reserve is passed over (say erased): nobody suits.
    pool = {"a1": {"area": "A"}, "a2": {"area": "A"}, "b1": {"area": "B"}, "b2": {"area": "B"}}
    quotas = [Quota("area", "A", 1, 1)]
    assert first_suitable_reserve(pool, quotas, ["a1", "b1"], "a1", ["b2", "a2"], set()) == "a2"
    assert first_suitable_reserve(pool, quotas, ["a1", "b1"], "a1", ["b2", "a2"], {"a2"}) is None


def test_quotas_that_can_be_met_need_no_change():
    pool, quotas = mixed_pool()
    nearest, changes = nearest_quotas(pool, quotas, 7)
    assert changes == [] and sorted(nearest, key=str) == sorted(quotas, key=str)


def test_the_nearest_quotas_can_be_met_and_change_no_more_than_they_must():
    with pytest.raises(QuotasCannotBeMet):
        check_quotas(STARVED, [Quota("area", "A", 2, 2), Quota("age", "young", 2, 2)], 2)
    asked = [Quota("area", "A", 2, 2), Quota("age", "young", 2, 2)]
    nearest, changes = nearest_quotas(STARVED, asked, 2)
    check_quotas(STARVED, nearest, 2)  # no error: a panel meets them
    moved = sum(b.minimum - a.minimum + a.maximum - b.maximum for b, a in ((c.before, c.after) for c in changes))
    assert moved == 1  # one A-young, and either a second A or a second young: one short by one, no better
    assert all(c.after.minimum <= c.before.minimum and c.after.maximum >= c.before.maximum for c in changes)
    assert all(str(c).count(" becomes ") == 1 for c in changes)


def test_the_least_total_change_against_brute_force():
    rng = random.Random(5)
    for trial in range(15):
        pool = {f"p{i}": {"area": rng.choice("AB C"), "age": rng.choice("xyz")} for i in range(9)}
        quotas = [
            Quota("area", "A", rng.randint(0, 4), 4),
            Quota("age", "x", rng.randint(0, 4), rng.randint(4, 5)),
            Quota("age", "y", 0, rng.randint(0, 2)),
        ]
        nearest, changes = nearest_quotas(pool, quotas, 4)
        check_quotas(pool, nearest, 4)  # a panel meets the nearest quotas
        moved = sum(c.before.minimum - c.after.minimum + c.after.maximum - c.before.maximum for c in changes)
        best = min(
            sum(
                max(0, q.minimum - n) + max(0, n - q.maximum)
                for q in quotas
                for n in [sum(pool[m][q.attribute] == q.value for m in panel)]
            )
            for panel in itertools.combinations(sorted(pool), 4)
        )
        assert moved == best, trial


def test_no_quotas_help_a_pool_smaller_than_the_panel_and_bad_input_is_refused():
    with pytest.raises(QuotasCannotBeMet, match="no change to the quotas can help"):
        nearest_quotas(STARVED, STARVED_QUOTAS, 9)
    with pytest.raises(InvalidRequest, match="at least 3 but at most 1"):
        nearest_quotas(STARVED, [Quota("area", "A", 3, 1)], 2)


def test_after_a_seat_was_left_empty_a_reserve_still_takes_a_seat_if_it_keeps_the_quotas_still_met():
    # Three seats: 1 to 2 from A, at least 1 from B. An earlier B leaver left a seat empty (no B reserve then),
    # so the panel is a1, b1 (A met, B met). Now a1 leaves: an A reserve keeps both; a B reserve would break A.
    pool = {m: {"area": m[0].upper()} for m in ("a1", "a2", "b1", "b2")}
    quotas = [Quota("area", "A", 1, 2), Quota("area", "B", 1, 3)]
    assert first_suitable_reserve(pool, quotas, ["a1", "b1"], "a1", ["b2", "a2"], set()) == "a2"
    # A quota the panel already misses since the empty seat (at least 2 from B) does not stop the seat of the
    # B who leaves now being filled: by the first reserve that keeps A met.
    short = [Quota("area", "A", 1, 2), Quota("area", "B", 2, 3)]
    assert first_suitable_reserve(pool, short, ["a1", "b1"], "b1", ["b2", "a2"], set()) == "b2"
    assert first_suitable_reserve(pool, short, ["a1", "b1"], "b1", ["a2", "b2"], set()) == "a2"
    assert first_suitable_reserve(pool, short, ["a1", "b1"], "a1", ["b2", "a2"], set()) == "a2"  # b2 would break A


def test_a_leaver_erased_since_the_draw_is_replaced_keeping_every_quota_they_could_have_kept():
    # Exactly one from A, at least one from B; the leaver's answers are gone (erased): a1 is missing from the pool.
    pool = {m: {"area": m[0].upper()} for m in ("a2", "b1", "b2")}
    quotas = [Quota("area", "A", 1, 1), Quota("area", "B", 1, 2)]
    assert first_suitable_reserve(pool, quotas, ["a1", "b1"], "a1", ["b2", "a2"], set()) == "a2"
