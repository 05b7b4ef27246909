"""The keyring file: owner-only, sealed under the master key, and a removed version
leaves no copy in it."""

import os
import stat

import pytest

from adapters.keyring_file import FileKeyring, KeyringUnreadable
from domain.sealing.vault import decode_master_key, new_master_key


def test_a_removed_version_leaves_no_copy_in_the_keyring_file(tmp_path):
    master = decode_master_key(new_master_key())
    ring = FileKeyring(tmp_path / "var" / "keyring", master)
    first, second = os.urandom(32), os.urandom(32)
    assert ring.add(1, first) == first
    assert ring.add(1, second) == first  # a version is never replaced (two first starts agree on one)
    ring.add(2, second)
    assert ring.versions() == {1: first, 2: second}
    ring.remove({1})
    assert FileKeyring(ring.path, master).versions() == {2: second}
    assert stat.S_IMODE(ring.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(ring.path.parent.stat().st_mode) == 0o700
    assert [p.name for p in ring.path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left
    assert first not in ring.path.read_bytes() and second not in ring.path.read_bytes()  # sealed, not raw


def test_a_keyring_does_not_open_with_another_master_key(tmp_path):
    ring = FileKeyring(tmp_path / "keyring", decode_master_key(new_master_key()))
    ring.add(1, os.urandom(32))
    with pytest.raises(KeyringUnreadable, match="does not open with this master key"):
        FileKeyring(ring.path, decode_master_key(new_master_key())).versions()


def test_a_half_written_keyring_left_by_a_crash_is_overwritten_before_it_goes(tmp_path):
    master = decode_master_key(new_master_key())
    ring = FileKeyring(tmp_path / "keyring", master)
    ring.add(1, os.urandom(32))
    leftover = tmp_path / ".keyring.new"  # a crash between writing the new file and renaming it
    leftover.write_bytes(b"the sealed versions of before" * 4)
    with open(leftover, "rb") as seen_by_a_backup:  # the same bytes on disk, as a later reader would find them
        ring.add(2, os.urandom(32))
        assert not leftover.exists()
        assert set(seen_by_a_backup.read()) == {0}
