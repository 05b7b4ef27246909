"""The panel draw never stalls the store (issue 13): it is computed with no lock held, within a
time limit, and recorded only against the pool it was computed from; what a request may ask is capped."""

import threading
import time

import pytest

import domain.insight.draws
from domain.insight.model import PanelCriteria
from domain.insight.sortition import DrawTooSlow, Quota
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.hard_panel import SIZE, hard_profiles, hard_quotas
from tests.integration.insight_support import approved_request, submit
from tests.support import nothing_recorded, snapshot

LIMIT = 3  # seconds: the hard draw's time limit (the default is 20; the setting is tested in test_sortition_time_limit)
MARGIN = 5  # seconds on top of the limit: reading and sealing the pool, recording, a busy machine
WAIT = 60  # seconds at most for an event that should come at once


def consenting(trust, profiles) -> dict:
    """Members with these profiles, each letting councils have their panel answers: id -> consent id."""
    joined = {}
    for number, profile in enumerate(profiles):
        member = trust.register_member(f"Member {number}", MEMBER_THEMSELF, channel="bot", profile=profile)
        joined[member] = trust.grant_consent(
            member, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), OPERATOR
        )
    return joined


def solver_hook(monkeypatch, before):
    """Runs ``before(call number)`` each time the draw's solver starts (after the pool was read)."""
    real, calls = domain.insight.draws.draw_panel, []

    def hooked(*args, **kwargs):
        calls.append(1)
        before(len(calls))
        return real(*args, **kwargs)

    monkeypatch.setattr(domain.insight.draws, "draw_panel", hooked)
    return calls


def undrawn(trust, views, request) -> bool:
    return (
        views.insight_request(request)["status"] == "approved"
        and views.panel_roster(request) == []
        and trust.unfinished_announcements() == []
    )


def test_a_hard_draw_ends_within_its_limit_and_other_commands_run_meanwhile(
    services, trust, views, clock, organisation, monkeypatch
):
    trust.panel_draws.panel_draw_seconds = LIMIT  # only this draw is meant to meet its limit: the others keep
    consenting(trust, hard_profiles())  # the default, so a loaded machine cannot make an easy draw too slow
    criteria = PanelCriteria(SIZE, hard_quotas(), ("area",))
    request = submit(trust, clock, organisation, criteria=criteria)  # within the caps: 20 quotas, 4 attributes
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    computing, other_done = threading.Event(), threading.Event()
    solver_hook(monkeypatch, lambda _call: (computing.set(), other_done.wait(WAIT)))
    outcome: dict = {}

    def draw() -> None:
        started = time.monotonic()
        try:
            outcome["drawn"] = trust.draw_panel(request, TRUSTEE)
        except DrawTooSlow as error:
            outcome["refused"] = str(error)
        finally:
            outcome["seconds"] = time.monotonic() - started

    drawing = threading.Thread(target=draw)
    drawing.start()
    try:
        assert computing.wait(WAIT), "the draw never reached its solver"
        newcomer = trust.register_member("Nia Newcomer", MEMBER_THEMSELF, channel="bot", profile={"area": "CA1"})
        assert drawing.is_alive()  # the other command finished while the draw was still computing
        before = snapshot(services)
    finally:
        other_done.set()
    drawing.join(LIMIT + MARGIN + WAIT)
    assert not drawing.is_alive()
    assert trust.member_personal_data(newcomer)["name"] == "Nia Newcomer"
    assert outcome["seconds"] <= LIMIT + MARGIN, outcome
    if "refused" in outcome:  # the usual outcome on this request: nothing of the draw is recorded
        assert f"could not be drawn within {LIMIT} seconds" in outcome["refused"]
        assert "fewer quotas" in outcome["refused"]
        assert snapshot(services) == before and undrawn(trust, views, request)
    else:
        assert outcome["drawn"].size == SIZE and len(views.panel_roster(request)) == SIZE


def test_a_pool_that_changed_while_the_draw_was_computed_is_drawn_again(
    trust, views, clock, organisation, consents, monkeypatch
):
    request = approved_request(trust, clock, organisation)
    leaver, consent = next(iter(consents.items()))
    calls = solver_hook(monkeypatch, lambda call: call == 1 and trust.revoke_consent(consent, OPERATOR))
    drawn = trust.draw_panel(request, TRUSTEE)
    assert len(calls) == 2 and drawn.pool_size == 59
    recorded = trust.insight_request(request).draw
    assert str(leaver) not in recorded["pool"] and len(recorded["pool"]) == 59
    assert views.insight_request(request)["draw"]["pool_size"] == 59
    assert leaver not in {row["member_id"] for row in views.panel_roster(request)}


def test_a_pool_that_keeps_changing_is_refused_and_nothing_is_drawn(
    trust, views, clock, organisation, consents, monkeypatch
):
    request = approved_request(trust, clock, organisation)
    leaving = iter(consents.values())
    calls = solver_hook(monkeypatch, lambda _call: trust.revoke_consent(next(leaving), OPERATOR))
    with pytest.raises(NotAllowedNow, match="pool changed each time .* nothing was recorded"):
        trust.draw_panel(request, TRUSTEE)
    assert len(calls) == domain.insight.draws.ATTEMPTS and undrawn(trust, views, request)


def test_a_panel_drawn_meanwhile_by_another_trustee_is_not_drawn_twice(
    trust, views, clock, organisation, consents, monkeypatch
):
    request = approved_request(trust, clock, organisation)
    solver_hook(monkeypatch, lambda call: call == 1 and trust.draw_panel(request, TRUSTEE))  # the other trustee
    with pytest.raises(NotAllowedNow, match="panel-drawn"):
        trust.draw_panel(request, TRUSTEE)
    assert len(views.panel_roster(request)) == 30
    (announcement,) = trust.unfinished_announcements()  # one panel, announced once


CAPPED = [
    (tuple(Quota("area", f"CA{n}", 0, 1) for n in range(1, 32)), "at most 30 quotas; this request sets 31"),
    (tuple(Quota("area", f"CA{n}", 0, 2) for n in range(1, 14)), "at most 12 quotas on area; this request sets 13"),
]


@pytest.mark.parametrize(("quotas", "message"), CAPPED)
def test_a_request_asking_too_many_quotas_is_refused_with_a_sentence(
    services, trust, clock, organisation, quotas, message
):
    with pytest.raises(InvalidRequest, match=message), nothing_recorded(services):
        submit(trust, clock, organisation, criteria=PanelCriteria(30, quotas, ("area",)))


def test_running_a_draw_again_keeps_to_the_time_limit_too(trust, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    assert trust.rerun_panel_draw(request).matches
    trust.panel_draws.panel_draw_seconds = 1e-6  # as if this trust allowed a draw no time at all
    with pytest.raises(DrawTooSlow, match="could not be drawn within"):
        trust.rerun_panel_draw(request)
