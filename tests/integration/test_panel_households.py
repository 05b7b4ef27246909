"""Households (issue 20): a caseworker records who a member lives with; a panel then takes at most one
member of a household, in the draw, its rerun and the reserves; who lives with whom stays sealed."""

import pytest

from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota, QuotasCannotBeMet
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownMember
from tests.conftest import CASEWORKER, TRUSTEE
from tests.integration.insight_support import MEMBER, approved_request, submit
from tests.support import nothing_recorded


@pytest.fixture
def households(trust, consents) -> dict:
    """The 60 consenting members in 30 households of two (neighbours in the list, so the same area
    but for one pair): member -> housemate."""
    members = list(consents)
    pairs = {}
    for first, second in zip(members[::2], members[1::2], strict=True):
        trust.record_household(first, second, CASEWORKER)
        pairs[first], pairs[second] = second, first
    return pairs


def test_a_panel_takes_at_most_one_member_of_each_household(trust, views, clock, organisation, households):
    request = approved_request(trust, clock, organisation)
    drawn = trust.draw_panel(request, TRUSTEE)
    seated = {row["member_id"] for row in views.panel_roster(request)}
    assert len(seated) == drawn.size == 30
    assert not [member for member in seated if households[member] in seated]  # 30 seats, 30 households: one each
    assert drawn.lowest == pytest.approx(0.5) and drawn.highest == pytest.approx(0.5)
    check = trust.rerun_panel_draw(request)
    assert check.matches and check.reserves_match


def test_a_seat_left_goes_to_a_reserve_from_a_household_not_on_the_panel(trust, views, clock, organisation, households):
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    seated = [row["member_id"] for row in views.panel_roster(request)]
    leaver = seated[0]
    trust.decline_panel(request, leaver, MEMBER)
    # every other household has a member seated, so only the leaver's housemate may take the seat
    replaced = views.panel_reserves(request)["replacements"]
    assert [(r["leaver"], r["reserve"]) for r in replaced] == [(leaver, households[leaver])]


def test_who_lives_with_whom_is_sealed_and_goes_with_the_erased_member(trust, views, services, consents):
    first, second = list(consents)[:2]
    trust.record_household(first, second, CASEWORKER)
    household = trust.member_personal_data(first)["household"]
    assert household and trust.member_personal_data(second)["household"] == household
    assert "household recorded" in [fact["what"] for fact in views.history(first)]
    words = [fact["text"] for fact in views.history_in_words(first, trust.catalogue)]
    assert "Who they live with was recorded (a panel takes at most one member of a household)." in words
    shown = str(views.history(first)) + str(words) + str(views.member_card(first))
    assert household not in shown
    trust.erase_member(first, TRUSTEE)
    assert trust.member_personal_data(first) is None
    trust.record_household(second, None, CASEWORKER)  # lives with no other member now
    assert trust.member_personal_data(second)["household"] is None


def test_a_housemate_already_in_a_household_brings_the_member_into_it(trust, consents):
    first, second, third = list(consents)[:3]
    trust.record_household(first, second, CASEWORKER)
    trust.record_household(third, first, CASEWORKER)
    keys = {trust.member_personal_data(m)["household"] for m in (first, second, third)}
    assert len(keys) == 1 and None not in keys


@pytest.mark.parametrize(
    ("who", "housemate", "error", "said"),
    [
        (CASEWORKER, "themself", InvalidRequest, "cannot share a household with themself"),
        (Actor("organisation", "cumbria council"), "other", NotAllowedNow, "Only a caseworker or a trustee"),
        (MEMBER, "other", NotAllowedNow, "Only a caseworker or a trustee"),
        (CASEWORKER, "unknown", UnknownMember, "No member is known by"),
    ],
)
def test_a_household_that_cannot_be_recorded_is_refused_and_nothing_is_recorded(
    trust, services, consents, who, housemate, error, said
):
    from uuid import uuid4

    first, second = list(consents)[:2]
    other = {"themself": first, "other": second, "unknown": uuid4()}[housemate]
    with pytest.raises(error, match=said), nothing_recorded(services):
        trust.record_household(first, other, who)


def test_an_erased_member_cannot_be_given_a_household(trust, services, consents):
    first, second = list(consents)[:2]
    trust.erase_member(second, TRUSTEE)
    with pytest.raises(NotAllowedNow), nothing_recorded(services):
        trust.record_household(first, second, CASEWORKER)


def criteria(one_per_household: bool) -> PanelCriteria:
    """All five CA3 members must sit; three of them live with another CA3 member (members 52-57 pair up)."""
    quotas = (Quota("area", "CA1", 12, 16), Quota("area", "CA2", 12, 16), Quota("area", "CA3", 5, 5))
    return PanelCriteria(30, quotas, (), one_per_household)


def test_a_request_may_let_members_who_live_together_both_sit(trust, views, clock, organisation, households):
    request = submit(trust, clock, organisation, criteria=criteria(one_per_household=False))
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    trust.draw_panel(request, TRUSTEE)
    seated = {row["member_id"] for row in views.panel_roster(request)}
    assert [member for member in seated if households[member] in seated]  # CA3's housemates, both
    assert trust.insight_request(request).draw["one_per_household"] is False
    assert trust.rerun_panel_draw(request).matches


def test_with_the_household_rule_quotas_that_need_housemates_are_refused(
    trust, services, clock, organisation, households
):
    request = submit(trust, clock, organisation, criteria=criteria(one_per_household=True))
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    with pytest.raises(QuotasCannotBeMet), nothing_recorded(services):
        trust.draw_panel(request, TRUSTEE)
