import stat

import pytest

from adapters.bootstrap import master_key
from adapters.settings import Settings
from domain.errors import InvalidRequest
from domain.sealing import new_master_key


def test_a_generated_master_key_file_is_readable_only_by_its_owner(tmp_path):
    settings = Settings.from_environment({"DATATRUST_VAR": str(tmp_path / "var")})
    key = master_key(settings)
    assert len(key) == 32
    assert stat.S_IMODE(settings.master_key_file.stat().st_mode) == 0o600
    assert master_key(settings) == key  # the same key on the next start


def test_a_master_key_from_the_environment_wins_and_is_checked(tmp_path):
    given = new_master_key()
    settings = Settings.from_environment({"DATATRUST_VAR": str(tmp_path), "DATATRUST_MASTER_KEY": given})
    assert master_key(settings) != master_key(Settings.from_environment({"DATATRUST_VAR": str(tmp_path / "other")}))
    assert not settings.master_key_file.exists()
    with pytest.raises(InvalidRequest, match="32 bytes"):
        master_key(Settings.from_environment({"DATATRUST_MASTER_KEY": "too-short"}))
