from datetime import UTC, datetime, timedelta

from projections.core.intervals import Fact, covers, intersect, span, switched

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_late_fact_counts_from_its_recording_on_the_recorded_axis():
    late = Fact(eff=at(0), rec=at(72))
    assert late.on("effective") == at(0)
    assert late.on("recorded") == at(72)


def test_a_span_ends_at_the_earlier_of_its_end_and_a_hard_end():
    assert span(Fact(at(0), at(0)), Fact(at(10), at(10)), "recorded", hard_end=at(5)) == [(at(0), at(5))]
    assert span(Fact(at(0), at(0)), None, "recorded") == [(at(0), None)]
    assert span(None, None, "recorded") == []


def test_an_empty_span_is_no_interval():
    assert span(Fact(at(5), at(5)), Fact(at(5), at(5)), "effective") == []


def test_switched_steps_through_changes_in_time_order_on_each_axis():
    changes = [(Fact(at(0), at(0)), True), (Fact(at(10), at(10)), False), (Fact(at(20), at(20)), True)]
    assert switched(changes, "recorded") == [(at(0), at(10)), (at(20), None)]


def test_a_late_suspension_differs_between_the_axes():
    changes = [(Fact(at(0), at(0)), True), (Fact(at(10), at(30)), False)]
    assert switched(changes, "effective") == [(at(0), at(10))]
    assert switched(changes, "recorded") == [(at(0), at(30))]


def test_intersect_keeps_only_overlaps():
    left = [(at(0), at(10)), (at(20), None)]
    right = [(at(5), at(25))]
    assert intersect(left, right) == [(at(5), at(10)), (at(20), at(25))]
    assert intersect(left, []) == []


def test_covers_is_half_open():
    assert covers((at(0), at(1)), at(0))
    assert not covers((at(0), at(1)), at(1))
    assert covers((at(0), None), at(1000))
