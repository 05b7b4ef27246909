"""An erasure whose purge of the SQLite files cannot finish at once (a reader holds the
write-ahead log) is recorded unfinished, shown to trustees, and retried by the
scheduler until the files have forgotten the member."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.sealing.vault import member_keys
from domain.store import storage
from scheduler.due import run_due_work
from tests.conftest import OPERATOR, TRUSTEE

NAME = "Philippa Unfinished-Purge"


def files_hold(path: Path, secret: bytes) -> bool:
    return any(secret in p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.fixture
def reader(settings):
    """Another process's long read: a snapshot of the store held open."""
    connection = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    yield connection
    connection.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_purge_a_reader_blocks_is_shown_unfinished_and_retried_until_it_completes(
    services, trust, views, clock, reader, monkeypatch
):
    monkeypatch.setattr(storage, "CHECKPOINT_TRIES", 2, raising=False)  # the reader outlasts any wait
    member = trust.register_member(NAME, OPERATOR, channel="bot", contact="@philippa_up")
    with trust.engine.connect() as conn:  # the name is only ever sealed; its key's wrapped bytes are what linger
        wrapped = conn.execute(select(member_keys.c.wrapped_key).where(member_keys.c.member_id == member)).scalar()
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM member_keys").fetchall()
    erased_at = clock()
    trust.erase_member(member, TRUSTEE)
    state = views.dashboard(clock())["erasures"]
    assert (state.unfinished_purges, state.oldest_unfinished_purge_at) == (1, erased_at)
    assert files_hold(services.settings.sqlite_path, wrapped), "while the reader holds it, the files keep the key"

    assert "erasure-purge" not in dict((k.split(":")[0], o) for k, o in run_due_work(services) if o)
    assert trust.key_state().unfinished_purges == 1  # still held: it failed, and waits for its next try

    reader.execute("COMMIT")
    clock.advance(minutes=1)
    done = {key.split(":")[0]: outcome for key, outcome in run_due_work(services)}
    assert done["erasure-purge"] == "the database files forgot the old rows of 1 erasure(s)"
    assert trust.key_state().unfinished_purges == 0
    assert not files_hold(services.settings.sqlite_path, wrapped)
