"""Shared test helpers: a controllable clock and database set-up (template stores)."""

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

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


def worker() -> str:
    """This test process's name: pytest-xdist's worker id (gw0, gw1...), else "main"."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_schema(database_url: str) -> None:
    """Every table a new store has (the log, the tables beside it, the read models) and
    nothing in them: what bootstrap() creates before it seals the store to its master key.
    A throwaway vault: the schema does not depend on the key; each test's bootstrap then
    records its own master key check and first key version, exactly as on an empty store."""
    from domain.catalogue import load_catalogue
    from domain.sealing import Vault, decode_master_key, new_master_key
    from domain.trust import Trust
    from projections.views import TrustViews

    vault = Vault(decode_master_key(new_master_key()))
    trust = Trust(database_url, vault, load_catalogue(None))
    views = TrustViews(trust.engine, vault)
    try:
        trust.create_schema()
        views.create_schema()
    finally:
        trust.close()
        views.engine.dispose()


class SqliteTemplate:
    """The schema made once per test process in a SQLite file; each test gets a copy."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.content: bytes | None = None

    def copy_to(self, path: Path) -> str:
        """A new store at ``path`` (created 0600, as bootstrap creates one): the template's bytes."""
        if self.content is None:
            self.folder = Path(tempfile.mkdtemp(prefix=f"datatrust-template-{worker()}-"))
            template = self.folder / "template.sqlite3"
            create_schema(f"sqlite:///{template}")
            leftovers = [p.name for p in self.folder.iterdir() if p != template]
            assert not leftovers, f"the template store was not closed cleanly: {leftovers}"
            self.content = template.read_bytes()
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(self.content)
        return f"sqlite:///{path}"

    def remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = self.content = None


sqlite_template = SqliteTemplate()


def fresh_sqlite_url(path: Path) -> str:
    """A new SQLite store at ``path`` holding every table and nothing else (a copy of the template)."""
    return sqlite_template.copy_to(path)


class PostgresTemplate:
    """On the server named by DATATRUST_TEST_POSTGRES_URL, per test process (xdist worker):
    a template database holding the schema, made once, and the test database, made again
    from it for every test (CREATE DATABASE ... TEMPLATE). The database the URL names is
    only the way in (CREATE and DROP DATABASE run there); both are dropped at the end."""

    def __init__(self, url: str):
        self.url = make_url(url)
        base = self.url.database
        self.template_name = f"{base}_tpl_{worker()}"
        self.test_name = f"{base}_{worker()}"
        assert len(self.template_name) <= 63, f"the database name {base!r} is too long to derive others from"
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.made = False

    def _run(self, *statements: str) -> None:
        with self.admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    def fresh_url(self) -> str:
        if not self.made:
            self._run(
                f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
                f"DROP DATABASE IF EXISTS {self.template_name} WITH (FORCE)",
                f"CREATE DATABASE {self.template_name}",
            )
            self.made = True
            create_schema(self.url.set(database=self.template_name).render_as_string(hide_password=False))
        # FORCE: a connection a finished test left open must not keep the next test from its store
        self._run(
            f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
            f"CREATE DATABASE {self.test_name} TEMPLATE {self.template_name}",
        )
        return self.url.set(database=self.test_name).render_as_string(hide_password=False)

    def remove(self) -> None:
        if self.made:
            self._run(
                f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
                f"DROP DATABASE IF EXISTS {self.template_name} WITH (FORCE)",
            )
            self.made = False
        self.admin.dispose()


_postgres_template: PostgresTemplate | None = None


def fresh_postgres_url() -> str:
    """A new PostgreSQL store (every table, nothing in them) for this test: every test starts
    from an empty trust. Skips (or fails, when DATATRUST_REQUIRE_POSTGRES=1) without a server."""
    global _postgres_template
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("DATATRUST_REQUIRE_POSTGRES=1 but DATATRUST_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need DATATRUST_TEST_POSTGRES_URL (.ci/run sets it)")
    try:
        if _postgres_template is None:
            _postgres_template = PostgresTemplate(POSTGRES_URL)
        return _postgres_template.fresh_url()
    except OperationalError as error:  # report a connection failure plainly
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")


def remove_templates() -> None:
    """At the end of the session: the template files and this process's databases go."""
    global _postgres_template
    sqlite_template.remove()
    if _postgres_template is not None:
        _postgres_template.remove()
        _postgres_template = None


def snapshot(services) -> tuple:
    """Everything a user could observe: the log position and every read-model row."""
    from sqlalchemy import select

    from projections.tables import metadata

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
