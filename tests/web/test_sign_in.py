"""Staff sign-in: one-time links, Argon2 passwords, throttling, sessions that end."""

import time

from tests.support import nothing_recorded
from tests.web.conftest import PASSWORD, SETUP, Web


def test_a_one_time_link_lets_a_new_caseworker_choose_a_password_and_works_only_once(app, web_services):
    link = web_services.trust.open_staff_account("amy.k", ["caseworker"], SETUP)
    web = Web(app.test_client())
    page = web.get(f"/welcome/{link.token}")
    assert page.status_code == 200 and "Welcome, amy.k" in web.text(page)
    done = web.post(f"/welcome/{link.token}", {"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/members"
    assert web.get("/members").status_code == 200
    again = Web(app.test_client()).get(f"/welcome/{link.token}")
    assert again.status_code == 404 and "expired or has already been used" in web.text(again)


def test_a_weak_or_mismatched_password_is_refused_next_to_the_field_and_the_link_still_works(app, web_services):
    link = web_services.trust.open_staff_account("amy.k", ["caseworker"], SETUP)
    web = Web(app.test_client())
    web.get(f"/welcome/{link.token}")
    short = web.post(f"/welcome/{link.token}", {"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "Use 12 to 256 characters." in web.text(short)
    differ = web.post(f"/welcome/{link.token}", {"password": PASSWORD, "confirm": PASSWORD + "x"})
    assert differ.status_code == 400 and "The two passwords differ." in web.text(differ)
    named = web.post(f"/welcome/{link.token}", {"password": "amy.k is my name ok", "confirm": "amy.k is my name ok"})
    assert named.status_code == 400 and "must not contain the username" in web.text(named)
    assert web.post(f"/welcome/{link.token}", {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302


def test_wrong_passwords_get_one_plain_answer_then_sign_in_is_slowed_down(app, web_services):
    from tests.web.conftest import open_account

    open_account(web_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    unknown = web.form("/sign-in", {"username": "nobody", "password": "whatever it is"})
    wrong = web.form("/sign-in", {"username": "amy.k", "password": "not the password"})
    for response in (unknown, wrong):
        assert response.status_code == 401
        assert "That username and password do not match an active account." in web.text(response)
    for _ in range(4):
        web.form("/sign-in", {"username": "amy.k", "password": "still wrong"})
    blocked = web.form("/sign-in", {"username": "amy.k", "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many failed sign-ins" in web.text(blocked)
    assert int(blocked.headers["Retry-After"]) > 0
    assert web.get("/members").status_code == 302  # still not signed in


def test_a_password_is_stored_only_as_an_argon2_hash(web_services):
    from sqlalchemy import select

    from domain.store.credentials import staff_credentials
    from tests.web.conftest import open_account

    open_account(web_services.trust, "amy.k", ["caseworker"])
    with web_services.views.reading() as conn:
        stored = conn.execute(select(staff_credentials.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_disabled_account_loses_access_at_once(people, trustee, web_services):
    amy = people("amy.k", ["caseworker"])
    assert amy.get("/members").status_code == 200
    account = next(a for a in web_services.views.staff() if a["username"] == "amy.k")
    page = trustee.form(
        f"/trustee/staff/{account['account_id']}", {"confirm": "y"}, f"/trustee/staff/{account['account_id']}/disable"
    )
    assert page.status_code == 302
    after = amy.get("/members")
    assert after.status_code == 302 and after.headers["Location"].startswith("/sign-in")
    again = amy.form("/sign-in", {"username": "amy.k", "password": PASSWORD})
    assert again.status_code == 401


def test_sessions_end_after_thirty_idle_minutes(people, app):
    amy = people("amy.k", ["caseworker"])
    with amy.client.session_transaction() as stored:
        stored["seen"] = time.time() - 31 * 60
    response = amy.get("/members")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert "Your session ended" in amy.text(amy.get(response.headers["Location"]))


def test_a_new_sign_in_link_ends_the_old_sessions(people, trustee, web_services):
    amy = people("amy.k", ["caseworker"])
    account = next(a for a in web_services.views.staff() if a["username"] == "amy.k")
    issued = trustee.form(
        f"/trustee/staff/{account['account_id']}", {}, f"/trustee/staff/{account['account_id']}/sign-in-link"
    )
    assert issued.status_code == 302  # post/redirect/get: the link is shown on the page redirected to
    assert "/welcome/" in trustee.text(trustee.get(issued.headers["Location"]))
    assert amy.get("/members").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(app, web_services):
    from tests.web.conftest import open_account

    open_account(web_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    asked = web.get("/members/pending")
    assert asked.headers["Location"] == "/sign-in?next=/members/pending"
    web.get(asked.headers["Location"])
    back = web.post(asked.headers["Location"], {"username": "amy.k", "password": PASSWORD})
    assert back.headers["Location"] == "/members/pending"
    other = Web(app.test_client())
    other.get("/sign-in")
    away = other.post("/sign-in?next=//evil.example/x", {"username": "amy.k", "password": PASSWORD})
    assert away.headers["Location"] == "/members"


def test_signing_out_ends_the_session(caseworker):
    caseworker.get("/members")
    assert caseworker.post("/sign-out").status_code == 302
    assert caseworker.get("/members").status_code == 302
    with caseworker.client.session_transaction() as stored:
        assert "account_id" not in stored


def test_a_post_without_its_csrf_token_is_refused_and_records_nothing(caseworker, web_services):
    from tests.web.conftest import PAPER_FORM

    with nothing_recorded(web_services):
        response = caseworker.post("/members/new", PAPER_FORM, csrf=False)
    assert response.status_code == 400 and "security token" in caseworker.text(response)


def test_the_session_cookie_is_http_only_and_same_site(app, web_services):
    from tests.web.conftest import open_account

    open_account(web_services.trust, "amy.k", ["caseworker"])
    web = Web(app.test_client())
    response = web.form("/sign-in", {"username": "amy.k", "password": PASSWORD})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert "HttpOnly" in cookies["datatrust_session"] and "SameSite=Lax" in cookies["datatrust_session"]
    assert "HttpOnly" in cookies["datatrust_device"] and "Path=/sign-in" in cookies["datatrust_device"]


def test_a_new_sign_in_link_ends_the_old_password_at_once(app, web_services):
    from tests.web.conftest import open_account

    account_id = open_account(web_services.trust, "amy.k", ["caseworker"])
    web_services.trust.issue_sign_in_link(account_id, SETUP)  # "I forgot, or someone may know it"
    web = Web(app.test_client())
    refused = web.form("/sign-in", {"username": "amy.k", "password": PASSWORD})
    assert refused.status_code == 401 and "do not match an active account" in web.text(refused)


def test_a_session_cookie_copied_before_signing_out_opens_nothing_after(caseworker, app):
    assert caseworker.get("/members").status_code == 200
    copied = caseworker.client.get_cookie("datatrust_session").value
    assert caseworker.post("/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie("datatrust_session", copied)
    response = replay.get("/members")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_sign_in_link_issued_while_the_password_is_being_checked_still_ends_that_password(
    app, web_services, monkeypatch
):
    """The trustee issues a new link ("someone may know it") while a sign-in with the old
    password is being checked: the session that sign-in gets opens nothing."""
    from tests.web.conftest import open_account

    trust = web_services.trust
    account_id = open_account(trust, "amy.k", ["caseworker"])
    real = trust.credentials._hasher

    class Meanwhile:  # Argon2 takes a while; the trustee acts during it
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def verify(self, stored, password):  # type: ignore[no-untyped-def]
            matched = real.verify(stored, password)
            trust.issue_sign_in_link(account_id, SETUP)  # between reading the password and the session
            return matched

    monkeypatch.setattr(trust.credentials, "_hasher", Meanwhile())
    web = Web(app.test_client())
    web.form("/sign-in", {"username": "amy.k", "password": PASSWORD})
    monkeypatch.setattr(trust.credentials, "_hasher", real)
    response = web.get("/members")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_the_service_hashes_passwords_with_argon2s_recommended_parameters(tmp_path):
    """The tests' fixtures hash cheaply; the composition root, left alone, never does."""
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from adapters.bootstrap import bootstrap
    from adapters.settings import Settings
    from domain.store.credentials import staff_credentials

    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": str(tmp_path / "var")}))
    try:
        trust = services.trust
        link = trust.open_staff_account("amy.k", ["caseworker"], SETUP)
        trust.set_password_with_link(link.token, PASSWORD)
        with trust.engine.connect() as conn:
            stored = conn.execute(select(staff_credentials.c.password_hash)).scalar()
    finally:
        services.close()
    assert stored.startswith("$argon2id$") and not PasswordHasher().check_needs_rehash(stored)
