"""Password guessing is slowed down, but nobody can lock a member of staff out.

Guesses are counted per (username, client) and per client, where the client is a
browser's device cookie (earned by signing in) or else its address; the count is
taken before the password is checked, so guesses sent at once cannot get past it.
Run on SQLite and PostgreSQL: the counts live in the database."""

import threading

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web import create_app
from tests.web.conftest import PASSWORD, Web, open_account

STRANGER, AMY, PROXY = "203.0.113.9", "198.51.100.7", "10.0.0.2"


def browser(app, address: str = "127.0.0.1", **headers: str) -> Web:
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, **headers)
    return Web(client)


def sign_in(web: Web, password: str, **kwargs):
    return web.form("/sign-in", {"username": "amy.k", "password": password}, **kwargs)


@pytest.fixture
def app(services):
    open_account(services.trust, "amy.k", ["caseworker"])
    return create_app(services, {"TESTING": True})


@pytest.fixture
def checked(services, monkeypatch):
    """Every password actually checked (the costly, guessable step)."""
    checks: list[str] = []
    real = services.trust.credentials.verify
    lock = threading.Lock()

    def counting(engine, account_id, password):  # type: ignore[no-untyped-def]
        with lock:
            checks.append(password)
        return real(engine, account_id, password)

    monkeypatch.setattr(services.trust.credentials, "verify", counting)
    return checks


def test_sixteen_guesses_at_once_get_at_most_five_password_checks(app, checked):
    browsers = [browser(app) for _ in range(16)]
    for web in browsers:
        web.get("/sign-in")  # each has its form's CSRF token, as a browser would
    start = threading.Barrier(len(browsers))
    answers: list[int] = []

    def guess(web: Web) -> None:
        start.wait()
        answers.append(web.post("/sign-in", {"username": "amy.k", "password": "a guess that is wrong"}).status_code)

    threads = [threading.Thread(target=guess, args=(web,)) for web in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= 5
    assert sorted(answers) == [401] * len(checked) + [429] * (16 - len(checked))


def test_one_person_signing_in_from_several_tabs_at_once_gets_in_every_time(app):
    tabs = [browser(app) for _ in range(4)]
    for web in tabs:
        web.get("/sign-in")
    start = threading.Barrier(len(tabs))
    answers: list[int] = []

    def sign_in_now(web: Web) -> None:
        start.wait()
        answers.append(web.post("/sign-in", {"username": "amy.k", "password": PASSWORD}).status_code)

    threads = [threading.Thread(target=sign_in_now, args=(web,)) for web in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 4  # given back and forgotten at once, without a deadlock


def test_a_strangers_failures_never_lock_the_real_person_out(app, checked):
    amy_at_home = browser(app, AMY)
    assert sign_in(amy_at_home, PASSWORD).status_code == 302  # her browser now carries a device cookie
    amy_at_home.post("/sign-out")
    stranger = browser(app, STRANGER)
    answers = [sign_in(stranger, f"guess number {n:02}").status_code for n in range(25)]
    assert answers == [401] * 5 + [429] * 20 and len(checked) == 6  # her sign-in, then five guesses

    assert sign_in(browser(app, "192.0.2.44"), PASSWORD).status_code == 302  # from any other address
    assert sign_in(amy_at_home, PASSWORD).status_code == 302  # and from her own browser

    # Even at the stranger's own address (a shared office line), her browser is not blocked...
    amy_at_office = browser(app, STRANGER)
    device = amy_at_home.client.get_cookie("datatrust_device", path="/sign-in").value
    amy_at_office.client.set_cookie("datatrust_device", device)
    assert sign_in(amy_at_office, PASSWORD).status_code == 302
    # ...while a browser that never signed in there is still slowed down.
    assert sign_in(browser(app, STRANGER), PASSWORD).status_code == 429


def test_a_right_password_clears_that_clients_failures(app):
    amy = browser(app, AMY)
    for n in range(4):
        assert sign_in(amy, f"mistyped {n}").status_code == 401
    assert sign_in(amy, PASSWORD).status_code == 302
    amy.post("/sign-out")
    for n in range(4):
        assert sign_in(amy, f"mistyped again {n}").status_code == 401
    assert sign_in(amy, PASSWORD).status_code == 302


@pytest.fixture
def behind_proxy(tmp_path, database_url, clock):
    """The app as the README serves it: behind one TLS proxy, DATATRUST_TRUSTED_PROXIES as given."""
    built = []

    def serve(trusted: str):  # type: ignore[no-untyped-def]
        environment = {
            "DATATRUST_DATABASE_URL": database_url,
            "DATATRUST_VAR": str(tmp_path / "var"),
            "DATATRUST_TRUSTED_PROXIES": trusted,
        }
        services = bootstrap(Settings.from_environment(environment), clock=clock)
        built.append(services)
        open_account(services.trust, "amy.k", ["caseworker"])
        return create_app(services, {"TESTING": True})

    yield serve
    for services in built:
        services.close()


def through_proxy(app, client_address: str) -> Web:
    return browser(app, PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_client(behind_proxy):
    app = behind_proxy("1")
    stranger = through_proxy(app, STRANGER)
    assert [sign_in(stranger, f"guess {n}").status_code for n in range(6)] == [401] * 5 + [429]
    assert sign_in(through_proxy(app, AMY), PASSWORD).status_code == 302


def test_with_no_trusted_proxy_a_forwarded_address_is_ignored(behind_proxy):
    app = behind_proxy("")
    stranger = through_proxy(app, STRANGER)
    # Writing a new X-Forwarded-For on every guess buys the stranger nothing.
    answers = [sign_in(through_proxy(app, f"192.0.2.{n}"), f"guess {n}").status_code for n in range(6)]
    assert answers == [401] * 5 + [429]
    assert sign_in(stranger, PASSWORD).status_code == 429  # every guess came from the proxy's address


def test_the_trusted_proxies_setting_must_be_a_number():
    with pytest.raises(ValueError, match="whole number of proxies"):
        Settings.from_environment({"DATATRUST_TRUSTED_PROXIES": "yes"})
    assert Settings.from_environment({}).trusted_proxies == 0


def test_the_old_sign_in_log_with_usernames_in_the_clear_is_dropped_at_start(database_url, tmp_path, clock):
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE sign_in_attempts (username VARCHAR(40), at TIMESTAMP)"))
        conn.execute(text("INSERT INTO sign_in_attempts VALUES ('amy.k', CURRENT_TIMESTAMP)"))
    environment = {"DATATRUST_DATABASE_URL": database_url, "DATATRUST_VAR": str(tmp_path / "var")}
    bootstrap(Settings.from_environment(environment), clock=clock).close()
    assert "sign_in_attempts" not in inspect(engine).get_table_names()
    engine.dispose()


def test_one_ipv6_network_counts_as_one_client(app, checked):
    """A host is given a whole /64: hopping between its addresses does not buy more guesses."""
    answers = [sign_in(browser(app, f"2001:db8:7:1::{n:x}"), f"guess number {n:02}").status_code for n in range(1, 8)]
    assert answers == [401] * 5 + [429] * 2 and len(checked) == 5
    assert sign_in(browser(app, "2001:db8:7:2::1"), PASSWORD).status_code == 302  # the next network is another client
