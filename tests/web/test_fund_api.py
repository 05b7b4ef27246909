"""Funds in the organisation API: a funder publishes one, and sees how many members were told (never
fewer than the minimum cell size) and then the members who chose to share their pack, whose pack it
reads at the pack endpoint. Bad funds are refused in a sentence and record nothing."""

from uuid import UUID

import pytest

from adapters.web.fund_api import shown
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.fund_support import CAFES_IN_CA, approved_funder, cafes
from tests.support import nothing_recorded

FUND = {
    "title": "Green kitchens",
    "amount_min_pence": 500_000,
    "amount_max_pence": 2_500_000,
    "criteria": CAFES_IN_CA,
    "closes_at": "2026-04-30T17:00:00+01:00",
}


@pytest.fixture
def funder(web_services, web_clock):
    """An approved funder's id and the API's Authorization header for it."""
    organisation = approved_funder(web_services.trust, web_clock)
    _token_id, token = web_services.trust.issue_api_token(organisation, "grants system", TRUSTEE)
    return organisation, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def cafes_in_ca(web_services):
    cafes(web_services.trust, 3, area="LA9")
    return cafes(web_services.trust, 12)


def test_a_funder_publishes_a_fund_and_sees_only_how_many_were_told(app, web_services, funder, cafes_in_ca):
    client, (_funder_id, auth) = app.test_client(), funder
    response = client.post("/api/v1/funds", json=FUND, headers=auth)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["told"] == 12 and body["told_withheld"] is None and body["shared"] == []
    assert body["title"] == "Green kitchens" and body["closes_at"] == "2026-04-30T16:00:00+00:00"
    assert body["criteria"] == {"sectors": ["I"], "areas": ["CA"], "legal_forms": [], "sizes": []}
    assert response.headers["Location"] == f"/api/v1/funds/{body['id']}"
    assert client.get(f"/api/v1/funds/{body['id']}", headers=auth).get_json() == body
    assert client.get("/api/v1/funds", headers=auth).get_json() == {"funds": [body]}
    # A member replies: now the funder sees who, and reads its pack under the consent the reply recorded.
    cafe = cafes_in_ca[0]
    web_services.trust.share_pack(UUID(body["id"]), cafe, MEMBER_THEMSELF)
    shared = client.get(f"/api/v1/funds/{body['id']}", headers=auth).get_json()["shared"]
    assert [s["member_id"] for s in shared] == [str(cafe)]
    pack = client.get(f"/api/v1/members/{cafe}/pack", query_string={"purpose": "funding-applications"}, headers=auth)
    assert pack.status_code == 200
    assert pack.get_json()["fields"]["organisation-profile"]["fields"]["sector"] == "I"
    other = client.get(f"/api/v1/members/{cafes_in_ca[1]}/pack", query_string={"purpose": "funding-applications"})
    assert other.status_code == 401
    unshared = client.get(
        f"/api/v1/members/{cafes_in_ca[1]}/pack", query_string={"purpose": "funding-applications"}, headers=auth
    )
    assert unshared.status_code == 403  # told, but it did not share: the funder reads nothing of it


def test_a_fund_that_would_single_out_a_few_members_is_refused_and_records_nothing(
    app, web_services, funder, cafes_in_ca
):
    client, (_funder_id, auth) = app.test_client(), funder
    with nothing_recorded(web_services):
        response = client.post("/api/v1/funds", json={**FUND, "criteria": {"areas": ["LA"]}}, headers=auth)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Fewer than 10 of the members who asked to hear of funds fit")
    assert client.get("/api/v1/funds", headers=auth).get_json() == {"funds": []}


@pytest.mark.parametrize(
    ("sent", "sentence"),
    [
        ({k: v for k, v in FUND.items() if k != "title"}, "The body needs 'title'."),
        ({**FUND, "criteria": {"sectors": ["Z"]}}, "'criteria'.sectors[0] must be one of: A, B, C"),
        ({**FUND, "criteria": {"sizes": ["huge"]}}, "'criteria'.sizes[0] must be one of: large, medium, micro, small."),
        ({**FUND, "amount_min_pence": 3_000_000}, "The smallest award must not be more than the largest."),
        ({**FUND, "closes_at": "2026-03-01T09:00:00Z"}, "A fund's closing date must be in the future"),
        ({**FUND, "closes_at": "next week"}, "'closes_at' must be a date and time with its zone"),
        ({**FUND, "criteria": {"postcodes": ["CA"]}}, "A fund's criteria are sectors, areas, legal_forms and sizes"),
    ],
)
def test_bad_funds_are_refused_in_a_sentence(app, web_services, funder, cafes_in_ca, sent, sentence):
    with nothing_recorded(web_services):
        response = app.test_client().post("/api/v1/funds", json=sent, headers=funder[1])
    assert response.status_code == 400 and response.get_json()["error"].startswith(sentence), response.get_json()


def test_another_organisation_s_fund_is_unknown_to_it(app, web_services, web_clock, funder, cafes_in_ca):
    client = app.test_client()
    fund_id = client.post("/api/v1/funds", json=FUND, headers=funder[1]).get_json()["id"]
    other = approved_funder(web_services.trust, web_clock, "Lakes Loans", "social-lender")
    _token_id, token = web_services.trust.issue_api_token(other, "loans", TRUSTEE)
    answer = client.get(f"/api/v1/funds/{fund_id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404 and answer.get_json() == {
        "error": "No fund of your organisation is known by that id."
    }


def test_a_council_may_not_publish_a_fund(app, web_services, web_clock, cafes_in_ca):
    council = approved_funder(web_services.trust, web_clock, "Dale Council", "council")
    _token_id, token = web_services.trust.issue_api_token(council, "planning", TRUSTEE)
    with nothing_recorded(web_services):
        response = app.test_client().post("/api/v1/funds", json=FUND, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "Only an approved funder, social lender or social investor publishes a fund; Dale Council is not one now."
    )


def test_the_count_is_withheld_once_below_the_minimum_cell_size(app, web_services, funder, cafes_in_ca):
    body = app.test_client().post("/api/v1/funds", json=FUND, headers=funder[1]).get_json()
    found = web_services.views.fund(UUID(body["id"]), web_services.clock())
    assert shown(found, 12)["told"] == 12
    stricter = shown(found, 13)  # members voted a larger minimum cell size since
    assert stricter["told"] is None
    assert stricter["told_withheld"] == "Fewer than 13 members were told: too few to say how many."


def test_the_openapi_document_describes_funds(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {"post", "get"} == set(document["paths"]["/api/v1/funds"])
    assert "get" in document["paths"]["/api/v1/funds/{fund_id}"]
    publication = document["components"]["schemas"]["FundPublication"]
    assert publication["required"] == ["title", "amount_min_pence", "amount_max_pence", "closes_at"]
    criteria = publication["properties"]["criteria"]["properties"]
    assert criteria["sectors"]["items"]["enum"][:3] == ["A", "B", "C"]
    assert "CA" in criteria["areas"]["items"]["enum"] and criteria["sizes"]["items"]["enum"] == sorted(
        ["micro", "small", "medium", "large"]
    )
    fund = document["components"]["schemas"]["Fund"]
    assert fund["properties"]["told"]["type"] == ["integer", "null"]
