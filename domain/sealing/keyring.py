"""Where the key-encryption keys (KEKs) live: a keyring outside the database.

Member keys are wrapped under a numbered key-encryption key. The KEKs are kept
apart from the database, so that a copy of the database (a backup, free space,
the write-ahead log) holds wrapped keys but never what unwraps them; and each
version is destroyed once a rotation has re-wrapped every live member key under
its successor, after which every old copy of a wrapped key is noise. The file
behind the keyring is an adapter's business (adapters.keyring_file); here is only
what the vault asks of it, and an in-memory one for tests and tools.
"""

from typing import Protocol


class Keyring(Protocol):
    def versions(self) -> dict[int, bytes]:
        """Every version held now, read afresh (another process may have rotated)."""
        ...

    def add(self, version: int, key: bytes) -> bytes:
        """Keep a new version, durably, before anything is wrapped under it. Returns the
        key now held for it: the one given, or the one already there (never replaced)."""
        ...

    def remove(self, versions: set[int]) -> None:
        """Destroy these versions: no copy of them is left in the keyring."""
        ...


class MemoryKeyring:
    def __init__(self) -> None:
        self._versions: dict[int, bytes] = {}

    def versions(self) -> dict[int, bytes]:
        return dict(self._versions)

    def add(self, version: int, key: bytes) -> bytes:
        return self._versions.setdefault(version, key)

    def remove(self, versions: set[int]) -> None:
        for version in versions:
            self._versions.pop(version, None)
