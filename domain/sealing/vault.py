"""Sealing personal data with a key per member.

Events are immutable, so personal data (names, contact handles, profile answers,
free text) is written into them only as ciphertext under a key that belongs to
one member. The keys live outside the event log, in the ``member_keys`` table,
themselves encrypted ("wrapped") under a numbered key-encryption key (KEK) kept
in a keyring outside the database (domain.sealing.keyring). Erasing a member destroys
their key: the sealed values in the log become unreadable noise while every
non-personal fact stays. A rotation re-wraps every live key under a new version,
a few hundred a step (domain.sealing.rotation), and destroys the old one, so a
leftover copy of an erased member's wrapped key (free space, write-ahead log, a
backup) can no longer be unwrapped either.

The master key itself wraps nothing in a new store: it seals the keyring, checks
it is the store's own key, and derives the keys for other purposes (derived_key).
"""

import base64
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID, uuid4

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from domain.kernel.batches import batches
from domain.kernel.clock import recording_time
from domain.kernel.errors import InvalidRequest, TrustError
from domain.sealing.keyring import Keyring, MemoryKeyring
from domain.sealing.rotation import destroy_retired
from domain.sealing.versions import (
    LEGACY_VERSION,
    current_version,
    erasures,
    key_check,
    live_versions,
    member_keys,
    naive,
    vault_metadata,
)

# Built once: a recorded read of a member's data asks for their key every time.
KEY_OF = select(member_keys.c.wrapped_key, member_keys.c.key_version).where(
    member_keys.c.member_id == bindparam("member_id")
)


class WrongMasterKey(TrustError):
    def __init__(self, why: str):
        super().__init__(
            f"The master key cannot be used: {why}. Set DATATRUST_MASTER_KEY or DATATRUST_MASTER_KEY_FILE "
            "to the key this store was created with; nothing was changed."
        )


class KeyVersionMissing(TrustError):
    def __init__(self, version: int):
        super().__init__(
            f"The keyring does not hold key version {version}, which wraps member keys in this store. "
            "Set DATATRUST_KEYRING_FILE to this store's keyring; nothing was changed."
        )


SEAL_PREFIX = "sealed:v1:"
CHECK_ID = UUID("00000000-0000-0000-0000-00000000c0de")
CHECK_TEXT = b"datatrust master key check"
__all__ = ["Vault", "WrongMasterKey", "KeyVersionMissing", "vault_metadata", "member_keys", "derived_key"]


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


SEARCH_PURPOSE = "member name search"


class Vault:
    """Creates, uses and destroys the per-member keys, and rotates what wraps them."""

    def __init__(self, master_key: bytes, keyring: Keyring | None = None):
        self._master = AESGCM(master_key)
        self._master_key = master_key
        self.keyring: Keyring = keyring if keyring is not None else MemoryKeyring()
        self._keks: dict[int, AESGCM] = {}
        self._search: dict[int, bytes] = {}

    def derived_key(self, purpose: str) -> bytes:
        return derived_key(self._master_key, purpose)

    def kek(self, version: int) -> AESGCM:
        """The KEK of a version; the keyring is read afresh when it is not known here
        (another process rotated), which also forgets the versions destroyed since."""
        if version == LEGACY_VERSION:
            return self._master
        if version not in self._keks:
            held = self.keyring.versions()
            self._keks = {v: AESGCM(key) for v, key in held.items()}
            self._search = {v: derived_key(key, SEARCH_PURPOSE) for v, key in held.items()}
        if version not in self._keks:
            raise KeyVersionMissing(version)
        return self._keks[version]

    def search_key(self, conn: Session | Connection) -> tuple[int, bytes]:
        """(version, key) of the name-search digests made now: derived from the current key version,
        so the digests of an erased member's name left in old copies of the database become noise
        with the version (a rotation digests every live name again, in steps)."""
        version = current_version(conn)
        if version is None:
            version = LEGACY_VERSION
        return version, self._search_key_of(version)

    def search_keys(self, conn: Session | Connection) -> dict[int, bytes]:
        """The search key of every live version: while a rotation is under way a name's
        digests are under the old version or the new one, so a search looks under both."""
        return {version: self._search_key_of(version) for version in live_versions(conn) or [LEGACY_VERSION]}

    def _search_key_of(self, version: int) -> bytes:
        if version == LEGACY_VERSION:
            return self.derived_key(SEARCH_PURPOSE)
        self.kek(version)
        return self._search[version]

    def forget(self, versions: set[int]) -> None:
        for version in versions:
            self._keks.pop(version, None)
            self._search.pop(version, None)

    def wrap(self, version: int, member_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self.kek(version).encrypt(nonce, key, member_id.bytes)

    def unwrap(self, version: int, member_id: UUID, wrapped: bytes) -> bytes:
        return self.kek(version).decrypt(wrapped[:12], wrapped[12:], member_id.bytes)

    def check_store(self, engine, now: datetime | None = None) -> None:  # type: ignore[no-untyped-def]
        """Refuse to work with a store sealed under another master key, or without its keyring.

        The first start records a value sealed under the master key; every later
        start must open it, so a lost, regenerated or mistyped key is caught
        before anything is sealed under the wrong one. It also makes the first
        key version (a store from before versions: version 0, the master key)."""
        from domain.sealing.preparing import prepare_versions

        now = now or datetime.now(UTC)
        with engine.begin() as conn:
            self._check_master_key(conn)
            for version in prepare_versions(conn, self.keyring, now):
                self.kek(version)  # every version still wrapping keys must be in the keyring
        self.destroy_retired(engine, now)  # a rotation interrupted after its commit

    def _check_master_key(self, conn: Connection) -> None:
        sealed = conn.execute(select(key_check.c.sealed_check).where(key_check.c.id == CHECK_ID)).scalar()
        if sealed is None:
            if conn.execute(select(member_keys.c.member_id).limit(1)).first() is not None:
                raise WrongMasterKey("this store holds member keys but no record of its master key")
            nonce = os.urandom(12)
            sealed = nonce + self._master.encrypt(nonce, CHECK_TEXT, CHECK_ID.bytes)
            conn.execute(insert(key_check), dict(id=CHECK_ID, sealed_check=sealed))
        try:
            self._master.decrypt(sealed[:12], sealed[12:], CHECK_ID.bytes)
        except InvalidTag:
            raise WrongMasterKey("it is not the key this store was sealed with") from None

    def create_key(self, session: Session, member_id: UUID) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        version = current_version(session)
        if version is None:
            raise KeyVersionMissing(1)
        wrapped = self.wrap(version, member_id, key)
        session.execute(insert(member_keys), dict(member_id=member_id, wrapped_key=wrapped, key_version=version))
        return key

    def key_for(self, session: Session | Connection, member_id: UUID) -> bytes | None:
        conn = session.connection() if isinstance(session, Session) else session
        row = conn.execute(KEY_OF, {"member_id": member_id}).one_or_none()
        if row is None:
            return None
        return self.unwrap(row.key_version, member_id, row.wrapped_key)

    def keys_for(self, session: Session | Connection, member_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        """The keys of many members in one query per thousand (a page of a register,
        a search's results); an erased member is simply absent."""
        keys: dict[UUID, bytes] = {}
        for chunk in batches(member_ids):
            for member_id, wrapped, version in session.execute(
                select(member_keys.c.member_id, member_keys.c.wrapped_key, member_keys.c.key_version).where(
                    member_keys.c.member_id.in_(chunk)
                )
            ):
                keys[member_id] = self.unwrap(version, member_id, wrapped)
        return keys

    def destroy_key(self, session: Session, member_id: UUID) -> None:
        """Delete the member's key, and note the erasure: complete once its version is destroyed."""
        row = session.execute(
            select(member_keys.c.key_version, member_keys.c.once_under_master).where(
                member_keys.c.member_id == member_id
            )
        ).one_or_none()
        session.execute(delete(member_keys).where(member_keys.c.member_id == member_id))
        if row is not None:  # a key once wrapped by the master key stays openable from old copies by it
            version = LEGACY_VERSION if row.once_under_master else row.key_version
            erased = dict(erasure_id=uuid4(), erased_at=naive(recording_time()), key_version=version)
            session.execute(insert(erasures), erased)

    def destroy_retired(self, engine, now: datetime) -> list[int]:  # type: ignore[no-untyped-def]
        return destroy_retired(self, engine, now)

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
