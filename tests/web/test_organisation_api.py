"""The organisation API: narrow, audited reads on what consent allows."""

from datetime import timedelta

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.trust import Audience
from tests.conftest import TRUSTEE
from tests.support import nothing_recorded

MEMBER = Actor("member", "mary")

# Community insight is never among them: it is released only as anonymised panel results.
READABLE = "affordable-credit, funding-applications, grant-making, research, service-planning"
CATEGORIES = (
    "contact, funding-history, household-finances, housing, organisation-profile, panel-answers, profile, wellbeing"
)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def joined_with_consent(trust, categories=("contact", "profile")):
    member_id = trust.register_member(
        "Mary Atkinson", MEMBER, channel="bot", profile={"area": "CA11"}, contact="@mary_a"
    )
    consent_id = trust.grant_consent(
        member_id, "affordable-credit", list(categories), Audience(kind="social-lender"), MEMBER, collected_via="bot"
    )
    return member_id, consent_id


def attempts(views, member_id):
    return [row for row in views.history(member_id) if row["what"] in ("read", "read refused")]


def test_a_read_returns_only_the_permitted_fields_and_is_recorded_with_its_consent(
    app, web_services, lender, web_clock
):
    organisation_id, token = lender
    member_id, consent_id = joined_with_consent(web_services.trust)
    web_clock.advance(minutes=1)
    client = app.test_client()
    response = client.get(f"/api/v1/members/{member_id}?purpose=affordable-credit", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert body["fields"] == {"contact": {"name": "Mary Atkinson", "contact": "@mary_a"}, "profile": {"area": "CA11"}}
    assert body["consents"] == {"contact": str(consent_id), "profile": str(consent_id)}
    assert set(body["withheld"]) == {
        "household-finances",
        "housing",
        "wellbeing",
        "panel-answers",
        "organisation-profile",
        "funding-history",
    }
    [read] = attempts(web_services.views, member_id)
    assert read["what"] == "read" and read["actor"].startswith("organisation:api token ")


def test_a_read_without_consent_gets_403_and_is_recorded_as_refused(app, web_services, lender):
    _organisation_id, token = lender
    member_id, _consent = joined_with_consent(web_services.trust)
    client = app.test_client()
    response = client.get(f"/api/v1/members/{member_id}?purpose=research", headers=bearer(token))
    assert response.status_code == 403
    body = response.get_json()
    assert list(body) == ["error"] and "No consent allows" in body["error"]  # no attempt id: see below
    assert "Mary" not in response.get_data(as_text=True)
    [refused] = attempts(web_services.views, member_id)
    assert refused["what"] == "read refused"


def test_an_unknown_member_gets_the_same_403_as_one_without_consent(app, web_services, lender):
    _organisation_id, token = lender
    client = app.test_client()
    with nothing_recorded(web_services):
        unknown = client.get(
            "/api/v1/members/00000000-0000-0000-0000-000000000000?purpose=research", headers=bearer(token)
        )
        garbage = client.get("/api/v1/members/'; drop table members?purpose=research", headers=bearer(token))
    assert unknown.status_code == garbage.status_code == 403
    assert unknown.get_json()["error"] == garbage.get_json()["error"]


def test_a_withdrawal_stops_reads_at_once(app, web_services, lender):
    _organisation_id, token = lender
    member_id, consent_id = joined_with_consent(web_services.trust)
    client = app.test_client()
    url = f"/api/v1/members/{member_id}?purpose=affordable-credit&categories=contact"
    assert client.get(url, headers=bearer(token)).status_code == 200
    web_services.trust.revoke_consent(consent_id, MEMBER)
    assert client.get(url, headers=bearer(token)).status_code == 403


def test_the_list_shows_members_and_categories_visible_now_in_pages(app, web_services, lender):
    _organisation_id, token = lender
    trust = web_services.trust
    visible = sorted(str(joined_with_consent(trust)[0]) for _ in range(3))
    unconfirmed = trust.register_member("Paper Person", TRUSTEE, channel="paper", evidence_ref="PF-1")
    trust.grant_consent(
        unconfirmed,
        "affordable-credit",
        ["contact"],
        Audience(kind="social-lender"),
        TRUSTEE,
        collected_via="paper",
        evidence_ref="PF-1",
    )
    client = app.test_client()
    body = client.get("/api/v1/members?purpose=affordable-credit", headers=bearer(token)).get_json()
    assert [m["member_id"] for m in body["members"]] == visible
    assert all(m["categories"] == ["contact", "profile"] for m in body["members"]) and body["next"] is None
    other = client.get("/api/v1/members?purpose=research", headers=bearer(token)).get_json()
    assert other["members"] == []


def test_the_list_pages_on(app, web_services, lender, monkeypatch):
    from projections.consent import organisation_api

    _organisation_id, token = lender
    ids = sorted(str(joined_with_consent(web_services.trust)[0]) for _ in range(3))
    monkeypatch.setattr(organisation_api, "PAGE", 2)
    client = app.test_client()
    first = client.get("/api/v1/members?purpose=affordable-credit", headers=bearer(token)).get_json()
    assert [m["member_id"] for m in first["members"]] == ids[:2] and first["next"] == ids[1]
    second = client.get(f"/api/v1/members?purpose=affordable-credit&after={first['next']}", headers=bearer(token))
    assert [m["member_id"] for m in second.get_json()["members"]] == ids[2:] and second.get_json()["next"] is None
    monkeypatch.setattr(organisation_api, "PAGE", 3)  # a page exactly full, and no more: nothing to continue
    whole = client.get("/api/v1/members?purpose=affordable-credit", headers=bearer(token)).get_json()
    assert [m["member_id"] for m in whole["members"]] == ids and whole["next"] is None
    assert all(m["categories"] == ["contact", "profile"] for m in whole["members"])


def test_tokens_are_refused_when_missing_unknown_revoked_or_the_organisation_is_suspended(
    app, web_services, lender, web_clock
):
    organisation_id, token = lender
    member_id, _consent = joined_with_consent(web_services.trust)
    client = app.test_client()
    url = f"/api/v1/members/{member_id}?purpose=affordable-credit"
    with nothing_recorded(web_services):
        assert client.get(url).status_code == 401
        assert client.get(url, headers={"Authorization": "Basic abc"}).status_code == 401
        assert client.get(url, headers=bearer("dtk_made-up")).status_code == 401
    assert client.get(url, headers=bearer(token)).status_code == 200
    web_services.trust.suspend_organisation(organisation_id, "Breach under review", TRUSTEE)
    with nothing_recorded(web_services):
        suspended = client.get(url, headers=bearer(token))
    assert suspended.status_code == 403 and "suspended" in suspended.get_json()["error"]
    web_services.trust.reinstate_organisation(organisation_id, "Review closed", TRUSTEE)
    assert client.get(url, headers=bearer(token)).status_code == 200
    [token_row] = web_services.views.api_tokens(organisation_id)
    web_services.trust.revoke_api_token(token_row["token_id"], TRUSTEE)
    revoked = client.get(url, headers=bearer(token))
    assert revoked.status_code == 401 and revoked.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_purpose_or_category_is_a_clear_400_and_records_nothing(app, web_services, lender):
    _organisation_id, token = lender
    member_id, _consent = joined_with_consent(web_services.trust)
    client = app.test_client()
    with nothing_recorded(web_services):
        no_purpose = client.get(f"/api/v1/members/{member_id}", headers=bearer(token))
        bad_category = client.get(
            f"/api/v1/members/{member_id}?purpose=affordable-credit&categories=bank-pin", headers=bearer(token)
        )
        bad_page = client.get("/api/v1/members?purpose=affordable-credit&after=xyz", headers=bearer(token))
    assert no_purpose.status_code == bad_category.status_code == bad_page.status_code == 400
    assert no_purpose.get_json()["error"] == f"Give a purpose: one of {READABLE}."
    assert bad_category.get_json()["error"] == f"Unknown category 'bank-pin': give one of {CATEGORIES}."


def test_trustees_issue_a_token_shown_once_and_revoke_it(trustee, web_services, app):
    trust = web_services.trust
    organisation_id = trust.register_organisation("Solway Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation_id, "DSA-2", (web_services.clock() - timedelta(days=1)).date(), TRUSTEE)
    issued = trustee.form(
        f"/trustee/organisations/{organisation_id}",
        {"label": "Loan system"},
        f"/trustee/organisations/{organisation_id}/tokens",
    )
    assert issued.status_code == 302  # post/redirect/get: a reload cannot issue another
    page = trustee.get(issued.headers["Location"])
    text = trustee.text(page)
    assert page.status_code == 200 and "it will not be shown again" in text
    token = text.split('<p class="secret">')[1].split("</p>")[0].strip()
    assert token.startswith("dtk_")
    assert token not in trustee.text(trustee.get(f"/trustee/organisations/{organisation_id}"))
    member_id, _consent = joined_with_consent(trust)
    client = app.test_client()
    assert (
        client.get(f"/api/v1/members/{member_id}?purpose=affordable-credit", headers=bearer(token)).status_code == 200
    )
    [row] = web_services.views.api_tokens(organisation_id)
    revoke = trustee.form(
        f"/trustee/organisations/{organisation_id}",
        {"confirm": "y"},
        f"/trustee/organisations/{organisation_id}/tokens/{row['token_id']}/revoke",
    )
    assert revoke.status_code == 302
    assert (
        client.get(f"/api/v1/members/{member_id}?purpose=affordable-credit", headers=bearer(token)).status_code == 401
    )


def test_the_openapi_document_describes_the_api(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/pack",
        "/api/v1/insight-requests",
        "/api/v1/insight-requests/{request_id}",
        "/api/v1/standard",
        "/api/v1/funds",
        "/api/v1/funds/{fund_id}",
    }
    purposes = document["paths"]["/api/v1/members"]["get"]["parameters"][0]["schema"]["enum"]
    assert "affordable-credit" in purposes
    assert "benchmarking" not in purposes and "fund-news" not in purposes  # used only inside the trust: never read
    assert "wellbeing-comparison" not in purposes


def answer(response) -> tuple:  # type: ignore[no-untyped-def]
    """Everything an organisation sees of a response but the date."""
    return response.status_code, sorted((k, v) for k, v in response.headers.items() if k != "Date"), response.data


def test_the_api_never_tells_who_is_a_member(app, web_services, lender):
    _organisation_id, token = lender
    trust, views = web_services.trust, web_services.views
    member_id, _consent = joined_with_consent(trust)
    leaver, _ = joined_with_consent(trust)
    trust.member_leaves(leaver, MEMBER)
    erased, _ = joined_with_consent(trust)
    trust.erase_member(erased, TRUSTEE)
    client = app.test_client()

    def read(member_ref: str):  # type: ignore[no-untyped-def]
        return client.get(f"/api/v1/members/{member_ref}?purpose=research", headers=bearer(token))

    unknown = answer(read("00000000-0000-0000-0000-000000000000"))
    assert unknown[0] == 403
    for someone in (member_id, leaver, erased):
        assert answer(read(str(someone))) == unknown
    assert answer(read("not-a-member-id")) == unknown
    assert [row["what"] for row in attempts(views, member_id)] == ["read refused"]  # still in their history
    assert [row["what"] for row in attempts(views, erased)] == ["read refused"]


def test_community_insight_is_never_read_member_by_member(app, web_services, web_clock):
    trust = web_services.trust
    council = trust.register_organisation("Cumbria County Council", "council", TRUSTEE)
    trust.approve_organisation(council, "DSA-2", web_clock().date(), TRUSTEE)
    _token_id, token = trust.issue_api_token(council, "planning", TRUSTEE)
    member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot", profile={"area": "CA11"})
    trust.grant_consent(member_id, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), MEMBER)
    client = app.test_client()
    why = "Community insight is only released as anonymised panel results, never read member by member."
    with nothing_recorded(web_services):
        listed = client.get("/api/v1/members?purpose=community-insight", headers=bearer(token))
        read = client.get(f"/api/v1/members/{member_id}?purpose=community-insight", headers=bearer(token))
    for response in (listed, read):
        assert response.status_code == 400 and response.get_json() == {"error": why}
        assert "CA11" not in response.get_data(as_text=True)
    with web_services.views.reading() as conn:  # the consent still puts them in the pool panels are drawn from
        assert member_id in web_services.views.panel_pool(conn, council, "community-insight", web_clock())
    with pytest.raises(InvalidRequest, match="anonymised panel results"), nothing_recorded(web_services):
        trust.record_access(council, member_id, "community-insight", ["profile"], MEMBER)


def test_a_lender_reads_the_household_finances_a_member_shared_and_null_where_nothing_is_shared(
    app, web_services, lender, web_clock
):
    organisation_id, token = lender
    trust = web_services.trust
    member_id, consent_id = joined_with_consent(trust, ("household-finances", "housing"))
    trust.share_data(member_id, "household-finances", {"income-band": "1000-1499", "benefits": True}, MEMBER, "bot")
    web_clock.advance(minutes=1)
    url = f"/api/v1/members/{member_id}?purpose=affordable-credit&categories=household-finances,housing,wellbeing"
    body = app.test_client().get(url, headers=bearer(token)).get_json()
    shared = body["fields"]["household-finances"]
    assert shared["fields"] == {"income-band": "1000-1499", "benefits": True}
    assert shared["version"] == "1" and shared["shared_at"].startswith(str(web_clock().date()))
    assert body["fields"]["housing"] is None  # allowed, but the member has shared nothing yet
    assert "wellbeing" not in body["fields"] and body["withheld"] == ["wellbeing"]
    [read] = attempts(web_services.views, member_id)
    assert read["what"] == "read" and sorted(read["categories"]) == ["household-finances", "housing"]


def test_the_data_standard_is_published_for_anyone_to_build_against(app):
    body = app.test_client().get("/api/v1/standard").get_json()
    wellbeing = body["categories"]["wellbeing"]["versions"]["1"]["fields"]
    assert wellbeing["life-satisfaction"] == {
        "type": "number",
        "label": "Life satisfaction",
        "question": "Overall, how satisfied are you with your life nowadays? (0 = not at all, 10 = completely)",
        "required": False,
        "minimum": 0,
        "maximum": 10,
        "decimals": 0,
    }
    profile = body["categories"]["organisation-profile"]
    assert profile["members"] == ["organisation-member"]
    assert profile["versions"]["1"]["fields"]["org-id"]["required"] is True
    assert body["categories"]["funding-history"]["versions"]["1"]["entries"] is True
