"""The co-op's surplus through the whole trust, on SQLite and PostgreSQL: recorded from the
income the trust recorded, its uses split by members' vote, dividends under the rule they
voted, adding up to the pence; a member gives theirs to a community project."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.kernel.shares import largest_remainder
from domain.surplus.dividends import DividendRule, dividend_rule, entitlements
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, TRUSTEE
from tests.integration.insight_support import answer_all, approved_request, community, council
from tests.support import nothing_recorded
from tests.surplus_support import (
    AFTER_2025,
    IN_2025,
    MEMBER,
    PROJECTS,
    USES,
    clock_in_2025,
    co_op_year,
    rule_vote,
    split_ballot,
)


@pytest.fixture
def clock():
    return clock_in_2025()


def test_a_split_ballot_closes_with_the_mean_split_adding_up_to_100(trust, views, clock):
    voters = co_op_year(trust, clock)
    proposal = split_ballot(trust, clock, voters, [[50, 30, 20], [40, 40, 20], [60, 10, 30]])
    result = trust.proposal_result(proposal)
    # means 50, 26.67, 23.33: the point left over goes to the largest remainder (community projects)
    assert result.split == (50, 27, 23) and sum(result.split) == 100
    assert (result.turnout, result.electorate, result.quorum_met, result.passed) == (3, 4, True, None)
    told = trust.announcement_text(trust.unfinished_announcements()[-1])
    assert "The mean split: Dividends: 50%, Community projects: 27%, Reinvest: 23%." in told


def test_a_split_that_does_not_add_up_to_100_is_refused_and_records_nothing(services, trust, clock):
    voters = co_op_year(trust, clock)
    proposal = trust.open_proposal("Uses", "Split it.", USES, clock() + timedelta(days=7), TRUSTEE, split=True)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="The shares add up to 90%; they must"):
        trust.cast_split_vote(proposal, voters[0], [50, 30, 10], MEMBER)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="split ballot: give each use a share"):
        trust.cast_vote(proposal, voters[0], 0, MEMBER)
    ballot = trust.member_ballot(proposal, voters[0])
    assert ballot.split and ballot.shares is None
    trust.cast_split_vote(proposal, voters[0], [50, 30, 20], MEMBER)
    assert trust.member_ballot(proposal, voters[0]).shares == (50, 30, 20)


def test_members_split_the_surplus_and_each_active_member_gets_an_exact_dividend(services, trust, views, clock):
    voters = co_op_year(trust, clock, members=4)
    clock.now = datetime(2025, 9, 1, tzinfo=UTC)
    left = trust.register_member("Left in 2025", MEMBER_THEMSELF, channel="bot")
    trust.member_leaves(left, CASEWORKER)
    clock.now = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    late = trust.register_member("Joined in 2026", MEMBER_THEMSELF, channel="bot")

    trust.record_surplus(2025, 100_001, "ACC-2025", TRUSTEE)
    uses = split_ballot(trust, clock, voters, [[50, 30, 20], [40, 40, 20], [60, 10, 30]])
    assert trust.decide_surplus_uses(2025, uses, 0, PROJECTS, TRUSTEE) == [50_001, 27_000, 23_000]
    rule = rule_vote(trust, clock, voters)
    shares = trust.share_dividends(2025, 100, 0, rule, TRUSTEE)

    assert set(shares) == set(voters)  # not the one who left in 2025, nor the one who joined in 2026
    assert sorted(shares.values()) == [12_500, 12_500, 12_500, 12_501] and sum(shares.values()) == 50_001
    assert left not in shares and late not in shares
    row = views.surplus_of(2025)
    assert (row["amount_pence"], row["income_pence"], row["dividend_pot_pence"], row["members_paid"]) == (
        100_001,
        500_000,
        50_001,
        4,
    )
    assert row["uses"][1] == {"use": "Community projects", "percent": 27, "amount_pence": 27_000}

    trust.give_dividend(2025, voters[0], "Penrith skate park", MEMBER)
    [mine] = views.dividends_of(voters[0])
    assert (mine["year"], mine["amount_pence"], mine["given_to"]) == (2025, shares[voters[0]], "Penrith skate park")
    lines = views.payment_list(2025)
    assert len(lines) == 4 and sum(line["amount_pence"] for line in lines) == 50_001
    assert [line["given_to"] for line in lines].count("Penrith skate park") == 1
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="already goes to Penrith skate park"):
        trust.give_dividend(2025, voters[0], "Eden Valley food bank", MEMBER)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="no dividend from the 2025 surplus"):
        trust.give_dividend(2025, late, "Eden Valley food bank", MEMBER)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="Choose one of the 2025 community projects"):
        trust.give_dividend(2025, voters[1], "My own pocket", MEMBER)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="already shared"):
        trust.share_dividends(2025, 100, 0, rule, TRUSTEE)


def test_a_dividend_rule_that_does_not_add_up_is_refused_with_a_sentence(services, trust, clock):
    voters = co_op_year(trust, clock)
    trust.record_surplus(2025, 90_000, "ACC-2025", TRUSTEE)
    uses = split_ballot(trust, clock, voters, [[100, 0, 0]])
    trust.decide_surplus_uses(2025, uses, 0, PROJECTS, TRUSTEE)
    rule = rule_vote(trust, clock, voters)
    with nothing_recorded(services), pytest.raises(InvalidRequest) as refused:
        trust.share_dividends(2025, 60, 30, rule, TRUSTEE)
    assert str(refused.value) == (
        "This dividend rule does not add up: 60% in equal shares and 30% by participation make 90%, "
        "and a rule must share all of the dividend (100%). Nothing was recorded."
    )
    with (
        nothing_recorded(services),
        pytest.raises(InvalidRequest, match="No member answered a community panel in 2025"),
    ):
        trust.share_dividends(2025, 0, 100, rule, TRUSTEE)


def test_a_surplus_that_makes_no_sense_is_refused_and_records_nothing(services, trust, clock):
    voters = co_op_year(trust, clock, income_pence=200_000)
    refusals = [
        (lambda: trust.record_surplus(2025, -5, "ACC-2025", TRUSTEE), "above nothing"),
        (lambda: trust.record_surplus(2025, 0, "ACC-2025", TRUSTEE), "above nothing"),
        (lambda: trust.record_surplus(2025, 1000, "", TRUSTEE), "needs its evidence's reference"),
        (lambda: trust.record_surplus(2026, 1000, "ACC-2026", TRUSTEE), "once the year has ended"),
        (lambda: trust.record_surplus(2025, 1000, "ACC-2025", CASEWORKER), "Only a trustee"),
        (lambda: trust.record_surplus(2025, 200_001, "ACC-2025", TRUSTEE), "more than the income the trust recorded"),
    ]
    for refused, words in refusals:
        with nothing_recorded(services), pytest.raises((InvalidRequest, NotAllowedNow), match=words):
            refused()
    trust.record_surplus(2025, 200_000, "ACC-2025", TRUSTEE)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match=r"already recorded \(£2,000.00\)"):
        trust.record_surplus(2025, 1_000, "ACC-2025b", TRUSTEE)
    not_split = rule_vote(trust, clock, voters)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="is not a split ballot"):
        trust.decide_surplus_uses(2025, not_split, 0, PROJECTS, TRUSTEE)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Members have not decided any dividends"):
        trust.share_dividends(2025, 100, 0, not_split, TRUSTEE)


def test_the_pence_add_up_whatever_the_weights():
    members = [f"m{n}" for n in range(7)]
    for pot in (1, 6, 7, 100, 99_999, 1_000_003):
        for rule in (DividendRule(100, 0), DividendRule(0, 100), DividendRule(30, 70)):
            answered = {"m0": 3, "m1": 1, "m5": 2}
            shares = entitlements(pot, rule, members, answered, 2025)  # type: ignore[arg-type]
            assert sum(shares.values()) == pot
            assert max(shares.values()) - min(shares.values()) <= (1 if rule.participation_percent == 0 else pot)
    by_participation = entitlements(600, DividendRule(0, 100), members, {"m0": 2, "m1": 1}, 2025)  # type: ignore[arg-type]
    assert (by_participation["m0"], by_participation["m1"], by_participation["m2"]) == (400, 200, 0)
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    with pytest.raises(InvalidRequest, match="does not add up"):
        dividend_rule(50, 60)
    with pytest.raises(InvalidRequest, match="whole percentage"):
        dividend_rule(-10, 110)


def test_dividends_by_participation_follow_the_panels_each_member_answered_in_the_year(trust, views, clock):
    clock.now = IN_2025
    members = list(community(trust))  # 60 members who let councils have their panel answers
    request = approved_request(trust, clock, council(trust, clock))
    trust.draw_panel(request, TRUSTEE)
    answered = [row["member_id"] for row in views.panel_roster(request)][:10]
    answer_all(trust, request, answered)
    trust.record_payment(request, 150_000, "INV-2025-3", TRUSTEE)
    clock.now = AFTER_2025
    trust.record_surplus(2025, 100_000, "ACC-2025", TRUSTEE)
    uses = split_ballot(trust, clock, members[:20], [[100, 0, 0]] * 20)
    trust.decide_surplus_uses(2025, uses, 0, PROJECTS, TRUSTEE)
    shares = trust.share_dividends(2025, 50, 50, rule_vote(trust, clock, members[:40]), TRUSTEE)

    # half in equal shares (£1,000 / 60 = 833.33p each), half among the 10 who answered a panel (5,000p each)
    assert sum(shares.values()) == 100_000 and len(shares) == 60
    assert {shares[m] for m in answered} <= {5_833, 5_834}
    assert {shares[m] for m in members if m not in answered} <= {833, 834}
