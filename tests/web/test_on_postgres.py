"""The web journey once more on PostgreSQL, the production database."""

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web import create_app
from tests.conftest import TRUSTEE
from tests.support import FakeClock, fresh_postgres_url, nothing_recorded
from tests.web.conftest import PAPER_FORM, PASSWORD, Web, open_account

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_services(tmp_path):
    settings = Settings.from_environment(
        {"DATATRUST_DATABASE_URL": fresh_postgres_url(), "DATATRUST_VAR": str(tmp_path / "var")}
    )
    built = bootstrap(settings, clock=FakeClock())
    yield built
    built.close()


def signed_in(app, services, username, roles) -> Web:
    open_account(services.trust, username, roles)
    web = Web(app.test_client())
    assert web.form("/sign-in", {"username": username, "password": PASSWORD}).status_code == 302
    return web


def test_register_confirm_read_withdraw_and_audit_on_postgres(pg_services):
    app = create_app(pg_services, {"TESTING": True})
    trust = pg_services.trust
    organisation_id = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation_id, "DSA-1", pg_services.clock().date(), TRUSTEE)
    _token_id, token = trust.issue_api_token(organisation_id, "loan system", TRUSTEE)
    cal = signed_in(app, pg_services, "cal", ["caseworker"])
    cass = signed_in(app, pg_services, "cass", ["caseworker"])
    tess = signed_in(app, pg_services, "tess", ["trustee"])

    registered = cal.form("/members/new", PAPER_FORM)
    assert registered.status_code == 302
    member_id = registered.headers["Location"].rsplit("/", 1)[1]
    api = app.test_client()
    url = f"/api/v1/members/{member_id}?purpose=affordable-credit&categories=contact"
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get(url, headers=headers).status_code == 403  # not confirmed yet
    assert cass.form(f"/members/{member_id}/confirm", {"seen": "y"}).status_code == 302
    read = api.get(url, headers=headers)
    assert read.status_code == 200 and read.get_json()["fields"]["contact"]["name"] == "Mary Atkinson"

    [consent] = pg_services.views.consents(pg_services.views.find_member(member_id), pg_services.clock())
    withdrawn = cal.form(
        f"/members/{member_id}/withdraw",
        {"consent": str(consent["consent_id"]), "signed_on": "2026-03-01", "form_ref": "WD-1"},
    )
    assert withdrawn.status_code == 302 and api.get(url, headers=headers).status_code == 403

    answer = tess.get(f"/trustee/audit/history?member={member_id}")
    assert (
        answer.status_code == 200
        and "Eden Valley Credit Union read How to reach you (name, phone, chat) for affordable credit"
        in tess.text(answer)
    )
    with nothing_recorded(pg_services):
        assert tess.get("/trustee").status_code == 200
        assert cal.post("/members/new", PAPER_FORM, csrf=False).status_code == 400


def test_sign_in_throttle_counts_on_postgres(pg_services):
    app = create_app(pg_services, {"TESTING": True})
    open_account(pg_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    for _ in range(5):
        assert web.form("/sign-in", {"username": "amy.k", "password": "wrong password!"}).status_code == 401
    assert web.form("/sign-in", {"username": "amy.k", "password": PASSWORD}).status_code == 429
