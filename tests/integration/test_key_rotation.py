"""Key versions that rotate: every live member key re-wrapped under a new version (in steps:
test_key_rotation_steps.py), the old version destroyed only after the last step committed,
and the scheduler rotating within the period after an erasure."""

import json
import stat
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import bootstrap, master_key
from adapters.keyring_file import FileKeyring
from domain.sealing.versions import member_keys
from scheduler.due import run_due_work
from tests.conftest import OPERATOR, TRUSTEE


def keyring(services) -> dict[int, bytes]:
    return FileKeyring(services.settings.keyring_path, master_key(services.settings)[0]).versions()


def outcomes(done):
    return {key.split(":")[0]: outcome for key, outcome in done}


def test_a_rotation_rewraps_every_live_key_and_destroys_the_old_version(services, trust, cli_run):
    ada = trust.register_member("Ada Lovelace", OPERATOR, channel="bot", contact="@ada")
    bob = trust.register_member("Bob Babbage", OPERATOR, channel="bot")
    trust.erase_member(bob, TRUSTEE)
    assert set(keyring(services)) == {1}
    derived = [trust.vault.derived_key(purpose) for purpose in ("web sessions", "sign-in client digests")]
    result = cli_run("keys", "rotate")
    assert result.exit_code == 0, result.output
    assert "Key version 2 now wraps every member key (1 re-wrapped by this command); destroyed version(s): 1." in (
        result.output
    )
    assert set(keyring(services)) == {2}
    assert trust.member_personal_data(ada)["name"] == "Ada Lovelace"  # this process learns version 2 by itself
    assert trust.register_member("Cy Young", OPERATOR, channel="bot")
    with trust.engine.connect() as conn:
        assert set(conn.execute(select(member_keys.c.key_version)).scalars()) == {2}
    status = json.loads(cli_run("keys", "status", "--json").output)
    assert (status["current_version"], status["erasures_complete"], status["erasures_pending"]) == (2, 1, 0)
    assert stat.S_IMODE(services.settings.keyring_path.stat().st_mode) == 0o600
    assert [trust.vault.derived_key(p) for p in ("web sessions", "sign-in client digests")] == derived  # sessions stay


def test_only_trustees_operators_and_the_scheduler_rotate(trust):
    with pytest.raises(Exception, match="Only a trustee, an operator or the scheduler"):
        trust.rotate_keys(OPERATOR.__class__("caseworker", "cal"))


def test_a_rotation_step_interrupted_before_its_commit_leaves_every_key_readable(services, trust, monkeypatch):
    members = [trust.register_member(name, OPERATOR, channel="bot") for name in ("Ada One", "Bea Two")]
    calls = []

    def failing_wrap(version, member_id, key, original=trust.vault.wrap):
        calls.append(member_id)
        if len(calls) == 2:
            raise OSError("the machine stopped")
        return original(version, member_id, key)

    monkeypatch.setattr(trust.vault, "wrap", failing_wrap)
    with pytest.raises(OSError):
        trust.rotate_keys(TRUSTEE)
    monkeypatch.undo()
    assert set(keyring(services)) == {1, 2}  # the new version was made (committed) before any step
    assert [trust.member_personal_data(m)["name"] for m in members] == ["Ada One", "Bea Two"]
    assert trust.rotate_keys(TRUSTEE).version == 3  # version 2, which the failed step left wrapping nothing, goes
    assert set(keyring(services)) == {3}
    assert [trust.member_personal_data(m)["name"] for m in members] == ["Ada One", "Bea Two"]


def test_a_version_put_in_the_keyring_by_a_rotation_that_never_committed_is_dropped(services, trust, monkeypatch):
    member = trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    real_add = type(trust.vault.keyring).add

    def added_then_stopped(self, version, key):
        real_add(self, version, key)
        raise OSError("the machine stopped")

    monkeypatch.setattr(type(trust.vault.keyring), "add", added_then_stopped)
    with pytest.raises(OSError):
        trust.rotate_keys(TRUSTEE)
    monkeypatch.undo()
    assert set(keyring(services)) == {1, 2} and trust.key_state().versions_kept == [1]  # 2 wraps nothing
    assert trust.rotate_keys(TRUSTEE).version == 3
    assert set(keyring(services)) == {3}
    assert trust.member_personal_data(member)["name"] == "Ada Lovelace"


def test_a_rotation_interrupted_after_its_commit_destroys_the_old_version_later(services, trust, monkeypatch):
    member = trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    monkeypatch.setattr(type(trust.vault.keyring), "remove", lambda self, versions: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        trust.rotate_keys(TRUSTEE)
    monkeypatch.undo()
    assert trust.member_personal_data(member)["name"] == "Ada Lovelace"
    assert trust.key_upkeep().destruction_due == 1
    assert outcomes(run_due_work(services))["key-destruction"] == "destroyed key version(s) 1"
    assert set(keyring(services)) == {2} and trust.key_state().versions_kept == [2]


def test_the_scheduler_rotates_within_a_day_of_an_erasure_and_trustees_see_it(services, trust, views, clock):
    staying = trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    leaving = trust.register_member("Bob Babbage", OPERATOR, channel="bot")
    assert "key-rotation" not in outcomes(run_due_work(services))  # nobody erased: nothing to rotate
    trust.erase_member(leaving, TRUSTEE)
    erased_at = clock()
    clock.advance(hours=23)
    assert "key-rotation" not in outcomes(run_due_work(services))
    pending = views.dashboard(clock())["erasures"]
    assert (pending.erasures_pending, pending.erasures_complete, pending.oldest_pending_at) == (1, 0, erased_at)
    clock.advance(hours=1)
    done = outcomes(run_due_work(services))
    rotated = "made key version 2; re-wrapped 1 member key(s) under version 2 and destroyed version(s) 1"
    assert done["key-rotation"] == rotated
    assert set(keyring(services)) == {2}
    complete = views.dashboard(clock())["erasures"]
    assert (complete.erasures_pending, complete.erasures_complete) == (0, 1)
    assert trust.member_personal_data(staying)["name"] == "Ada Lovelace"
    clock.advance(days=2)
    assert "key-rotation" not in outcomes(run_due_work(services))  # no erasure since


def test_the_rotation_period_is_a_setting(settings, clock, tmp_path):
    from dataclasses import replace

    services = bootstrap(replace(settings, key_rotation_days=3), clock=clock)
    try:
        member = services.trust.register_member("Bob Babbage", OPERATOR, channel="bot")
        services.trust.erase_member(member, TRUSTEE)
        assert services.trust.key_upkeep().rotation_due_at == clock() + timedelta(days=3)
    finally:
        services.close()


def test_another_process_keeps_working_across_a_rotation(settings, services, trust, clock):
    member = trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    other = bootstrap(settings, clock=clock)  # e.g. the web server, started before the rotation
    try:
        assert other.trust.member_personal_data(member)["name"] == "Ada Lovelace"
        trust.rotate_keys(TRUSTEE)
        assert other.trust.member_personal_data(member)["name"] == "Ada Lovelace"
        newcomer = other.trust.register_member("Cy Young", OPERATOR, channel="bot")
        assert trust.member_personal_data(newcomer)["name"] == "Cy Young"
    finally:
        other.close()


def test_destroying_retired_versions_holds_the_write_lock_from_its_first_read(sqlite_url, tmp_path, monkeypatch):
    """On SQLite a transaction that reads and then writes must take the write lock first: otherwise a
    commit by another process in between (the web server's, the scheduler's other work) makes its
    write fail at once with "database is locked", as `make run` once showed for key destruction.
    (PostgreSQL's writers wait for each other's row locks instead.)"""
    import sqlite3

    from adapters.settings import Settings

    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": sqlite_url, "DATATRUST_VAR": str(tmp_path / "var")})
    services = bootstrap(settings)
    trust = services.trust
    trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    monkeypatch.setattr(type(trust.vault.keyring), "remove", lambda self, versions: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        trust.rotate_keys(TRUSTEE)  # committed; version 1 retired but not yet destroyed
    monkeypatch.undo()
    path = services.settings.database_url.removeprefix("sqlite:///")
    other = []
    real_remove = type(trust.vault.keyring).remove

    def meanwhile(self, versions):  # between destruction's read and its write, another process writes
        with sqlite3.connect(path, timeout=0.1) as conn:
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS another_process (n)")
                other.append("wrote")
            except sqlite3.OperationalError as error:
                other.append(str(error))
        return real_remove(self, versions)

    monkeypatch.setattr(type(trust.vault.keyring), "remove", meanwhile)
    try:
        assert trust.destroy_retired_keys() == [1]  # not "database is locked"
        assert other == ["database is locked"]  # the other writer waited for it instead
    finally:
        services.close()


def test_after_a_rotation_every_living_member_is_found_by_name_under_the_new_key(services, trust, views):
    """Enough members that the name digests are written again in bulk (COPY on PostgreSQL): each living
    member is still found by a word and by the start of one, an erased member is not, and no digest of
    the old version is left."""
    from projections.membership.name_search import name_digests
    from projections.membership.tables import member_name_digests

    surnames = ["Quarrington", "Atkinson", "Lovelace", "Babbage", "Somerville", "Hopper", "Franklin", "Noether"]
    people = {
        trust.register_member(f"{first} {surname}", OPERATOR, channel="bot"): f"{first} {surname}"
        for first in ("Ada", "Bryn", "Carys", "Dafydd", "Eira")
        for surname in surnames
    }
    gone = next(iter(people))
    trust.erase_member(gone, TRUSTEE)
    with trust.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(member_name_digests)).scalar() >= 200  # the bulk path
        old_version, old_key = trust.vault.search_key(conn)
    trust.rotate_keys(TRUSTEE)
    for member_id, name in people.items():
        found = [row["member_id"] for row in views.search_members(name)]
        starts = [row["member_id"] for row in views.search_members(" ".join(word[:4] for word in name.split()))]
        if member_id == gone:
            assert member_id not in found and member_id not in starts
        else:
            assert found == [member_id] and starts == [member_id], name
    with trust.engine.connect() as conn:
        kept = set(conn.execute(select(member_name_digests.c.digest)).scalars())
        new_version, new_key = trust.vault.search_key(conn)
    living = set().union(*(name_digests(new_key, name) for member_id, name in people.items() if member_id != gone))
    assert (old_version, new_version) == (1, 2) and new_key != old_key and kept == living
