"""What every part's queries read from: the read-model database and the vault that opens
personal data sealed in it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from domain.sealing.vault import Vault
from domain.store.storage import for_reading


@dataclass(frozen=True)
class ReadModels:
    engine: Engine
    vault: Vault
    reads: Engine = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", for_reading(self.engine))

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read connection for one question (see for_reading: no transaction on PostgreSQL)."""
        with self.reads.connect() as conn:
            yield conn
