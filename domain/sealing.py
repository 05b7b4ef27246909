"""Sealing personal data with a key per member.

Events are immutable, so personal data (names, contact handles, profile answers,
free text) is written into them only as ciphertext under a key that belongs to
one member. The keys live outside the event log, in the ``member_keys`` table,
themselves encrypted ("wrapped") under the trust's master key. Erasing a member
destroys their key: the sealed values in the log become unreadable noise while
every non-personal fact stays.
"""

import base64
import json
import os
from collections.abc import Iterable
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, Connection, Engine, LargeBinary, MetaData, Table, Uuid, delete, insert, select
from sqlalchemy.orm import Session

from domain.errors import InvalidRequest, TrustError


class WrongMasterKey(TrustError):
    def __init__(self, why: str):
        super().__init__(
            f"The master key cannot be used: {why}. Set DATATRUST_MASTER_KEY or DATATRUST_MASTER_KEY_FILE "
            "to the key this store was created with; nothing was changed."
        )


vault_metadata = MetaData()
member_keys = Table(
    "member_keys",
    vault_metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),
)

key_check = Table(
    "master_key_check",
    vault_metadata,
    Column("id", Uuid, primary_key=True),
    Column("sealed_check", LargeBinary, nullable=False),
)

SEAL_PREFIX = "sealed:v1:"
CHECK_ID = UUID("00000000-0000-0000-0000-00000000c0de")
CHECK_TEXT = b"datatrust master key check"


def decode_master_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise InvalidRequest("The master key must be 32 bytes in URL-safe base64.") from error
    if len(key) != 32:
        raise InvalidRequest("The master key must be 32 bytes in URL-safe base64.")
    return key


def new_master_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


class Vault:
    """Creates, uses and destroys the per-member keys."""

    def __init__(self, master_key: bytes):
        self._master = AESGCM(master_key)
        self._master_key = master_key

    def derived_key(self, purpose: str) -> bytes:
        return derived_key(self._master_key, purpose)

    def check_store(self, engine: Engine) -> None:
        """Refuse to work with a store sealed under another master key.

        The first start records a value sealed under the master key; every later
        start must open it, so a lost, regenerated or mistyped key is caught
        before anything is sealed under the wrong one."""
        with engine.begin() as conn:
            sealed = conn.execute(select(key_check.c.sealed_check).where(key_check.c.id == CHECK_ID)).scalar()
            if sealed is None:
                if conn.execute(select(member_keys.c.member_id).limit(1)).first() is not None:
                    raise WrongMasterKey("this store holds member keys but no record of its master key")
                nonce = os.urandom(12)
                sealed = nonce + self._master.encrypt(nonce, CHECK_TEXT, CHECK_ID.bytes)
                conn.execute(insert(key_check), dict(id=CHECK_ID, sealed_check=sealed))
                return
        try:
            self._master.decrypt(sealed[:12], sealed[12:], CHECK_ID.bytes)
        except InvalidTag:
            raise WrongMasterKey("it is not the key this store was sealed with") from None

    def create_key(self, session: Session, member_id: UUID) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = nonce + self._master.encrypt(nonce, key, member_id.bytes)
        session.execute(insert(member_keys), dict(member_id=member_id, wrapped_key=wrapped))
        return key

    def key_for(self, session: Session | Connection, member_id: UUID) -> bytes | None:
        wrapped = session.execute(
            select(member_keys.c.wrapped_key).where(member_keys.c.member_id == member_id)
        ).scalar_one_or_none()
        if wrapped is None:
            return None
        return self._master.decrypt(wrapped[:12], wrapped[12:], member_id.bytes)

    def keys_for(self, session: Session | Connection, member_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        """The keys of many members in one query per thousand (a page of a register,
        a search's results); an erased member is simply absent."""
        wanted = list(dict.fromkeys(member_ids))
        keys: dict[UUID, bytes] = {}
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            for member_id, wrapped in session.execute(
                select(member_keys.c.member_id, member_keys.c.wrapped_key).where(member_keys.c.member_id.in_(chunk))
            ):
                keys[member_id] = self._master.decrypt(wrapped[:12], wrapped[12:], member_id.bytes)
        return keys

    def destroy_key(self, session: Session, member_id: UUID) -> None:
        session.execute(delete(member_keys).where(member_keys.c.member_id == member_id))

    @staticmethod
    def seal(key: bytes, member_id: UUID, data: dict) -> str:
        nonce = os.urandom(12)
        plaintext = json.dumps(data, sort_keys=True).encode("utf-8")
        ciphertext = AESGCM(key).encrypt(nonce, plaintext, member_id.bytes)
        return SEAL_PREFIX + base64.b64encode(nonce + ciphertext).decode("ascii")

    @staticmethod
    def open(key: bytes | None, member_id: UUID, sealed: str) -> dict | None:
        """The sealed data, or None once the member's key is destroyed."""
        if key is None:
            return None
        raw = base64.b64decode(sealed.removeprefix(SEAL_PREFIX))
        try:
            plaintext = AESGCM(key).decrypt(raw[:12], raw[12:], member_id.bytes)
        except InvalidTag:
            return None
        return json.loads(plaintext)


def derived_key(master_key: bytes, purpose: str) -> bytes:
    """A separate 32-byte key for one purpose (web sessions, client digests), derived
    from the master key with HKDF so no further secret has to be kept."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(master_key)
