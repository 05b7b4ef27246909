"""The keyring as a file beside the master key (default ``var/keyring``, or
DATATRUST_KEYRING_FILE): readable only by its owner, sealed under a key derived
from the master key, replaced atomically and fsynced, and changed under a file
lock so two processes (the scheduler, a trustee's CLI) never lose each other's
change.

It must not travel with database backups: a copy of the keyring taken before a
rotation still holds the destroyed version. When a version is removed, the old
file's bytes are overwritten before they are let go (on a copy-on-write file
system or SSD that is best effort; the promise rests on the copies you keep).
"""

import base64
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.kernel.errors import TrustError
from domain.sealing.vault import derived_key

KEYRING_KEY = "key-encryption keyring"
ASSOCIATED = b"datatrust keyring v1"


class KeyringUnreadable(TrustError):
    def __init__(self, path: Path, why: str):
        super().__init__(
            f"The keyring {path} cannot be used: {why}. It must be the keyring made with this master key "
            "(DATATRUST_KEYRING_FILE); nothing was changed."
        )


class FileKeyring:
    def __init__(self, path: Path, master_key: bytes):
        self.path = path
        self._sealing = AESGCM(derived_key(master_key, KEYRING_KEY))

    def versions(self) -> dict[int, bytes]:
        try:
            return self._read()
        except KeyringUnreadable:  # a read racing a replacement can see the old file's overwritten bytes
            return self._read()

    def _read(self) -> dict[int, bytes]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            sealed = base64.b64decode(raw)
            plain = self._sealing.decrypt(sealed[:12], sealed[12:], ASSOCIATED)
        except (InvalidTag, ValueError):
            raise KeyringUnreadable(self.path, "it does not open with this master key") from None
        return {int(version): base64.b64decode(key) for version, key in json.loads(plain).items()}

    def add(self, version: int, key: bytes) -> bytes:
        with self._locked():
            held = self.versions()
            if version not in held:
                held[version] = key
                self._replace(held)
            return held[version]

    def remove(self, versions: set[int]) -> None:
        with self._locked():
            held = self.versions()
            if versions & set(held):
                self._replace({v: k for v, k in held.items() if v not in versions})

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    def _replace(self, held: dict[int, bytes]) -> None:
        """Write the new keyring beside the old, fsync it, rename it over the old and
        fsync the folder; only then overwrite the old file's bytes (still open here)."""
        plain = json.dumps({str(v): base64.b64encode(k).decode("ascii") for v, k in sorted(held.items())})
        nonce = os.urandom(12)
        data = base64.b64encode(nonce + self._sealing.encrypt(nonce, plain.encode(), ASSOCIATED))
        fresh = self.path.with_name(f".{self.path.name}.new")
        if fresh.exists():  # left by a crash mid-write: it may hold versions destroyed since
            with open(fresh, "r+b") as leftover:
                leftover.write(bytes(os.fstat(leftover.fileno()).st_size))
                leftover.flush()
                os.fsync(leftover.fileno())
            fresh.unlink()
        old = os.open(self.path, os.O_RDWR) if self.path.exists() else None
        try:
            descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(fresh, self.path)
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
            if old is not None:
                size = os.fstat(old).st_size
                os.pwrite(old, bytes(size), 0)
                os.fsync(old)
        finally:
            if old is not None:
                os.close(old)
