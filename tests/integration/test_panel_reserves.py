"""What organisers rely on: the draw report and solver recorded, reserves filling seats members leave
so the quotas still hold, and the nearest quotas a trustee may accept when the quotas cannot be met."""

from uuid import UUID

import pytest

from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota, QuotasCannotBeMet, solver_name
from domain.kernel.actors import SCHEDULER
from domain.kernel.errors import NotAllowedNow
from domain.trust import Audience
from scheduler.jobs import JOBS
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.integration.insight_support import CRITERIA, MEMBER, approved_request, submit
from tests.support import nothing_recorded


@pytest.fixture
def drawn(trust, views, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    result = trust.draw_panel(request, TRUSTEE)
    clock.advance(minutes=5)
    return request, result


def areas_of(trust, members) -> dict[str, int]:
    found: dict[str, int] = {}
    for member in members:
        area = trust.member_personal_data(member)["profile"]["area"]
        found[area] = found.get(area, 0) + 1
    return found


def meets(counts: dict[str, int]) -> bool:
    return all(q.minimum <= counts.get(q.value, 0) <= q.maximum for q in CRITERIA.quotas)


def seated_now(views, request) -> list:
    return [row["member_id"] for row in views.panel_roster(request) if row["state"] in ("invited", "answered")]


def test_the_draw_records_its_report_and_solver_and_the_trustee_reads_them(trust, views, drawn):
    request, result = drawn
    assert result.solver == solver_name() and result.solver.startswith("HiGHS ")
    assert 0 <= result.gini < 1 and 0 <= result.below_half <= result.pool_size
    assert result.reserves == result.pool_size - result.size == 30
    draw = views.insight_request(request)["draw"]
    assert (draw["gini"], draw["below_half"], draw["solver"], draw["reserves"]) == (
        result.gini,
        result.below_half,
        result.solver,
        30,
    )
    assert draw["lowest"] <= 30 / 60 <= draw["highest"]  # the chances average k/n


def test_a_rerun_checks_the_reserves_and_says_plainly_when_the_solver_differs(trust, drawn, monkeypatch):
    request, _ = drawn
    check = trust.rerun_panel_draw(request)
    assert check.matches and check.reserves_match is True and check.solver_note == ""
    monkeypatch.setattr("domain.insight.draws.solver_name", lambda: "HiGHS 9.9.9 (highspy 9.9.9)")
    changed = trust.rerun_panel_draw(request)
    assert changed.matches  # the same panel still, but the trustee is told the solver is not the recorded one
    assert solver_name() in changed.solver_note and "HiGHS 9.9.9" in changed.solver_note


def test_a_member_who_declines_is_replaced_by_the_first_reserve_who_keeps_the_quotas(trust, views, drawn):
    request, _ = drawn
    before = seated_now(views, request)
    # Two CA3 members (at least 2 of the pool's 5 must sit) and a CA1 member (12 to 16) decline in turn:
    # whatever the panel drawn, the reserves can keep every quota met.
    leavers = [m for m in before if areas_of(trust, [m]).get("CA3")][:2]
    leavers.append(next(m for m in before if areas_of(trust, [m]).get("CA1")))
    before_told = set(trust.unfinished_announcements())
    for leaver in leavers:
        trust.decline_panel(request, leaver, MEMBER)
    after = seated_now(views, request)
    assert len(after) == 30 and meets(areas_of(trust, after))
    reserves = views.panel_reserves(request)
    replaced = reserves["replacements"]
    assert replaced and all(r["reason"] == "declined the invitation" and r["reserve"] for r in replaced)
    assert {r["reserve"] for r in replaced} <= set(after) and not {r["leaver"] for r in replaced} & set(after)
    assert reserves["remaining"] == 30 - len(replaced) and all(r["reference_code"] for r in reserves["next"])
    told = [trust.announcement(a) for a in set(trust.unfinished_announcements()) - before_told]
    assert len(told) == len(replaced) == 3  # each reserve is told on their own
    assert {frozenset(recipients) for _, _, recipients in told} == {frozenset({r["reserve"]}) for r in replaced}
    assert all("A seat has come free" in text and "/panel" in text for text, _, _ in told)
    invited = trust.panel_invitations(replaced[0]["reserve"])
    assert invited and invited[0].request_id == request  # the reserve finds the panel in their /panel
    check = trust.rerun_panel_draw(request)
    assert check.matches  # replacements change who sits, never what was drawn


def test_a_seat_no_reserve_can_fill_within_the_quotas_is_recorded_as_empty(
    services, trust, views, clock, organisation, consents
):
    # Exactly 5 from CA3, and the pool has just 5: a CA3 member who declines has no CA3 reserve.
    criteria = PanelCriteria(30, (*CRITERIA.quotas[:2], Quota("area", "CA3", 5, 5)))
    request = submit(trust, clock, organisation, criteria=criteria)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    trust.draw_panel(request, TRUSTEE)
    leaver = next(m for m in seated_now(views, request) if areas_of(trust, [m]).get("CA3"))
    trust.decline_panel(request, leaver, MEMBER)
    (replacement,) = views.panel_reserves(request)["replacements"]
    assert replacement["leaver"] == leaver and replacement["reserve"] is None
    assert len(seated_now(views, request)) == 29


def test_a_trustee_fills_the_seats_of_members_who_withdrew(services, trust, views, drawn, consents):
    request, _ = drawn
    leaver = seated_now(views, request)[0]
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.replace_members_who_left(request, CASEWORKER)
    assert trust.replace_members_who_left(request, TRUSTEE) == []  # nobody has left: nothing recorded
    trust.revoke_consent(consents[leaver], MEMBER_THEMSELF)
    (replacement,) = trust.replace_members_who_left(request, TRUSTEE)
    assert replacement.leaver == str(leaver) and replacement.reserve is not None
    assert "no longer lets" in replacement.reason
    now = seated_now(views, request)
    assert len(now) == 30 and meets(areas_of(trust, now)) and str(leaver) not in map(str, now)
    assert trust.replace_members_who_left(request, TRUSTEE) == []  # each seat is filled once


def test_unmeetable_quotas_get_the_nearest_that_can_be_met_which_a_trustee_may_accept(
    services, trust, views, clock, organisation, consents
):
    quotas = (Quota("area", "CA1", 10, 16), Quota("area", "CA2", 10, 16), Quota("area", "CA3", 10, 14))
    criteria = PanelCriteria(30, quotas)
    request = submit(trust, clock, organisation, criteria=criteria)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    with pytest.raises(QuotasCannotBeMet):
        trust.draw_panel(request, TRUSTEE)
    nearest = trust.nearest_quotas(request)
    (change,) = nearest.changes
    assert (change.before.minimum, change.after.minimum, change.after.maximum) == (10, 5, 14)
    assert str(change) == "area = CA3: 10 to 14 becomes 5 to 14"
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.accept_nearest_quotas(request, nearest.proposal, CASEWORKER)
    with pytest.raises(NotAllowedNow, match="pool has changed"), nothing_recorded(services):
        trust.accept_nearest_quotas(request, nearest.proposal.replace("5-14", "4-14"), TRUSTEE)
    trust.accept_nearest_quotas(request, nearest.proposal, TRUSTEE)
    shown = views.insight_request(request)["criteria"]["quotas"]
    assert [q for q in shown if q["value"] == "CA3"] == [dict(attribute="area", value="CA3", minimum=5, maximum=14)]
    (decision,) = views.panel_reserves(request)["quota_changes"]
    assert decision["changes"] == [str(change)] and decision["actor"] == str(TRUSTEE) and decision["at"] == clock()
    with pytest.raises(NotAllowedNow, match="can be met as they are"), nothing_recorded(services):
        trust.accept_nearest_quotas(request, nearest.proposal, TRUSTEE)
    drawn = trust.draw_panel(request, TRUSTEE)
    assert areas_of(trust, seated_now(views, request))["CA3"] == 5 and drawn.size == 30
    with pytest.raises(NotAllowedNow, match="panel-drawn"), nothing_recorded(services):
        trust.nearest_quotas(request)


def test_an_erased_panel_member_is_replaced_and_erased_reserves_are_passed_over(trust, views, drawn):
    request, _ = drawn
    seated = seated_now(views, request)
    reserves = [UUID(r) for r in trust.insight_request(request).draw["reserves"]]
    first = next(r for r in reserves if meets(areas_of(trust, [*seated[1:], r])))  # would take the seat...
    trust.erase_member(seated[0], TRUSTEE)
    trust.erase_member(first, TRUSTEE)  # ...but is erased, so is passed over
    (replacement,) = trust.replace_members_who_left(request, TRUSTEE)
    assert replacement.reason == "had their data erased" and replacement.reserve not in (None, str(first))
    now = seated_now(views, request)
    assert len(now) == 30 and meets(areas_of(trust, now))


def test_a_member_whose_seat_went_to_a_reserve_cannot_answer_even_after_consenting_again(
    services, trust, views, drawn, consents
):
    request, _ = drawn
    leaver = seated_now(views, request)[0]
    trust.revoke_consent(consents[leaver], MEMBER_THEMSELF)
    trust.replace_members_who_left(request, TRUSTEE)
    trust.grant_consent(leaver, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), OPERATOR)
    assert trust.panel_invitations(leaver) == []
    with pytest.raises(NotAllowedNow, match="gone to a reserve"), nothing_recorded(services):
        trust.answer_panel(request, leaver, {"buses": "good"}, MEMBER)


def test_the_scheduler_fills_the_seats_of_members_who_withdrew_and_tells_the_reserves(
    services, trust, views, drawn, consents
):
    request, _ = drawn
    assert JOBS["panel-reserves"](services, services.clock(), "") == "nothing to do: no panel member left"
    leavers = seated_now(views, request)[:2]
    for leaver in leavers:
        trust.revoke_consent(consents[leaver], MEMBER_THEMSELF)
    done = JOBS["panel-reserves"](services, services.clock(), "")
    assert done == "filled the seats of members who left in 1 panel(s): 2 reserve(s) invited"
    now = seated_now(views, request)
    assert len(now) == 30 and meets(areas_of(trust, now)) and not set(map(str, leavers)) & set(map(str, now))
    replaced = [r for r in views.panel_reserves(request)["replacements"] if str(r["leaver"]) in map(str, leavers)]
    assert len(replaced) == 2 and all(r["actor"] == str(SCHEDULER) for r in replaced)
    with nothing_recorded(services):
        assert JOBS["panel-reserves"](services, services.clock(), "") == "nothing to do: no panel member left"


def test_the_sweep_looks_without_the_writer_lock_when_nobody_left(services, trust, views, drawn, consents, monkeypatch):
    request, _ = drawn
    app = trust.application
    real_command = app.command

    def no_command():  # type: ignore[no-untyped-def]
        raise AssertionError("the sweep took the writer lock with nobody gone")

    monkeypatch.setattr(app, "command", no_command)
    assert JOBS["panel-reserves"](services, services.clock(), "") == "nothing to do: no panel member left"
    monkeypatch.setattr(app, "command", real_command)
    trust.revoke_consent(consents[seated_now(views, request)[0]], MEMBER_THEMSELF)
    assert "1 reserve(s) invited" in JOBS["panel-reserves"](services, services.clock(), "")
