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
# The most a test waits for a child process of ours (`datatrust serve`, the bot) to start and answer.
# A ceiling, never a guess at how long it takes: a passing run returns as soon as the child answers.
# CI's loaded machine (four test workers and Chromium on two cores) once took over 30 s to start one.
CHILD_START_SECONDS = 120.0


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
    from domain.kernel.catalogue import load_catalogue
    from domain.sealing.vault import Vault, decode_master_key, new_master_key
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


# What a test could change in a database's shape: every object in the user's schemas (tables,
# columns with their types, defaults and constraints, indexes, sequences, views, functions, triggers).
SHAPE = text(
    """
    WITH user_schemas AS (
        SELECT oid, nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
    ), parts AS (
        SELECT 'schema ' || nspname AS part FROM user_schemas
        UNION ALL
        SELECT 'relation ' || s.nspname || '.' || c.relname || ' ' || c.relkind::text
        FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace
        UNION ALL
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN user_schemas s ON s.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN user_schemas s ON s.oid = c.relnamespace
        UNION ALL
        SELECT 'index ' || pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN user_schemas s ON s.oid = c.relnamespace
        UNION ALL
        SELECT 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid)
        FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
        UNION ALL
        SELECT 'function ' || p.proname || ' ' || md5(coalesce(p.prosrc, ''))
        FROM pg_proc p JOIN user_schemas s ON s.oid = p.pronamespace
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
    )
    SELECT md5(string_agg(part, E'\\n' ORDER BY part)) FROM parts
    """
)
TABLES = text(
    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
)
USED_SEQUENCES = text(
    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND last_value IS NOT NULL"
)


class PostgresTemplate:
    """On the server named by DATATRUST_TEST_POSTGRES_URL, per test process (xdist worker):
    a template database holding the schema, made once, and this process's test database,
    made from it (CREATE DATABASE ... TEMPLATE) and given to each test as new: if the last
    test left the schema as the template has it, the tables it wrote to are emptied
    (TRUNCATE, new files) and every sequence it used starts again; if it changed the schema
    (a test of an old store's upgrade), the database is made again from the template.
    CREATE DATABASE copies the whole template, catalogues and all, and took longer here than
    the DDL it replaces (0.25 to 0.6 s a test on this 2-core machine under load), so it is only
    the fallback. The database the URL names is only the way in (CREATE and DROP DATABASE run
    there); the others are dropped at the end of the session."""

    def __init__(self, url: str):
        self.url = make_url(url)
        base = self.url.database
        self.template_name = f"{base}_tpl_{worker()}"
        self.test_name = f"{base}_{worker()}"
        assert len(self.template_name) <= 63, f"the database name {base!r} is too long to derive others from"
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.test = create_engine(self._url(self.test_name), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.shape: str | None = None  # the template's
        self.tables: list[str] = []

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        with self.admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    def _make_test_database(self) -> None:
        # FORCE: a connection a finished test left open must not keep the next test from its store
        self._admin(
            f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
            f"CREATE DATABASE {self.test_name} TEMPLATE {self.template_name}",
        )

    def _make_template(self) -> None:
        self._admin(
            f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
            f"DROP DATABASE IF EXISTS {self.template_name} WITH (FORCE)",
            f"CREATE DATABASE {self.template_name}",
        )
        create_schema(self._url(self.template_name))
        self._make_test_database()
        with self.test.connect() as conn:
            self.shape = conn.execute(SHAPE).scalar()
            self.tables = list(conn.execute(TABLES).scalars())

    def _empty(self) -> bool:
        """Empty the test database in place; False if its schema is no longer the template's."""
        with self.test.connect() as conn:
            if conn.execute(SHAPE).scalar() != self.shape:
                return False
            written = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT FROM {t})" for t in self.tables)
            tables = list(conn.execute(text(written)).scalars())
            sequences = list(conn.execute(USED_SEQUENCES).scalars())
            if tables:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            for sequence in sequences:
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
        return True

    def fresh_url(self) -> str:
        if self.shape is None:
            self._make_template()
        else:
            # FORCE-like: end the sessions a finished test left open, so none holds a lock or a snapshot
            self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{self.test_name}' AND pid <> pg_backend_pid()"
            )
            if not self._empty():
                self._make_test_database()
        return self._url(self.test_name)

    def remove(self) -> None:
        if self.shape is not None:
            self.test.dispose()
            self._admin(
                f"DROP DATABASE IF EXISTS {self.test_name} WITH (FORCE)",
                f"DROP DATABASE IF EXISTS {self.template_name} WITH (FORCE)",
            )
            self.shape = None
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
