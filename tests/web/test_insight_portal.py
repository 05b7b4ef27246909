"""The organisation portal and the insight requests API: an organisation asks the community,
follows the trustees' review and reads only the anonymised result of its own requests."""

from uuid import UUID, uuid4

import pytest

from tests.conftest import TRUSTEE
from tests.integration.insight_support import answer_all, community, council, submit
from tests.support import nothing_recorded
from tests.web.conftest import Web

ASK = {
    "title": "Buses in the Carlisle area",
    "purpose": "community-insight",
    "questions-0-text": "How good are the buses where you live?",
    "questions-0-kind": "single",
    "questions-0-options": "good\nfair\npoor",
    "questions-1-text": "How likely are you to take the bus next week?",
    "questions-1-kind": "scale",
    "questions-1-options": "5",
    "questions-2-text": "Anything else?",
    "questions-2-kind": "text",
    "size": "30",
    "quotas-0-attribute": "area",
    "quotas-0-value": "CA1",
    "quotas-0-minimum": "12",
    "quotas-0-maximum": "16",
    "quotas-1-attribute": "area",
    "quotas-1-value": "CA2",
    "quotas-1-minimum": "12",
    "quotas-1-maximum": "16",
    "breakdown": ["area"],
    "fee": "1,500.50",
    "closes_at": "2026-03-16T17:00",
    "zone": "Europe/London",
}


@pytest.fixture
def council_token(web_services, web_clock):
    """An approved council with an API token: (organisation id, token id, token)."""
    trust = web_services.trust
    organisation = council(trust, web_clock)
    token_id, token = trust.issue_api_token(organisation, "insight portal", TRUSTEE)
    return organisation, token_id, token


@pytest.fixture
def portal(app, council_token) -> Web:
    web = Web(app.test_client())
    response = web.form("/organisation/sign-in", {"token": council_token[2]})
    assert response.status_code == 302 and response.headers["Location"] == "/organisation"
    return web


def _sent(response) -> UUID:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return UUID(response.headers["Location"].rsplit("/", 1)[1])


def test_an_organisation_asks_the_community_and_sees_its_request(portal, web_services, council_token):
    request_id = _sent(portal.form("/organisation/requests/new", ASK))
    found = web_services.views.insight_request(request_id)
    assert found["organisation_id"] == council_token[0] and found["status"] == "submitted"
    assert found["fee_offered_pence"] == 150_050
    assert [q["kind"] for q in found["questions"]] == ["single", "scale", "text"]
    assert found["questions"][1]["options"] == ["1", "2", "3", "4", "5"]
    assert found["criteria"]["size"] == 30 and found["criteria"]["breakdown"] == ["area"]
    assert {(q["value"], q["minimum"], q["maximum"]) for q in found["criteria"]["quotas"]} == {
        ("CA1", 12, 16),
        ("CA2", 12, 16),
    }
    assert found["closes_at"].isoformat() == "2026-03-16T17:00:00+00:00"  # 17:00 UK time in March (GMT)
    body = portal.text(portal.get(f"/organisation/requests/{request_id}"))
    assert "Buses in the Carlisle area" in body and "submitted" in body and "£1,500.50" in body
    listing = portal.text(portal.get("/organisation"))
    assert "Buses in the Carlisle area" in listing


def test_one_member_a_household_is_ticked_to_start_with_and_may_be_unticked(portal, web_services):
    blank = portal.text(portal.get("/organisation/requests/new"))
    box = blank[blank.index('name="one_per_household"') - 200 : blank.index('name="one_per_household"') + 200]
    assert "checked" in box and "At most one member of a household on the panel" in blank
    ticked = _sent(portal.form("/organisation/requests/new", {**ASK, "one_per_household": "y"}))
    unticked = _sent(portal.form("/organisation/requests/new", ASK))  # an unticked box sends nothing
    assert web_services.views.insight_request(ticked)["criteria"]["one_per_household"] is True
    assert web_services.views.insight_request(unticked)["criteria"]["one_per_household"] is False
    shown = portal.text(portal.get(f"/organisation/requests/{unticked}"))
    assert "no limit: members who live together may both sit" in shown


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"fee": "12.345"}, "Write the amount in pounds"),
        ({"fee": "-5"}, "Write the amount in pounds"),
        ({"closes_at": "next tuesday"}, "is not a date and time"),
        ({"closes_at": "2026-03-01T17:00"}, "future"),
        ({"questions-0-text": "", "questions-1-text": "", "questions-2-text": ""}, "Ask at least one question."),
        ({"questions-0-options": "only one"}, "2 to 12 options"),
        ({"quotas-0-minimum": "20", "quotas-0-maximum": "3"}, "CA1"),
        ({"quotas-0-value": ""}, "Write the answer the quota counts"),
        ({"quotas-0-attribute": "shoe-size"}, "Choose the profile question from the list"),
        ({"size": "0"}, "Use 1 to 10,000."),
        ({"title": ""}, "Give the request a title."),
        ({"purpose": "affordable-credit"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_sentence_and_records_nothing(portal, web_services, changes, said):
    portal.get("/organisation/requests/new")
    with nothing_recorded(web_services):
        response = portal.post("/organisation/requests/new", {**ASK, **changes})
    assert response.status_code == 400
    body = portal.text(response)
    assert said in body and 'class="error-summary"' in body
    assert "Buses in the Carlisle area" in body or changes.get("title") == ""  # what was typed is kept


def test_another_organisations_request_is_not_found(app, portal, web_services, web_clock, council_token):
    other = council(web_services.trust, web_clock, "Westmorland Council")
    theirs = submit(web_services.trust, web_clock, other, title="Their own question")
    for url in (
        f"/organisation/requests/{theirs}",
        f"/organisation/requests/{theirs}/revise",
        f"/organisation/requests/{uuid4()}",
    ):
        with nothing_recorded(web_services):
            response = portal.get(url)
        assert response.status_code == 404, url
        assert "Their own question" not in portal.text(response)
    assert "Their own question" not in portal.text(portal.get("/organisation"))
    client = app.test_client()
    auth = {"Authorization": f"Bearer {council_token[2]}"}
    assert client.get(f"/api/v1/insight-requests/{theirs}", headers=auth).status_code == 404
    assert client.get("/api/v1/insight-requests", headers=auth).get_json() == {"requests": []}


def test_a_revoked_token_or_a_suspended_organisation_is_signed_out_at_once(app, web_services, council_token):
    organisation, token_id, token = council_token
    trust = web_services.trust
    web = Web(app.test_client())
    assert web.form("/organisation/sign-in", {"token": token}).status_code == 302
    trust.suspend_organisation(organisation, "agreement under review", TRUSTEE)
    response = web.get("/organisation")
    assert response.status_code == 302 and "/organisation/sign-in" in response.headers["Location"]
    assert "Your organisation is suspended, so you were signed out" in web.text(web.get(response.headers["Location"]))
    assert web.get("/organisation").status_code == 302  # the session is gone, not just refused once
    refused = web.form("/organisation/sign-in", {"token": token})
    assert refused.status_code == 400 and "suspended" in web.text(refused)

    trust.reinstate_organisation(organisation, "review done", TRUSTEE)
    assert web.form("/organisation/sign-in", {"token": token}).status_code == 302
    trust.revoke_api_token(token_id, TRUSTEE)
    response = web.get("/organisation/requests/new")
    assert response.status_code == 302
    assert "Your token has been revoked" in web.text(web.get(response.headers["Location"]))
    refused = web.form("/organisation/sign-in", {"token": token})
    assert refused.status_code == 400 and "not valid" in web.text(refused)


def test_a_portal_cookie_copied_before_signing_out_opens_nothing_after(app, portal, council_token):
    assert portal.get("/organisation").status_code == 200
    copied = portal.client.get_cookie("datatrust_session").value
    assert portal.post("/organisation/sign-out").status_code == 302
    replay = Web(app.test_client())
    replay.client.set_cookie("datatrust_session", copied)
    response = replay.get("/organisation")
    assert response.status_code == 302 and "/organisation/sign-in" in response.headers["Location"]
    assert "This session was signed out" in replay.text(replay.get(response.headers["Location"]))
    again = Web(app.test_client())  # signing in afresh with the same token still works
    assert again.form("/organisation/sign-in", {"token": council_token[2]}).status_code == 302
    assert again.get("/organisation").status_code == 200


def test_staff_cannot_use_the_portal_and_an_organisation_cannot_reach_staff_pages(portal, trustee, caseworker):
    for staff in (trustee, caseworker):
        for url in ("/organisation", "/organisation/requests/new"):
            response = staff.get(url)
            assert response.status_code == 302 and response.headers["Location"].startswith("/organisation/sign-in")
    for url in ("/trustee", "/trustee/insight", "/trustee/insight/income", "/members"):
        response = portal.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), url


def test_a_wrong_token_does_not_sign_in(app, web_services):
    web = Web(app.test_client())
    with nothing_recorded(web_services):
        for token in ("", "not-a-token", "x" * 300):
            response = web.form("/organisation/sign-in", {"token": token})
            assert response.status_code == 400
            assert token[:20] not in web.text(response) or not token  # a typed token is never shown back
    assert web.get("/organisation").status_code == 302


def test_the_organisation_revises_when_the_trustees_ask_for_changes(portal, trustee, web_services):
    request_id = _sent(portal.form("/organisation/requests/new", ASK))
    page = f"/trustee/insight/{request_id}"
    review = {"decision": "changes", "reason": "Please add a question about fares."}
    assert trustee.form(page, review, target=f"{page}/review").status_code == 302
    shown = portal.text(portal.get(f"/organisation/requests/{request_id}"))
    assert "changes-requested" in shown and "Please add a question about fares." in shown
    form = portal.get(f"/organisation/requests/{request_id}/revise")
    assert "How good are the buses where you live?" in portal.text(form)
    revised = {
        **ASK,
        "questions-3-text": "Are fares fair?",
        "questions-3-kind": "single",
        "questions-3-options": "yes\nno",
    }
    assert _sent(portal.post(f"/organisation/requests/{request_id}/revise", revised)) == request_id
    found = web_services.views.insight_request(request_id)
    assert found["status"] == "submitted" and len(found["questions"]) == 4
    # Only while changes are asked for.
    with nothing_recorded(web_services):
        response = portal.post(f"/organisation/requests/{request_id}/revise", revised)
    assert response.status_code == 302


def _closed_request(web_services, web_clock, organisation) -> UUID:
    trust = web_services.trust
    community(trust)
    request_id = submit(trust, web_clock, organisation)
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    trust.draw_panel(request_id, TRUSTEE)
    seated = [row["member_id"] for row in web_services.views.panel_roster(request_id)]
    answer_all(trust, request_id, seated)
    web_clock.advance(days=15)
    trust.close_insight_request(request_id, TRUSTEE)
    return request_id


def test_the_result_shows_anonymous_tables_and_free_text_only_once_released(
    app, portal, web_services, web_clock, council_token
):
    request_id = _closed_request(web_services, web_clock, council_token[0])
    page = portal.text(portal.get(f"/organisation/requests/{request_id}"))
    assert "How good are the buses where you live?, all who answered" in page
    assert "How good are the buses where you live?, by area" in page
    assert "%" in page and "withheld" in page
    assert "reviewing the free-text answers" in page and "Idea number" not in page
    for row in web_services.views.panel_roster(request_id):
        assert str(row["member_id"]) not in page and (row["reference_code"] or "-") not in page
    assert "Member 1" not in page
    texts = web_services.trust.free_text_for_review(request_id)
    web_services.trust.release_free_text(request_id, {"ideas": texts["ideas"][:1]}, TRUSTEE)
    page = portal.text(portal.get(f"/organisation/requests/{request_id}"))
    assert texts["ideas"][0] in page and all(t not in page for t in texts["ideas"][1:])
    body = (
        app.test_client()
        .get(f"/api/v1/insight-requests/{request_id}", headers={"Authorization": f"Bearer {council_token[2]}"})
        .get_json()
    )
    assert body["status"] == "closed" and body["free_text"] == {"ideas": texts["ideas"][:1]}
    assert body["result"]["respondents"] >= 10
    assert "member" not in str(body).lower().replace("members", "")


# The API


def test_the_api_takes_a_request_as_json_and_lists_only_the_organisations_own(
    app, web_services, web_clock, council_token
):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {council_token[2]}"}
    sent = {
        "title": "Buses",
        "purpose": "community-insight",
        "questions": [{"kind": "single", "text": "How good are the buses?", "options": ["good", "fair", "poor"]}],
        "criteria": {
            "size": 20,
            "quotas": [{"attribute": "area", "value": "CA1", "minimum": 5, "maximum": 15}],
            "breakdown": ["area"],
        },
        "fee_offered_pence": 50_000,
        "closes_at": "2026-03-20T12:00:00+00:00",
    }
    response = client.post("/api/v1/insight-requests", json=sent, headers=auth)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "submitted" and created["fee_offered_pence"] == 50_000
    assert response.headers["Location"] == f"/api/v1/insight-requests/{created['id']}"
    listed = client.get("/api/v1/insight-requests", headers=auth).get_json()["requests"]
    assert [r["id"] for r in listed] == [created["id"]]
    one = client.get(f"/api/v1/insight-requests/{created['id']}", headers=auth).get_json()
    assert one["questions"][0]["options"] == ["good", "fair", "poor"] and one["result"] is None
    assert one["criteria"]["one_per_household"] is True  # unless the request says otherwise
    mixed = {**sent, "criteria": {**sent["criteria"], "one_per_household": False}}
    other = client.post("/api/v1/insight-requests", json=mixed, headers=auth).get_json()
    assert (
        client.get(f"/api/v1/insight-requests/{other['id']}", headers=auth).get_json()["criteria"]["one_per_household"]
        is False
    )
    for broken, said in (
        ({**sent, "fee_offered_pence": 12.5}, "'fee_offered_pence' must be an integer."),
        ({**sent, "fee_offered_pence": True}, "'fee_offered_pence' must be an integer."),
        ({**sent, "closes_at": "2026-03-20 12:00"}, "date and time with its zone"),
        ({**sent, "closes_at": "2026-03-01T12:00:00Z"}, "future"),
        ({**sent, "questions": []}, "1 to 5 items"),
        ({**sent, "purpose": "affordable-credit"}, "must be one of"),
        ({**sent, "criteria": {**sent["criteria"], "one_per_household": "yes"}}, "must be a boolean"),
        ({k: v for k, v in sent.items() if k != "title"}, "needs 'title'"),
        ([], "must be an object"),
    ):
        with nothing_recorded(web_services):
            response = client.post("/api/v1/insight-requests", json=broken, headers=auth)
        assert response.status_code == 400, broken
        assert said in response.get_json()["error"], response.get_json()
    with nothing_recorded(web_services):
        assert client.post("/api/v1/insight-requests", data="{not json", headers=auth).status_code == 400
        assert client.post("/api/v1/insight-requests", json=sent).status_code == 401
        assert client.get("/api/v1/insight-requests/not-an-id", headers=auth).status_code == 404


@pytest.mark.parametrize("closes_at", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:30:00+01:00"])
def test_a_closing_time_at_the_edge_of_the_calendar_is_refused_with_a_sentence(
    app, web_services, council_token, closes_at
):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {council_token[2]}"}
    sent = {
        "title": "Buses",
        "purpose": "community-insight",
        "questions": [{"kind": "single", "text": "How good are the buses?", "options": ["good", "fair", "poor"]}],
        "criteria": {"size": 20},
        "fee_offered_pence": 0,
        "closes_at": closes_at,
    }
    with nothing_recorded(web_services):
        response = client.post("/api/v1/insight-requests", json=sent, headers=auth)
    assert response.status_code == 400
    assert "closing time" in response.get_json()["error"]


def test_the_api_refuses_more_quotas_than_a_request_may_ask_with_a_sentence(app, web_services, council_token):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {council_token[2]}"}
    sent = {
        "title": "Buses",
        "purpose": "community-insight",
        "questions": [{"kind": "single", "text": "How good are the buses?", "options": ["good", "fair", "poor"]}],
        "fee_offered_pence": 0,
        "closes_at": "2026-03-20T12:00:00+00:00",
    }
    areas = [{"attribute": "area", "value": f"CA{n}", "minimum": 0, "maximum": 2} for n in range(1, 32)]
    for quotas, said in (
        (areas[:13], "at most 12 quotas on area; this request sets 13"),
        (areas, "quotas must have 0 to 30 items"),
    ):
        with nothing_recorded(web_services):
            response = client.post(
                "/api/v1/insight-requests", json={**sent, "criteria": {"size": 30, "quotas": quotas}}, headers=auth
            )
        assert response.status_code == 400 and said in response.get_json()["error"], response.get_json()


def test_the_form_names_every_missing_field_at_once(portal, web_services):
    portal.get("/organisation/requests/new")
    empty = {"purpose": "community-insight", "zone": "Europe/London"}
    with nothing_recorded(web_services):
        response = portal.post("/organisation/requests/new", empty)
    assert response.status_code == 400
    summary = portal.text(response).split('class="error-summary"')[1].split("</ul>")[0]
    for sentence in (
        "Give the request a title.",
        "Ask at least one question.",
        "Say how many members to invite.",
        "Enter the fee offered, in pounds (0 if none).",
        "Enter when the panel closes.",
    ):
        assert sentence in summary, summary


def test_the_api_names_every_missing_or_invalid_field_at_once(app, web_services, council_token):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {council_token[2]}"}
    with nothing_recorded(web_services):
        empty = client.post("/api/v1/insight-requests", json={}, headers=auth)
        several = client.post(
            "/api/v1/insight-requests",
            json={
                "purpose": "community-insight",
                "questions": [{"kind": "poll"}],
                "criteria": {"size": 0},
                "fee_offered_pence": "lots",
            },
            headers=auth,
        )
    assert empty.status_code == several.status_code == 400
    assert empty.get_json()["error"] == (
        "The body needs 'title', 'purpose', 'questions', 'criteria', 'fee_offered_pence' and 'closes_at'."
    )
    assert several.get_json()["problems"] == [
        "The body needs 'title' and 'closes_at'.",
        "'questions'[0] needs 'text'.",
        "'questions'[0].kind must be one of: single, multiple, scale, text.",
        "'criteria'.size must be from 1 to 10000.",
        "'fee_offered_pence' must be an integer.",
    ]
    assert several.get_json()["error"] == " ".join(several.get_json()["problems"])
