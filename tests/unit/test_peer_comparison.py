"""A member's figure against its peers': quartiles, and the disclosure rules that withhold a group
whose figures would reveal one member's (minimum cell size, dominance (n, k), p %)."""

import statistics

from hypothesis import given
from hypothesis import strategies as st

from domain.reports.peers import DisclosureRules, compare, quartiles, rounded, why_withheld

RULES = DisclosureRules(min_cell=10, dominance_n=2, dominance_k=80, p_percent=10)
INCOMES = [120_000, 95_000, 210_000, 80_000, 150_000, 175_000, 99_000, 130_000, 60_000, 140_000]


def test_a_member_sees_its_peers_quartiles_and_which_quarter_it_is_in():
    seen = compare(150_000, INCOMES, RULES, money=True)
    assert seen.withheld is None and seen.peers == 10
    assert (seen.lower_quartile, seen.median, seen.upper_quartile) == (
        96_000.0,
        125_000.0,
        148_000.0,
    )  # 147,500 to 3 figures
    assert seen.quarter == 4
    assert compare(60_000, INCOMES, RULES, money=True).quarter == 1
    assert compare(None, INCOMES, RULES, money=True).quarter is None  # a figure it has not shared


def test_a_group_smaller_than_the_minimum_cell_is_withheld_with_the_reason():
    seen = compare(150_000, INCOMES[:9], RULES, money=True)
    assert seen.median is None and seen.quarter is None
    assert seen.withheld == "Fewer than 10 peers: too few to compare without revealing one."


def test_a_group_two_large_members_dominate_is_withheld():
    dominated = [5_000_000, 3_000_000] + [50_000] * 8  # the two largest hold 95 % of the total
    assert "the 2 largest hold more than 80%" in compare(50_000, dominated, RULES, money=True).withheld
    assert compare(3, [3] * 8 + [1000, 900], RULES, money=False).withheld is None  # counts: no dominance rule


def test_the_p_percent_rule_catches_what_dominance_lets_through():
    rules = DisclosureRules(min_cell=10, dominance_n=1, dominance_k=60, p_percent=10)
    group = [100, 95] + [1] * 8  # the largest is 49 % of the total, but the rest besides the second is 8
    assert why_withheld(group, rules, money=True).startswith("Withheld: the others' figures are too small")


def test_money_is_published_to_three_significant_figures():
    assert rounded(123_456) == 123_000 and rounded(98_765) == 98_800 and rounded(0) == 0
    assert compare(1, [101_234, 99_876] * 5, RULES, money=True).median == 101_000


@given(st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=60))
def test_quartiles_agree_with_the_standard_library(figures):
    if len(figures) == 1:
        assert quartiles(figures) == (figures[0],) * 3
        return
    expected = statistics.quantiles(figures, n=4, method="inclusive")
    for ours, theirs in zip(quartiles(figures), expected, strict=True):
        assert abs(ours - theirs) <= 1e-6 * max(1.0, abs(theirs))


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=0, max_size=40))
def test_whatever_is_published_meets_every_rule(figures):
    seen = compare(figures[0] if figures else None, figures, RULES, money=True)
    if seen.withheld is not None:
        return
    assert len(figures) >= RULES.min_cell
    ordered = sorted(figures, reverse=True)
    assert sum(ordered[:2]) * 100 <= RULES.dominance_k * sum(ordered) or sum(ordered) == 0
    assert (sum(ordered) - ordered[0] - ordered[1]) * 100 >= RULES.p_percent * ordered[0]


def test_a_groups_rows_are_each_members_figures_as_numbers():
    from datetime import date

    import numpy as np

    from domain.reports.figures import FIGURES, figure_rows, figures_on

    entries = [
        ([100_000, 4.5, 80, 20, 2010], {"2026": 5_000, "2023": 9_999}),
        ([None, 12.0, None, 35, None], None),
        ([250_000, None, 60, None, 1999], {"2024": 1_000, "2025": 2_000}),
    ]
    today = date(2026, 6, 1)
    rows = figure_rows(entries, today)
    for n, (kept, funding) in enumerate(entries):
        one = figures_on(kept, funding, today)
        assert [None if np.isnan(v) else v for v in rows[n]] == [one[f.code] for f in FIGURES]
    assert list(rows[:, 4][~np.isnan(rows[:, 4])]) == [5_000, 3_000]  # funding: 2024-2026 only


def test_a_process_keeps_only_the_latest_version_of_a_part_and_only_so_many_parts():
    import numpy as np

    from projections.reports.queries import OpenedParts

    kept, part = OpenedParts(most=2), (np.zeros((1, 6)), np.array([float("inf")]))
    kept.put("sector", 1, "v1", 2026, part)
    assert kept.get("sector", 1, "v1", 2026) is part
    assert kept.get("sector", 1, "v2", 2026) is None  # sealed again since: opened again
    assert kept.get("sector", 1, "v1", 2027) is None  # a new year: funding and years running move on
    kept.put("area", 1, "v1", 2026, part)
    kept.put("size", 1, "v1", 2026, part)
    assert kept.get("sector", 1, "v1", 2026) is None and len(kept.parts) == 2  # the least lately used went
