"""The trustee's panel page: the draw report and solver, the reserves and who took a seat a member left,
and the nearest quotas a trustee may accept when no panel meets the quotas asked."""

import re

import pytest

from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota, solver_name
from tests.conftest import TRUSTEE
from tests.integration.insight_support import MEMBER, community, council, submit
from tests.support import nothing_recorded
from tests.web.conftest import Web

UNMEETABLE = PanelCriteria(
    30, (Quota("area", "CA1", 10, 16), Quota("area", "CA2", 10, 16), Quota("area", "CA3", 10, 14))
)


@pytest.fixture
def council_id(web_services, web_clock):
    return council(web_services.trust, web_clock)


def _page(request_id) -> str:
    return f"/trustee/insight/{request_id}"


def _approved(web_services, web_clock, council_id, **changes):
    trust = web_services.trust
    consents = community(trust)
    request_id = submit(trust, web_clock, council_id, **changes)
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    return request_id, consents


def test_the_panel_page_reports_the_draw_and_says_when_a_rerun_uses_another_solver(
    trustee, web_services, web_clock, council_id, monkeypatch
):
    request_id, _ = _approved(web_services, web_clock, council_id)
    web_services.trust.draw_panel(request_id, TRUSTEE)
    page = trustee.text(trustee.get(_page(request_id)))
    draw = web_services.views.insight_request(request_id)["draw"]
    assert f"{draw['gini']:.4f}" in page and "Gini of the chances" in page
    assert f"{draw['below_half']} members had less than 0.2500, half of 30/60" in page
    assert solver_name() in page and "30 of 30 reserves not yet invited" in page
    with nothing_recorded(web_services):
        rerun = trustee.text(trustee.post(f"{_page(request_id)}/rerun", {}))
    assert "The re-run matches" in rerun and "Solver version:" not in rerun
    assert "The reserve list drawn again is the recorded one." in rerun
    monkeypatch.setattr("domain.insight.draws.solver_name", lambda: "HiGHS 2.0.0 (highspy 2.0.0)")
    with nothing_recorded(web_services):
        rerun = trustee.text(trustee.post(f"{_page(request_id)}/rerun", {}))
    assert "Solver version:" in rerun and f"computed with {solver_name()}" in rerun and "HiGHS 2.0.0" in rerun


def test_the_page_shows_who_took_the_seat_a_member_declined_and_fills_seats_of_members_who_withdrew(
    trustee, web_services, web_clock, council_id
):
    request_id, consents = _approved(web_services, web_clock, council_id)
    trust, views = web_services.trust, web_services.views
    trust.draw_panel(request_id, TRUSTEE)
    seated = [row["member_id"] for row in views.panel_roster(request_id)]
    trust.decline_panel(request_id, seated[0], MEMBER)
    page = trustee.text(trustee.get(_page(request_id)))
    (replaced,) = views.panel_reserves(request_id)["replacements"]
    code = {r["member_id"]: r["reference_code"] for r in views.panel_roster(request_id)}
    assert "Seats panel members left" in page and "declined the invitation" in page
    assert code[seated[0]] in page and code[replaced["reserve"]] in page
    assert str(seated[0]) not in page and str(replaced["reserve"]) not in page  # reference codes, never ids
    assert "29 of 30 reserves not yet invited" in page
    with nothing_recorded(web_services):  # nobody left otherwise: nothing to fill
        nothing = trustee.post(f"{_page(request_id)}/reserves", {})
    assert nothing.status_code == 302
    assert "nothing was recorded" in trustee.text(trustee.get(_page(request_id)))
    trust.revoke_consent(consents[seated[1]], MEMBER)
    assert trustee.post(f"{_page(request_id)}/reserves", {}).status_code == 302
    page = trustee.text(trustee.get(_page(request_id)))
    assert "1 seat filled from the reserves" in page and "no longer lets the organisation" in page
    assert len(views.panel_reserves(request_id)["replacements"]) == 2


def test_quotas_no_panel_meets_show_the_nearest_that_can_which_the_trustee_accepts_then_draws(
    app, trustee, web_services, web_clock, council_id
):
    request_id, _ = _approved(web_services, web_clock, council_id, criteria=UNMEETABLE)
    trustee.get(_page(request_id))
    with nothing_recorded(web_services):
        response = trustee.post(f"{_page(request_id)}/draw", {})
    page = trustee.text(response)
    assert response.status_code == 400 and "short by 5" in page and "The nearest quotas that can be met" in page
    row = re.search(r"<tr role=\"row\"><th [^>]*>area = CA3</th>(.*?)</tr>", page)
    assert row and re.findall(r">(\d+ to \d+)</td>", row.group(1)) == ["10 to 14", "5 to 14"]
    assert "area = CA1</th>" not in page  # unchanged quotas are not listed as changes
    proposal = web_services.trust.nearest_quotas(request_id).proposal
    for bad, said in (
        ({"proposal": proposal.replace("5-14", "3-14")}, "pool has changed"),
        ({}, "proposal is missing"),
    ):
        with nothing_recorded(web_services):
            refused = trustee.post(f"{_page(request_id)}/quotas", bad)
        assert refused.status_code == 400 and said in trustee.text(refused), bad
    assert trustee.post(f"{_page(request_id)}/quotas", {"proposal": proposal}).status_code == 302
    page = trustee.text(trustee.get(_page(request_id)))
    assert "accepted the nearest quotas that can be met: area = CA3: 10 to 14 becomes 5 to 14" in page
    assert "area = CA3: 5 to 14" in page  # the request's criteria now
    _token_id, token = web_services.trust.issue_api_token(council_id, "portal", TRUSTEE)
    portal = Web(app.test_client())
    assert portal.form("/organisation/sign-in", {"token": token}).status_code == 302
    seen = portal.text(portal.get(f"/organisation/requests/{request_id}"))
    assert "the trustees accepted the nearest quotas that can be met: area = CA3: 10 to 14 becomes 5 to 14" in seen
    assert "trustee:" not in seen.split("nearest quotas")[1][:200]  # the organisation is not told who
    assert trustee.post(f"{_page(request_id)}/draw", {}).status_code == 302
    assert web_services.views.insight_request(request_id)["status"] == "panel-drawn"
