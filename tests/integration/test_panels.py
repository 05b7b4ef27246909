"""Drawing a panel to quotas, running the draw again, members answering, leaving and withdrawing."""

from datetime import timedelta

import pytest

from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota, QuotasCannotBeMet
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from tests.conftest import CASEWORKER, OPERATOR, TRUSTEE
from tests.integration.insight_support import MEMBER, approved_request, submit
from tests.support import nothing_recorded


@pytest.fixture
def drawn(trust, views, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    clock.advance(minutes=5)
    return request, [row["member_id"] for row in views.panel_roster(request)]


def test_the_panel_is_drawn_to_its_quotas_and_told_to_answer(trust, views, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    drawn = trust.draw_panel(request, TRUSTEE)
    assert (drawn.size, drawn.pool_size, drawn.algorithm) == (30, 60, "leximin-types-highs/4")
    assert 0 < drawn.lowest <= drawn.highest <= 1
    roster = views.panel_roster(request)
    assert len(roster) == 30 and {row["state"] for row in roster} == {"invited"}
    assert all(row["reference_code"] for row in roster)
    areas = [trust.member_personal_data(row["member_id"])["profile"]["area"] for row in roster]
    assert 12 <= areas.count("CA1") <= 16 and 12 <= areas.count("CA2") <= 16
    detail = views.insight_request(request)
    assert detail["status"] == "panel-drawn" and detail["counts"]["invited"] == 30
    assert detail["draw"]["seed"] == drawn.seed and detail["draw"]["pool_size"] == 60
    (announcement,) = trust.unfinished_announcements()
    assert trust.announcement_recipients(announcement) == {row["member_id"] for row in roster}
    assert "/panel" in trust.announcement_text(announcement)


def test_a_member_who_withdrew_before_the_draw_is_not_in_the_pool(trust, clock, organisation, consents):
    member, consent = next(iter(consents.items()))
    trust.revoke_consent(consent, OPERATOR)
    request = approved_request(trust, clock, organisation)
    assert trust.draw_panel(request, TRUSTEE).pool_size == 59


def test_the_recorded_draw_runs_again_to_the_same_panel(trust, drawn, monkeypatch):
    request, seated = drawn
    check = trust.rerun_panel_draw(request)
    assert check.matches and check.rerun == check.recorded and check.unreadable == 0 and not check.reason
    assert sorted(check.recorded) == sorted(str(member) for member in seated)
    monkeypatch.setattr("domain.insight.draws.ALGORITHM", "leximin-types-highs/5")
    changed = trust.rerun_panel_draw(request)
    assert not changed.matches and "leximin-types-highs/4" in changed.reason and "/5" in changed.reason


def test_a_rerun_says_how_many_pool_members_were_erased_since(trust, drawn, consents):
    request, seated = drawn
    outside = next(member for member in consents if member not in seated)
    trust.erase_member(outside, TRUSTEE)
    check = trust.rerun_panel_draw(request)
    assert check.unreadable == 1 and check.recorded


def test_a_closed_panel_runs_again_but_a_pool_wholly_erased_since_is_refused_with_a_sentence(
    services, trust, clock, drawn, consents
):
    request, _ = drawn
    assert trust.why_no_rerun(request) is None
    clock.advance(days=15)
    trust.close_insight_request(request, TRUSTEE)
    assert trust.why_no_rerun(request) is None  # a check that changes nothing: asked after closing too
    assert trust.rerun_panel_draw(request).matches
    for member in consents:
        trust.erase_member(member, TRUSTEE)
    said = "Every one of the 60 members of the recorded pool has been erased since the draw"
    assert trust.why_no_rerun(request).startswith(said)
    with pytest.raises(NotAllowedNow, match=said), nothing_recorded(services):
        trust.rerun_panel_draw(request)


def test_a_request_with_no_draw_cannot_run_it_again(trust, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    assert trust.why_no_rerun(request) == "This insight request has no panel drawn yet."
    with pytest.raises(NotAllowedNow, match="no panel drawn yet"):
        trust.rerun_panel_draw(request)


def test_drawing_when_not_approved_or_twice_is_refused(services, trust, clock, organisation, consents):
    request = submit(trust, clock, organisation)
    with pytest.raises(NotAllowedNow, match="submitted"), nothing_recorded(services):
        trust.draw_panel(request, TRUSTEE)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.draw_panel(request, OPERATOR)
    trust.draw_panel(request, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="panel-drawn"), nothing_recorded(services):
        trust.draw_panel(request, TRUSTEE)


def test_quotas_the_pool_cannot_meet_are_refused_saying_which_and_by_how_much(
    services, trust, clock, organisation, consents
):
    criteria = PanelCriteria(30, (Quota("area", "CA3", 10, 14),), ("area",))
    request = submit(trust, clock, organisation, criteria=criteria)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    with pytest.raises(QuotasCannotBeMet, match=r"area = CA3.*short by 5"), nothing_recorded(services):
        trust.draw_panel(request, TRUSTEE)
    assert trust.unfinished_announcements() == []


def test_members_answer_and_the_latest_answers_count(trust, views, drawn):
    request, seated = drawn
    member = seated[0]
    trust.answer_panel(request, member, {"buses": "poor"}, MEMBER)
    trust.answer_panel(request, member, {"buses": "good", "needs": ["later-buses", "more-buses"]}, MEMBER)
    assert trust.my_panel_answers(request, member) == {"buses": "good", "needs": ["more-buses", "later-buses"]}
    (invitation,) = trust.panel_invitations(member)
    assert invitation.request_id == request and invitation.answered and not invitation.declined
    assert [q.code for q in invitation.questions] == ["buses", "needs", "ideas"]
    trust.answer_panel(request, seated[1], {"buses": "fair"}, CASEWORKER, evidence_ref="PP-12")
    states = {row["member_id"]: row["state"] for row in views.panel_roster(request)}
    assert states[member] == states[seated[1]] == "answered" and states[seated[2]] == "invited"
    assert views.insight_request(request)["counts"]["answered"] == 2


BAD_ANSWERS = [
    ({"buses": "excellent"}, InvalidRequest, "'excellent' is not an option of buses"),
    ({"needs": ["more-buses", "trams"]}, InvalidRequest, "'trams' is not an option of needs"),
    ({"trains": "good"}, InvalidRequest, "not a question of this panel"),
    ({"ideas": "x" * 1001}, InvalidRequest, "at most 1000 characters"),
    ({"ideas": "bad\x00byte"}, InvalidRequest, "control character"),
    ({}, InvalidRequest, "at least one answer"),
]


@pytest.mark.parametrize(("answers", "error", "message"), BAD_ANSWERS)
def test_a_bad_answer_is_refused_and_nothing_is_recorded(services, trust, drawn, answers, error, message):
    request, seated = drawn
    with pytest.raises(error, match=message), nothing_recorded(services):
        trust.answer_panel(request, seated[0], answers, MEMBER)


def test_who_may_answer_and_when(services, trust, clock, drawn, consents):
    request, seated = drawn
    outsider = next(member for member in consents if member not in seated)
    with pytest.raises(NotAllowedNow, match="not on this panel"), nothing_recorded(services):
        trust.answer_panel(request, outsider, {"buses": "good"}, MEMBER)
    with pytest.raises(InvalidRequest, match="the form's reference"), nothing_recorded(services):
        trust.answer_panel(request, seated[0], {"buses": "good"}, CASEWORKER)
    with pytest.raises(NotAllowedNow, match="from the member"), nothing_recorded(services):
        trust.answer_panel(request, seated[0], {"buses": "good"}, TRUSTEE)
    trust.decline_panel(request, seated[1], MEMBER)
    with pytest.raises(NotAllowedNow, match="has left this panel"), nothing_recorded(services):
        trust.answer_panel(request, seated[1], {"buses": "good"}, MEMBER)
    with pytest.raises(NotAllowedNow, match="has left this panel"), nothing_recorded(services):
        trust.decline_panel(request, seated[1], MEMBER)
    assert trust.panel_invitations(seated[1])[0].declined
    clock.advance(days=15)
    with pytest.raises(NotAllowedNow, match="closed at"), nothing_recorded(services):
        trust.answer_panel(request, seated[0], {"buses": "good"}, MEMBER)
    assert trust.panel_invitations(seated[0]) == []


def test_a_member_who_withdraws_consent_shows_as_withdrew_from_that_moment(
    services, trust, views, clock, drawn, consents
):
    request, seated = drawn
    member = seated[0]
    trust.answer_panel(request, member, {"buses": "good"}, MEMBER)
    answered_at = clock()
    withdrawn_at = clock.advance(hours=2)
    trust.revoke_consent(consents[member], MEMBER)
    state = {row["member_id"]: row for row in views.panel_roster(request)}[member]
    assert (state["state"], state["changed_at"]) == ("withdrew", withdrawn_at)
    before = {row["member_id"]: row["state"] for row in views.panel_roster(request, as_of=answered_at)}
    assert before[member] == "answered"
    at_draw = {
        row["member_id"]: row["state"] for row in views.panel_roster(request, as_of=answered_at - timedelta(minutes=1))
    }
    assert at_draw[member] == "invited"
    assert views.insight_request(request)["counts"]["withdrew"] == 1
    assert trust.panel_invitations(member) == []
    with pytest.raises(NotAllowedNow, match="no longer lets"), nothing_recorded(services):
        trust.answer_panel(request, member, {"buses": "poor"}, MEMBER)
