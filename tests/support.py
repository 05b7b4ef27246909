"""Shared test helpers: a controllable clock and database set-up."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("DATATRUST_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("DATATRUST_REQUIRE_POSTGRES") == "1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class FakeClock:
    """The trust's clock under the test's control."""

    def __init__(self, start: datetime = START):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def fresh_postgres_url() -> str:
    """The test database, emptied: every test starts from an empty trust."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("DATATRUST_REQUIRE_POSTGRES=1 but DATATRUST_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need DATATRUST_TEST_POSTGRES_URL (.ci/run sets it)")
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # noqa: BLE001 - report any connection failure plainly
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    finally:
        engine.dispose()
    return POSTGRES_URL


def snapshot(services) -> tuple:
    """Everything a user could observe: the log position and every read-model row."""
    from sqlalchemy import select

    from projections.core.tables import metadata

    with services.views.reading() as conn:
        tables = {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in metadata.sorted_tables}
    return services.trust.last_position(), tables


class nothing_recorded:  # noqa: N801 - reads as English in a with-statement
    """Asserts the block changed neither the history nor any read model."""

    def __init__(self, services):
        self.services = services

    def __enter__(self):
        self.before = snapshot(self.services)

    def __exit__(self, *exc):
        assert snapshot(self.services) == self.before, "a refused request changed the history"
        return False


def bot_environment(var, fake, **extra: str) -> dict[str, str]:
    """The environment of a `datatrust` process talking to the fake Telegram: this one's,
    without any DATATRUST_ setting of the developer's, plus the store folder and the fake's address."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATATRUST_")}
    env.update(
        DATATRUST_VAR=str(var),
        DATATRUST_TELEGRAM_API_URL=fake.base_url,
        DATATRUST_TELEGRAM_TOKEN=fake.token,
        PYTHONIOENCODING="utf-8",
        **extra,
    )
    return env


def cheap_password_hashing():  # type: ignore[no-untyped-def]
    """argon2's cheapest profile, for tests that open staff accounts by the hundred (the
    service always uses the recommended parameters: tests/web/test_sign_in.py checks)."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    return PasswordHasher.from_parameters(CHEAPEST)

