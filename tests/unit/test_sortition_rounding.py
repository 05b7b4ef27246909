"""Rounding the relaxation's leximin point into panels (issue 20): on a pool of hundreds of types its
panels alone give the leximin lottery, with no column generation; every panel it proposes is a real one."""

import random

import pytest

from domain.insight.sortition import Lottery, Quota
from domain.insight.sortition.compositions import Compositions
from domain.insight.sortition.quotas import group
from domain.insight.sortition.relaxation import relaxed_leximin
from domain.insight.sortition.rounding import round_to_panels
from tests.hard_panel import SIZE, hard_profiles, hard_quotas


def test_on_hundreds_of_types_the_rounded_panels_alone_give_the_leximin_lottery(monkeypatch):
    # 500 members, 20 quotas over four attributes: 276 types, where column generation took tens of
    # seconds. Every member's chance is the relaxation's leximin, an upper bound no lottery beats, so the
    # lottery is leximin-optimal; and no composition was ever priced.
    pool = {f"member-{n:03d}": profile for n, profile in enumerate(hard_profiles())}

    class NoColumnGeneration(Compositions):
        def improving(self, *args, **kwargs):
            raise AssertionError("the rounded panels should reach the target with no pricing")

    monkeypatch.setattr("domain.insight.sortition.leximin.Compositions", NoColumnGeneration)
    lottery = Lottery(pool, hard_quotas(), SIZE)
    target = relaxed_leximin(lottery.types)
    assert len(lottery.types.counts) > 250
    assert lottery.type_probabilities == pytest.approx(list(target), abs=1e-7)
    assert lottery.lowest == pytest.approx(float(target.min()), abs=1e-8)


def random_request(seed: int) -> tuple[dict[str, dict[str, str]], list[Quota], int, dict[str, str]]:
    rng = random.Random(seed)
    members = rng.randint(30, 120)
    pool = {
        f"m{i:03d}": {
            "area": rng.choice("ABCD"),
            "age": rng.choice(["young", "middle", "old"]),
            "tenure": rng.choice("RO"),
        }
        for i in range(members)
    }
    size = rng.randint(5, 15)
    quotas = [
        Quota("area", "A", size // 5, size // 2),
        Quota("area", "B", 1, size // 2),
        Quota("age", "young", size // 4, size // 2 + 1),
        Quota("age", "old", 1, size // 2),
        Quota("tenure", "R", size // 3, size - size // 3),
    ]
    keys = sorted(pool)
    households = {key: f"h{rng.randrange(members // 2)}" for key in rng.sample(keys, members // 3)}
    return pool, quotas, size, households


@pytest.mark.parametrize("seed", range(12))
def test_every_rounded_panel_has_the_size_meets_every_quota_and_keeps_households(seed):
    pool, quotas, size, households = random_request(seed)
    types = group(pool, quotas, size, households)
    target = relaxed_leximin(types)
    panels = round_to_panels(types, target)
    assert panels, "the walk proposes at least its first panel"
    for panel in panels:
        assert sum(panel) == size
        assert all(0 <= x <= n for x, n in zip(panel, types.counts, strict=True))
        for columns, lower, upper in types.limits:  # the quotas, then at most one member a household
            assert lower <= sum(panel[t] for t in columns) <= upper
    assert len(set(panels)) == len(panels)
