from uuid import uuid4

import pytest

from domain.kernel.errors import InvalidRequest
from domain.sealing.vault import SEAL_PREFIX, Vault, decode_master_key, new_master_key


def test_sealed_data_opens_only_with_the_members_key():
    member = uuid4()
    key = bytes(range(32))
    sealed = Vault.seal(key, member, {"name": "Ada Lovelace"})
    assert sealed.startswith(SEAL_PREFIX) and "Ada" not in sealed
    assert Vault.open(key, member, sealed) == {"name": "Ada Lovelace"}
    assert Vault.open(None, member, sealed) is None  # the key was destroyed
    assert Vault.open(bytes(32), member, sealed) is None  # the wrong key
    assert Vault.open(key, uuid4(), sealed) is None  # sealed for someone else


def test_master_keys_must_be_32_bytes():
    assert len(decode_master_key(new_master_key())) == 32
    with pytest.raises(InvalidRequest):
        decode_master_key("c2hvcnQ=")
