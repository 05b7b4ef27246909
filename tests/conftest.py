"""Fixtures: a whole trust (composition root and all) on SQLite and on PostgreSQL.

Each test's store is a copy of a template made once per test process (tests/support.py):
the schema is not made again for every test."""

import pytest
from click.testing import CliRunner

from adapters.bootstrap import bootstrap
from adapters.cli.main import cli
from adapters.settings import Settings
from domain.kernel.actors import Actor
from tests.support import FakeClock, cheap_password_hashing, fresh_postgres_url, fresh_sqlite_url, remove_templates

OPERATOR = Actor("operator", "test")
TRUSTEE = Actor("trustee", "tess")
CASEWORKER = Actor("caseworker", "cal")
MEMBER_THEMSELF = Actor("member", "self")  # only a member joining by themself is confirmed at once


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return fresh_sqlite_url(tmp_path / "trust.sqlite3")
    return fresh_postgres_url()


@pytest.fixture
def sqlite_url(tmp_path):
    return fresh_sqlite_url(tmp_path / "trust.sqlite3")


# Left out of `make test-fast` (the edit loop), measured with --durations: tests that run on the real
# clock (waits, time limits), start child processes, or run thousands of commands. `make test` runs them.
SLOW = (
    "tests/integration/test_two_schedulers.py",  # two scheduler processes, a lease taken over
    "tests/integration/test_scheduler_restart.py",  # APScheduler on the real clock
    "tests/integration/test_serve.py",  # `datatrust serve` with the bot in a child process
    "tests/integration/test_panel_draw_store.py",  # hard draws running to their time limit
    "tests/integration/test_recorded_store.py",  # 369 audit questions to a recorded store
    "tests/integration/test_rebuild.py::test_rebuild_equals_the_incrementally_maintained_models",  # 2,600 commands
    "tests/unit/test_sortition_time_limit.py",  # solvers stopped at their time limits
)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
        if item.nodeid.startswith("tests/browser/"):  # one worker starts the servers and browser they share
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    remove_templates()


@pytest.fixture
def settings(database_url, tmp_path):
    return Settings.from_environment({"DATATRUST_DATABASE_URL": database_url, "DATATRUST_VAR": str(tmp_path / "var")})


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def services(settings, clock):
    built = bootstrap(settings, clock=clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


@pytest.fixture
def trust(services):
    return services.trust


@pytest.fixture
def views(services):
    return services.views


@pytest.fixture
def approved_lender(trust, clock):
    organisation = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-1", clock().date(), TRUSTEE)
    return organisation


@pytest.fixture
def cli_run(settings, monkeypatch):
    """Run `datatrust ...` against the test's store; returns the click Result."""
    monkeypatch.setenv("DATATRUST_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATATRUST_MASTER_KEY_FILE", str(settings.master_key_file))
    monkeypatch.setenv("DATATRUST_ACTOR", "trustee:tess")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run
