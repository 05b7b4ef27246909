"""A funder reads an organisation-member's application pack: contact, profile and funding history in
one call, recorded as one access; refused exactly as a member read is; as JSON or as a spreadsheet."""

import csv
import io
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.kernel.actors import Actor
from domain.trust import CONFIRMATION_WAYS, Audience
from projections.consent.tables import access_attempts
from tests.conftest import CASEWORKER, OPERATOR, TRUSTEE
from tests.support import cheap_password_hashing

GRANTS = (Path(__file__).parents[1] / "integration" / "threesixty" / "eden-valley-trust-grants.csv").read_bytes()
SECOND = Actor("caseworker", "cass")


@pytest.fixture
def web_services(tmp_path, web_clock, database_url):
    """The API on each database (SQLite, and PostgreSQL when it is there)."""
    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": database_url, "DATATRUST_VAR": str(tmp_path / "v")})
    built = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


@pytest.fixture
def funder(web_services, web_clock):
    trust = web_services.trust
    organisation = trust.register_organisation("Eden Valley Trust", "funder", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-3", web_clock().date(), TRUSTEE)
    _token_id, token = trust.issue_api_token(organisation, "grants system", TRUSTEE)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def bakery(web_services):
    """An organisation-member with a profile (=SUM in its contact, as a prankster might) and two grants,
    who lets funders see its contact, profile and funding history for funding applications."""
    trust = web_services.trust
    member = trust.register_member(
        "Quarry Lane Community Bakery",
        CASEWORKER,
        channel="paper",
        kind="organisation-member",
        evidence_ref="PF-9",
        contact='=HYPERLINK("http://x")',
    )
    trust.confirm_member(member, SECOND, CONFIRMATION_WAYS[1])
    profile = {"org-id": "GB-MPR-30084R", "legal-form": "co-operative", "employees": 6.5, "annual-income": 31250000}
    trust.share_data(member, "organisation-profile", profile, CASEWORKER, "paper", evidence_ref="PF-9")
    trust.import_funding_history(member, GRANTS, "grants.csv", OPERATOR)
    categories = ["contact", "organisation-profile", "funding-history"]
    trust.grant_consent(
        member, "funding-applications", categories, Audience(kind="funder"), CASEWORKER, "paper", evidence_ref="PF-9"
    )
    return member


def accesses(services) -> list:
    with services.views.reading() as conn:
        return conn.execute(select(access_attempts)).all()


def test_a_funder_reads_the_whole_pack_in_one_recorded_access(app, web_services, funder, bakery):
    response = app.test_client().get(
        f"/api/v1/members/{bakery}/pack", query_string={"purpose": "funding-applications"}, headers=funder
    )
    assert response.status_code == 200
    pack = response.get_json()
    assert set(pack["fields"]) == {"contact", "organisation-profile", "funding-history"}
    assert [g["grant-id"] for g in pack["fields"]["funding-history"]["fields"]] == [
        "360G-edenvalley-2023-0041",
        "360G-edenvalley-2024-0007",
    ]
    rows = {(r["category"], r["record"], r["field"]): (r["label"], r["value"]) for r in pack["rows"]}
    assert rows[("organisation-profile", "", "annual-income")] == ("Annual income", "£312,500.00")
    assert rows[("organisation-profile", "", "legal-form")] == ("Legal form", "Co-operative society")
    assert rows[("organisation-profile", "", "employees")] == ("Employees (full-time equivalent)", "6.5 FTE")
    assert rows[("funding-history", "360G-edenvalley-2024-0007", "amount")] == ("Amount", "£31,250.50")
    [access] = accesses(web_services)
    assert str(access.attempt_id) == pack["access_id"]
    assert set(access.granted) == {"contact", "organisation-profile", "funding-history"}
    assert "wellbeing" in access.refused  # every category was asked, once


def test_the_pack_as_a_spreadsheet_quotes_what_would_run_as_a_formula(app, funder, bakery):
    for ask in ({"query_string": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}):
        response = app.test_client().get(
            f"/api/v1/members/{bakery}/pack",
            query_string={"purpose": "funding-applications", **ask.get("query_string", {})},
            headers={**funder, **ask.get("headers", {})},
        )
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        assert list(rows[0]) == ["category", "record", "field", "label", "value"]
        contact = [r["value"] for r in rows if (r["category"], r["field"]) == ("contact", "contact")]
        assert contact == ['\'=HYPERLINK("http://x")']
        oven = [r for r in rows if r["record"] == "360G-edenvalley-2023-0041"]
        assert {r["field"]: r["value"] for r in oven}["funder-name"] == "Eden Valley Trust"


def test_the_pack_is_refused_exactly_as_a_member_read_is(app, web_services, funder, bakery):
    client = app.test_client()
    refused = []
    for member_id, purpose in ((bakery, "grant-making"), (uuid4(), "funding-applications")):
        for path in (f"/api/v1/members/{member_id}", f"/api/v1/members/{member_id}/pack"):
            response = client.get(path, query_string={"purpose": purpose}, headers=funder)
            refused.append((response.status_code, response.get_data()))
    assert len(set(refused)) == 1 and refused[0][0] == 403
    assert len(accesses(web_services)) == 2  # the real member's refused reads are recorded; the unknown id's not
    bad = client.get(
        f"/api/v1/members/{bakery}/pack",
        query_string={"purpose": "funding-applications", "format": "xlsx"},
        headers=funder,
    )
    assert bad.status_code == 400 and len(accesses(web_services)) == 2
