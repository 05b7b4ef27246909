"""Fixtures for the web adapter: the real app on a real store, signed-in people.

Every client keeps CSRF protection on, as in production: `Web.post` sends the
token from the page the person last opened, exactly as a browser would."""

import re

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web import create_app
from domain.kernel.actors import Actor
from tests.conftest import TRUSTEE
from tests.support import FakeClock, cheap_password_hashing, fresh_sqlite_url

PASSWORD = "correct horse battery staple"  # noqa: S105 - the test accounts' password
SETUP = Actor("operator", "test")
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


class Web:
    """A person at a browser: follows the app's pages, forms carry their CSRF token."""

    def __init__(self, client):
        self.client = client
        self.last_token: str | None = None

    def _remember(self, response):
        if response.mimetype == "text/html":
            tag = _CSRF.search(response.get_data(as_text=True))
            if tag:
                self.last_token = _VALUE.search(tag.group(0)).group(1)
        return response

    def get(self, url: str, **kwargs):
        return self._remember(self.client.get(url, **kwargs))

    def post(self, url: str, data: dict | None = None, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            if self.last_token is None:
                self.get(url if "/sign-out" not in url else "/")
            data["csrf_token"] = self.last_token
        return self._remember(self.client.post(url, data=data, **kwargs))

    def form(self, page_url: str, data: dict, target: str | None = None, **kwargs):
        """Open the page, then send the form on it (to ``target``, default the same page)."""
        self.get(page_url)
        return self.post(target or page_url, data, **kwargs)

    def text(self, response) -> str:
        return response.get_data(as_text=True)


def open_account(trust, username: str, roles: list[str], password: str = PASSWORD):
    link = trust.open_staff_account(username, roles, SETUP)
    trust.set_password_with_link(link.token, password)
    return link.account_id


@pytest.fixture
def web_clock():
    return FakeClock()


@pytest.fixture
def web_services(tmp_path, web_clock):
    settings = Settings.from_environment(
        {"DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "web.sqlite3"), "DATATRUST_VAR": str(tmp_path / "var")}
    )
    built = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


@pytest.fixture
def app(web_services):
    return create_app(web_services, {"TESTING": True})


@pytest.fixture
def people(app, web_services):
    """people("amy", ["caseworker"]) -> a signed-in Web for a new account."""

    def signed_in(username: str, roles: list[str]) -> Web:
        open_account(web_services.trust, username, roles)
        web = Web(app.test_client())
        response = web.form("/sign-in", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, web.text(response)
        return web

    return signed_in


@pytest.fixture
def anonymous(app) -> Web:
    return Web(app.test_client())


@pytest.fixture
def caseworker(people) -> Web:
    return people("cal", ["caseworker"])


@pytest.fixture
def second_caseworker(people) -> Web:
    return people("cass", ["caseworker"])


@pytest.fixture
def trustee(people) -> Web:
    return people("tess", ["trustee"])


@pytest.fixture
def lender(web_services, web_clock):
    """An approved social lender, with an API token: (organisation id, token)."""
    trust = web_services.trust
    organisation = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-1", web_clock().date(), TRUSTEE)
    _token_id, token = trust.issue_api_token(organisation, "loan system", TRUSTEE)
    return organisation, token


PAPER_FORM = {
    "name": "Mary Atkinson",
    "contact": "07700 900123",
    "signed_on": "2026-02-27",
    "form_ref": "PF-1042",
    "profile_area": "CA11",
    "profile_age-band": "65-74",
    "profile_gender": "prefer-not-to-say",
    "profile_household": "",
    "consent_affordable-credit": "y",
    "audience_affordable-credit": "kind:social-lender",
    "categories_affordable-credit": ["contact", "household-finances"],
}
