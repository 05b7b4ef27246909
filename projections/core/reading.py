"""What every part's queries read from: the read-model database and the vault that opens
personal data sealed in it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from domain.sealing.vault import Vault


@dataclass(frozen=True)
class ReadModels:
    engine: Engine
    vault: Vault

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read connection for one question."""
        with self.engine.connect() as conn:
            yield conn
