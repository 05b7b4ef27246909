"""Trustees review insight requests, draw and close panels, release free text and record
payments; caseworkers enter paper panel answers. Every refusal shows the trust's sentence
and records nothing; only trustees reach these pages."""

from uuid import UUID

from tests.conftest import TRUSTEE
from tests.integration.insight_support import community, council, submit
from tests.support import nothing_recorded


def _page(request_id: UUID) -> str:
    return f"/trustee/insight/{request_id}"


def _approved(web_services, web_clock, members: bool = True) -> UUID:
    trust = web_services.trust
    if members:
        community(trust)
    request_id = submit(trust, web_clock, council(trust, web_clock))
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    return request_id


def test_a_trustee_reviews_a_request_with_a_reason(trustee, web_services, web_clock):
    trust = web_services.trust
    request_id = submit(trust, web_clock, council(trust, web_clock))
    listing = trustee.text(trustee.get("/trustee/insight?status=submitted"))
    assert "Buses in the Carlisle area" in listing and "Cumbria Council" in listing
    assert "Buses in the Carlisle area" not in trustee.text(trustee.get("/trustee/insight?status=approved"))
    page = trustee.text(trustee.get(_page(request_id)))
    assert "How good are the buses where you live?" in page and "£1,500.00" in page and "CA1 = " not in page
    assert "area = CA1: 12 to 16" in page
    for bad, said in (
        ({"decision": "approve", "reason": ""}, "Give the reason"),
        ({"decision": "maybe", "reason": "why not"}, "Not a valid choice"),
        ({"reason": "no decision"}, "Choose a decision."),
        ({"decision": "approve", "reason": "x" * 2001}, "2000"),
    ):
        with nothing_recorded(web_services):
            response = trustee.post(f"{_page(request_id)}/review", bad)
        assert response.status_code == 400 and said in trustee.text(response), bad
    assert (
        trustee.post(f"{_page(request_id)}/review", {"decision": "approve", "reason": "Fair fee."}).status_code == 302
    )
    assert web_services.views.insight_request(request_id)["status"] == "approved"
    with nothing_recorded(web_services):  # reviewed already: the domain's sentence
        response = trustee.post(f"{_page(request_id)}/review", {"decision": "reject", "reason": "changed my mind"})
    assert response.status_code == 400 and 'class="error-summary"' in trustee.text(response)


def test_a_closed_request_offers_the_rerun_as_a_check_until_its_pool_is_wholly_erased(trustee, web_services, web_clock):
    trust = web_services.trust
    request_id = _approved(web_services, web_clock)
    trust.draw_panel(request_id, TRUSTEE)
    web_clock.advance(days=15)
    trust.close_insight_request(request_id, TRUSTEE)
    page = trustee.text(trustee.get(_page(request_id)))
    assert "Re-run the draw</button>" in page and "It changes nothing" in page and "after the panel has closed" in page
    with nothing_recorded(web_services):
        rerun = trustee.post(f"{_page(request_id)}/rerun", {})
    assert rerun.status_code == 200 and "The re-run matches" in trustee.text(rerun)
    for row in web_services.views.members():
        trust.erase_member(row["member_id"], TRUSTEE)
    page = trustee.text(trustee.get(_page(request_id)))
    said = "members of the recorded pool has been erased since the draw, so there is nothing left to run it again on."
    assert said in page and "Re-run the draw</button>" not in page  # offered only when it can act
    with nothing_recorded(web_services):
        refused = trustee.post(f"{_page(request_id)}/rerun", {})
    assert refused.status_code == 400 and said in trustee.text(refused)


def test_drawing_shows_the_draw_and_a_rerun_matches(trustee, web_services, web_clock):
    request_id = _approved(web_services, web_clock)
    trustee.get(_page(request_id))
    response = trustee.post(f"{_page(request_id)}/draw", {})
    assert response.status_code == 302
    page = trustee.text(trustee.get(_page(request_id)))
    draw = web_services.views.insight_request(request_id)["draw"]
    assert f"{draw['pool_size']} members" in page and str(draw["seed"]) in page and draw["algorithm"] in page
    assert "lowest " in page and "highest " in page
    with nothing_recorded(web_services):
        rerun = trustee.post(f"{_page(request_id)}/rerun", {})
    assert rerun.status_code == 200 and "The re-run matches" in trustee.text(rerun)
    roster = trustee.text(trustee.get(f"{_page(request_id)}/roster"))
    rows = web_services.views.panel_roster(request_id)
    assert len(rows) == 30 and all(row["reference_code"] in roster for row in rows)
    assert all(str(row["member_id"]) not in roster for row in rows) and "Member " not in roster
    earlier = trustee.text(trustee.get(f"{_page(request_id)}/roster?as_of=2026-03-01 09:00"))
    assert "Nobody sat on this panel then." in earlier
    bad = trustee.get(f"{_page(request_id)}/roster?as_of=soon")
    assert bad.status_code == 400 and "is not a date and time" in trustee.text(bad)


def test_a_quota_that_cannot_be_met_shows_the_sentence_and_records_nothing(trustee, web_services, web_clock):
    request_id = _approved(web_services, web_clock, members=False)  # nobody to draw from
    trustee.get(_page(request_id))
    with nothing_recorded(web_services):
        response = trustee.post(f"{_page(request_id)}/draw", {})
    assert response.status_code == 400
    assert 'class="error-summary"' in trustee.text(response)
    assert web_services.views.insight_request(request_id)["draw"] is None


def test_closing_before_the_closing_time_is_refused_then_the_free_text_is_reviewed(trustee, web_services, web_clock):
    from tests.integration.insight_support import answer_all

    request_id = _approved(web_services, web_clock)
    trust = web_services.trust
    trust.draw_panel(request_id, TRUSTEE)
    answer_all(trust, request_id, [row["member_id"] for row in web_services.views.panel_roster(request_id)])
    trustee.get(_page(request_id))
    with nothing_recorded(web_services):
        early = trustee.post(f"{_page(request_id)}/close", {})
    assert early.status_code == 400 and 'class="error-summary"' in trustee.text(early)
    with nothing_recorded(web_services):  # no free text before close: the trust's sentence, no form
        before_close = trustee.get(f"{_page(request_id)}/free-text")
        assert before_close.status_code == 200 and "Release to the organisation" not in trustee.text(before_close)
        assert trustee.post(f"{_page(request_id)}/free-text", {}).status_code == 400
    web_clock.advance(days=15)
    assert trustee.post(f"{_page(request_id)}/close", {}).status_code == 302
    page = trustee.text(trustee.get(_page(request_id)))
    assert "all who answered" in page and "Review and release the free text" in page
    texts = trust.free_text_for_review(request_id)["ideas"]
    form = trustee.get(f"{_page(request_id)}/free-text")
    assert all(t in trustee.text(form) for t in texts)
    sent = {f"text_ideas_{n}": t for n, t in enumerate(texts)}
    sent["text_ideas_0"] = "An idea about [redacted]"
    sent["leave_ideas_1"] = "y"
    with nothing_recorded(web_services):
        too_long = trustee.post(f"{_page(request_id)}/free-text", {**sent, "text_ideas_2": "x" * 1001})
    assert too_long.status_code == 400
    assert trustee.post(f"{_page(request_id)}/free-text", sent).status_code == 302
    released = web_services.views.insight_request(request_id)["free_text"]["ideas"]
    assert released[0] == "An idea about [redacted]" and texts[1] not in released
    assert len(released) == len(texts) - 1


def test_payments_and_the_income_page(trustee, web_services, web_clock):
    request_id = _approved(web_services, web_clock, members=False)
    trustee.get(_page(request_id))
    for bad in ({"amount": "0", "reference": "INV-1"}, {"amount": "1.234", "reference": "INV-1"}, {"amount": "10"}):
        with nothing_recorded(web_services):
            response = trustee.post(f"{_page(request_id)}/payments", bad)
        assert response.status_code == 400, bad
    assert trustee.post(f"{_page(request_id)}/payments", {"amount": "750.25", "reference": "INV-1"}).status_code == 302
    assert web_services.views.insight_request(request_id)["fee_paid_pence"] == 75_025
    income = trustee.text(trustee.get("/trustee/insight/income"))
    assert "£1,500.00" in income and "£750.25" in income and "Cumbria Council" in income


def test_a_caseworker_cannot_review_draw_or_close(caseworker, web_services, web_clock):
    request_id = _approved(web_services, web_clock, members=False)
    caseworker.get("/members")
    for url in ("", "/roster", "/free-text"):
        assert caseworker.get(f"{_page(request_id)}{url}").status_code == 403
    assert caseworker.get("/trustee/insight").status_code == 403
    for action in ("review", "draw", "rerun", "close", "payments", "free-text"):
        with nothing_recorded(web_services):
            response = caseworker.post(f"{_page(request_id)}/{action}", {"decision": "approve", "reason": "x"})
        assert response.status_code == 403, action


def test_a_caseworker_enters_paper_panel_answers(caseworker, web_services, web_clock):
    request_id = _approved(web_services, web_clock)
    web_services.trust.draw_panel(request_id, TRUSTEE)
    member_id = web_services.views.panel_roster(request_id)[0]["member_id"]
    panels = caseworker.text(caseworker.get(f"/members/{member_id}/panels"))
    assert "Buses in the Carlisle area" in panels and "invited" in panels
    url = f"/members/{member_id}/panels/{request_id}"
    form = caseworker.text(caseworker.get(url))
    assert "How good are the buses where you live?" in form and "Paper form reference" in form
    good = {
        "answer_buses": "fair",
        "answer_needs": ["more-buses", "later-buses"],
        "answer_ideas": "More buses on Sunday",
    }
    for bad, said in (
        ({**good, "evidence_ref": ""}, "Enter the form"),
        ({**good, "evidence_ref": "Mary Atkinson"}, "never names or notes"),
        ({"evidence_ref": "PP-1"}, "Enter at least one answer"),
        ({**good, "answer_buses": "excellent", "evidence_ref": "PP-1"}, "Not a valid choice"),
        ({**good, "answer_ideas": "x" * 1001, "evidence_ref": "PP-1"}, "1000"),
    ):
        with nothing_recorded(web_services):
            response = caseworker.post(url, bad)
        assert response.status_code == 400 and said in caseworker.text(response), bad
    assert caseworker.post(url, {**good, "evidence_ref": "PP-1"}).status_code == 302
    mine = web_services.trust.my_panel_answers(request_id, member_id)
    assert mine["buses"] == "fair" and sorted(mine["needs"]) == ["later-buses", "more-buses"]
    assert "answered" in caseworker.text(caseworker.get(f"/members/{member_id}/panels"))
    other = web_services.views.panel_roster(request_id)
    not_seated = next(m for m in community_ids(web_services) if m not in {r["member_id"] for r in other})
    assert caseworker.get(f"/members/{not_seated}/panels/{request_id}").status_code == 404


def community_ids(web_services) -> list[UUID]:
    return [m["member_id"] for m in web_services.views.search_members("Member")]
