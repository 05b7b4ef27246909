"""Asking the database about many rows by id at once: a thousand ids to a statement."""

from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

BATCH = 1000  # ids in one IN list: well inside every engine's limit on a statement's parameters

Id = TypeVar("Id", bound=Hashable)


def batches(ids: Iterable[Id]) -> Iterator[list[Id]]:
    """The distinct ``ids``, in their first order, a thousand at a time."""
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), BATCH):
        yield wanted[start : start + BATCH]
