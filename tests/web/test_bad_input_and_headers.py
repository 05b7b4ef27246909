"""Hostile input gets a plain answer, never a 500; what carries personal data is never cached."""

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web import create_app
from tests.support import nothing_recorded
from tests.web.conftest import PASSWORD, Web, open_account
from tests.web.test_organisation_api import bearer, joined_with_consent


@pytest.mark.parametrize(
    "asked",
    [
        "/%0D%0ASet-Cookie:%20planted=1",  # a header of the attacker's choosing
        "/members%0D%0A%0D%0A<script>",
        "/%5Cevil.example/x",  # browsers read /\host as //host: another site
    ],
)
def test_an_unsafe_next_page_is_ignored_and_never_reaches_a_header(app, web_services, asked):
    open_account(web_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    web.get("/sign-in")
    response = web.post(f"/sign-in?next={asked}", {"username": "amy.k", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/members"
    assert not any("planted" in cookie for cookie in response.headers.getlist("Set-Cookie"))


def test_a_safe_next_page_with_its_query_is_kept(app, web_services):
    open_account(web_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    web.get("/sign-in")
    response = web.post("/sign-in?next=/members%3Fq%3DMary", {"username": "amy.k", "password": PASSWORD})
    assert response.headers["Location"] == "/members?q=Mary"


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"title": ' * 20_000, b"[" * 21 + b"]" * 21])
def test_deeply_nested_json_is_refused_in_a_sentence(app, web_services, lender, body):
    _organisation, token = lender
    with nothing_recorded(web_services):
        response = app.test_client().post(
            "/api/v1/insight-requests", data=body, headers={**bearer(token), "Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.get_json() == {"error": "The JSON body nests arrays and objects more than 20 levels deep."}


def test_brackets_inside_strings_do_not_count_as_nesting(app, web_services, lender):
    _organisation, token = lender
    text = "[" * 300 + "{" * 300
    with nothing_recorded(web_services):
        response = app.test_client().post("/api/v1/insight-requests", json={"title": text}, headers=bearer(token))
    assert response.status_code == 400 and "nests" not in response.get_json()["error"]


def test_api_answers_with_personal_data_are_never_cached(app, web_services, lender):
    _organisation, token = lender
    member_id, _consent = joined_with_consent(web_services.trust)
    client = app.test_client()
    read = client.get(f"/api/v1/members/{member_id}?purpose=affordable-credit", headers=bearer(token))
    listed = client.get("/api/v1/members?purpose=affordable-credit", headers=bearer(token))
    assert read.status_code == listed.status_code == 200
    assert read.headers["Cache-Control"] == listed.headers["Cache-Control"] == "no-store"


@pytest.fixture
def served_over_https(tmp_path):
    environment = {
        "DATATRUST_DATABASE_URL": f"sqlite:///{tmp_path / 'https.sqlite3'}",
        "DATATRUST_VAR": str(tmp_path / "var"),
        "DATATRUST_SECURE_COOKIES": "1",
    }
    services = bootstrap(Settings.from_environment(environment))
    yield create_app(services, {"TESTING": True})
    services.close()


def test_with_secure_cookies_browsers_are_told_to_use_https_only(served_over_https):
    response = served_over_https.test_client().get("/sign-in", base_url="https://trust.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_over_https_the_forms_work_with_the_strict_csrf_referrer_check(served_over_https):
    """Flask-WTF refuses an HTTPS form post without a same-site Referer; the pages' own
    Referrer-Policy decides whether a browser sends one."""
    services = served_over_https.extensions["datatrust"]
    open_account(services.trust, "amy.k", ["caseworker"])
    web = Web(served_over_https.test_client())
    page = web.get("/sign-in", base_url="https://trust.example")
    same_site_referer = page.headers["Referrer-Policy"] in (
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )
    headers = {"Referer": "https://trust.example/sign-in"} if same_site_referer else {}
    form = {"username": "amy.k", "password": PASSWORD}
    response = web.post("/sign-in", form, base_url="https://trust.example", headers=headers)
    assert response.status_code == 302, web.text(response)


def test_without_secure_cookies_there_is_no_https_promise(app):
    assert "Strict-Transport-Security" not in app.test_client().get("/sign-in").headers
