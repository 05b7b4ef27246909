import os
import stat
from pathlib import Path

import pytest

from adapters.bootstrap import ConfigurationError, bootstrap, master_key
from adapters.settings import Settings
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.sealing.vault import KeyVersionMissing, WrongMasterKey, new_master_key


def test_a_generated_master_key_file_is_readable_only_by_its_owner(tmp_path):
    settings = Settings.from_environment({"DATATRUST_VAR": str(tmp_path / "var")})
    key, created = master_key(settings)
    assert len(key) == 32 and created
    assert stat.S_IMODE(settings.master_key_file.stat().st_mode) == 0o600
    assert master_key(settings) == (key, False)  # the same key on the next start


def test_a_master_key_from_the_environment_is_checked(tmp_path):
    settings = Settings.from_environment({"DATATRUST_VAR": str(tmp_path), "DATATRUST_MASTER_KEY": new_master_key()})
    assert master_key(settings)[1] is False and not settings.master_key_file.exists()
    with pytest.raises(InvalidRequest, match="32 bytes"):
        master_key(Settings.from_environment({"DATATRUST_MASTER_KEY": "too-short"}))


def test_a_store_refuses_a_different_master_key_and_keeps_no_stray_key_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'trust.sqlite3'}"
    first = Settings.from_environment({"DATATRUST_DATABASE_URL": url, "DATATRUST_VAR": str(tmp_path / "host-a")})
    bootstrap(first).close()
    elsewhere = Settings.from_environment({"DATATRUST_DATABASE_URL": url, "DATATRUST_VAR": str(tmp_path / "host-b")})
    with pytest.raises(WrongMasterKey, match="not the key this store was sealed with"):
        bootstrap(elsewhere)
    assert not elsewhere.master_key_file.exists()
    wrong = Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": url,
            "DATATRUST_VAR": str(tmp_path / "host-a"),
            "DATATRUST_MASTER_KEY": new_master_key(),
        }
    )
    with pytest.raises(WrongMasterKey):
        bootstrap(wrong)
    bootstrap(first).close()  # the right key still opens it


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DATATRUST_CATALOGUE": "/nonexistent/catalogue.toml"}, "cannot read the catalogue"),
        ({"DATATRUST_DATABASE_URL": "nonsense://"}, "cannot open the store"),
        ({"DATATRUST_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}, "cannot open the store"),
    ],
)
def test_configuration_mistakes_are_one_clear_error(tmp_path, environment, message):
    with pytest.raises(ConfigurationError, match=message):
        bootstrap(Settings.from_environment({"DATATRUST_VAR": str(tmp_path)} | environment))


def test_a_store_made_readable_by_others_before_is_made_private_at_start(tmp_path):
    var = tmp_path / "var"
    bootstrap(Settings.from_environment({"DATATRUST_VAR": str(var)})).close()
    database = var / "datatrust.sqlite3"
    database.chmod(0o644)  # as stores were created before
    bootstrap(Settings.from_environment({"DATATRUST_VAR": str(var)})).close()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_fresh_store_is_readable_only_by_its_owner(tmp_path):
    """var/, the SQLite file, its -wal and -shm and the key file: 0700 and 0600 even under a lax umask."""
    previous = os.umask(0o022)
    try:
        services = bootstrap(Settings.from_environment({"DATATRUST_VAR": str(tmp_path / "var")}))
        services.trust.register_member("Ada", Actor("member", "ada"), channel="bot")  # the log and index exist now
        var = tmp_path / "var"
        database = var / "datatrust.sqlite3"
        assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()
        modes = {
            path.name: stat.S_IMODE(path.stat().st_mode)
            for path in (var, database, Path(f"{database}-wal"), Path(f"{database}-shm"), var / "master.key")
        }
        services.close()
    finally:
        os.umask(previous)
    assert modes == {
        "var": 0o700,
        "datatrust.sqlite3": 0o600,
        "datatrust.sqlite3-wal": 0o600,
        "datatrust.sqlite3-shm": 0o600,
        "master.key": 0o600,
    }


def test_a_store_refuses_a_keyring_without_its_key_versions(tmp_path):
    url = f"sqlite:///{tmp_path / 'trust.sqlite3'}"
    environment = {
        "DATATRUST_DATABASE_URL": url,
        "DATATRUST_VAR": str(tmp_path),
        "DATATRUST_MASTER_KEY": new_master_key(),
    }
    bootstrap(Settings.from_environment(environment)).close()
    elsewhere = environment | {"DATATRUST_KEYRING_FILE": str(tmp_path / "another-keyring")}
    with pytest.raises(KeyVersionMissing, match="does not hold key version 1"):
        bootstrap(Settings.from_environment(elsewhere))
    assert not (tmp_path / "another-keyring").exists()
    bootstrap(Settings.from_environment(environment)).close()


def made_before_key_versions(tmp_path, *names: str) -> tuple[Settings, list]:
    """A store as it was before key versions: every member key wrapped by the master key itself,
    no version columns, no versions, no keyring. Returns its settings and the members' ids."""
    from sqlalchemy import text

    from tests.conftest import OPERATOR

    url = f"sqlite:///{tmp_path / 'trust.sqlite3'}"
    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": url, "DATATRUST_VAR": str(tmp_path)})
    services = bootstrap(settings)
    members = [services.trust.register_member(name, OPERATOR, channel="bot") for name in names]
    vault = services.trust.vault
    with services.trust.engine.begin() as conn:
        for member in members:
            wrapped = vault.wrap(0, member, vault.key_for(conn, member))  # version 0 is the master key
            conn.execute(
                text("UPDATE member_keys SET wrapped_key = :w WHERE member_id = :m"), {"w": wrapped, "m": member.hex}
            )
        conn.execute(text("DROP INDEX member_keys_by_version"))  # made later, with rotations in steps
        conn.execute(text("ALTER TABLE member_keys DROP COLUMN once_under_master"))
        conn.execute(text("ALTER TABLE member_keys DROP COLUMN key_version"))
        conn.execute(text("DELETE FROM key_versions"))
    services.close()
    settings.keyring_path.unlink()
    return settings, members


def test_a_store_made_before_key_versions_opens_and_rotates_away_from_the_master_key(tmp_path):
    """Its member keys were wrapped by the master key itself: version 0, until the first rotation."""
    from tests.conftest import TRUSTEE

    settings, [member] = made_before_key_versions(tmp_path, "Ada Lovelace")
    services = bootstrap(settings)
    try:
        assert services.trust.member_personal_data(member)["name"] == "Ada Lovelace"
        assert services.trust.key_state().current_version == 0
        services.trust.erase_member(member, TRUSTEE)
        assert services.trust.key_state().pending_under_master_key == 1
        rotation = services.trust.rotate_keys(TRUSTEE)
        assert (rotation.version, rotation.destroyed) == (1, [])  # the master key itself cannot be destroyed
        assert services.trust.key_state().current_version == 1
    finally:
        services.close()


def test_an_erasure_in_a_store_made_before_key_versions_stays_pending_after_later_rotations(tmp_path):
    """The member's key was wrapped by the master key before the first rotation: a backup from then
    opens it with the master key, so however many versions are destroyed later, it is not complete."""
    from tests.conftest import OPERATOR, TRUSTEE

    settings, [old_member] = made_before_key_versions(tmp_path, "Ada Lovelace")
    services = bootstrap(settings)
    try:
        trust = services.trust
        assert trust.rotate_keys(TRUSTEE).version == 1  # the first rotation moves it off the master key
        new_member = trust.register_member("Bob Babbage", OPERATOR, channel="bot")
        trust.erase_member(old_member, TRUSTEE)
        trust.erase_member(new_member, TRUSTEE)
        assert trust.rotate_keys(TRUSTEE).destroyed == [1]
        state = trust.key_state()
        assert (state.erasures_complete, state.erasures_pending, state.pending_under_master_key) == (1, 1, 1)
    finally:
        services.close()


@pytest.mark.parametrize("days", ["0", "31", "1.5", "daily"])
def test_a_rotation_period_outside_one_to_thirty_days_is_one_clear_error(days):
    with pytest.raises(InvalidRequest, match="DATATRUST_KEY_ROTATION_DAYS must be a whole number of days from 1 to 30"):
        Settings.from_environment({"DATATRUST_KEY_ROTATION_DAYS": days})
    assert Settings.from_environment({"DATATRUST_KEY_ROTATION_DAYS": " 7 "}).key_rotation_days == 7
