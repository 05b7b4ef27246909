"""Quotas, the pool grouped into types, and the plain checks that need no solver."""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.kernel.errors import InvalidRequest

Pool = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Quota:
    attribute: str  # e.g. "area"
    value: str  # e.g. "CA1"
    minimum: int
    maximum: int

    def __str__(self) -> str:
        return f"{self.attribute} = {self.value}"


class QuotasCannotBeMet(InvalidRequest):
    """No panel of the asked size meets the quotas; the message says which quotas and by how much."""


@dataclass(frozen=True)
class Types:
    """Members grouped by their values for the quota attributes: members of a type are interchangeable.

    Everything is sorted (attributes, types, members, quotas), so the same pool always gives the same
    numbering, whatever order the mapping came in."""

    size: int
    attributes: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # one tuple of attribute values per type
    members: tuple[tuple[str, ...], ...]  # each type's member keys, sorted
    quotas: tuple[Quota, ...]
    rows: tuple[tuple[int, ...], ...]  # for each quota, the types it counts

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(len(keys) for keys in self.members)

    def available(self, row: int) -> int:
        return sum(len(self.members[t]) for t in self.rows[row])


def group(pool: Pool, quotas: Sequence[Quota], size: int) -> Types:
    """Checks the request's shape, then groups the pool into types (InvalidRequest if malformed)."""
    quotas = tuple(sorted(quotas, key=lambda q: (q.attribute, q.value)))
    if size < 1:
        raise InvalidRequest(f"A panel needs at least one member; {size} was asked for.")
    seen: set[tuple[str, str]] = set()
    for quota in quotas:
        if quota.minimum < 0 or quota.maximum < 0:
            raise InvalidRequest(f"The quota {quota} has a negative limit ({quota.minimum} to {quota.maximum}).")
        if quota.minimum > quota.maximum:
            raise InvalidRequest(
                f"The quota {quota} asks for at least {quota.minimum} but at most {quota.maximum} members."
            )
        if (quota.attribute, quota.value) in seen:
            raise InvalidRequest(f"The quota {quota} is given twice.")
        seen.add((quota.attribute, quota.value))
    attributes = tuple(sorted({q.attribute for q in quotas}))
    by_type: dict[tuple[str, ...], list[str]] = {}
    for key in sorted(pool):
        profile = pool[key]
        missing = [a for a in attributes if a not in profile]
        if missing:
            raise InvalidRequest(f"Member {key} has no value for {', '.join(missing)}.")
        by_type.setdefault(tuple(str(profile[a]) for a in attributes), []).append(key)
    values = tuple(sorted(by_type))
    rows = tuple(
        tuple(t for t, vs in enumerate(values) if vs[attributes.index(q.attribute)] == q.value) for q in quotas
    )
    return Types(size, attributes, values, tuple(tuple(by_type[v]) for v in values), quotas, rows)


def plain_checks(types: Types) -> None:
    """The checks a trustee can do by hand: one quota, or one attribute's quotas, against the pool and size."""
    size, pool_size = types.size, sum(types.counts)
    if size > pool_size:
        raise QuotasCannotBeMet(f"The panel needs {size} members but the pool has only {pool_size}.")
    for row, quota in enumerate(types.quotas):
        available = types.available(row)
        if quota.minimum > size:
            raise QuotasCannotBeMet(
                f"The quota {quota} needs at least {quota.minimum} members, more than the panel size {size}."
            )
        if quota.minimum > available:
            raise QuotasCannotBeMet(
                f"The quota {quota} needs at least {quota.minimum} members but only {available} in the pool "
                f"can be chosen (short by {quota.minimum - available})."
            )
    for attribute in types.attributes:
        rows = [r for r, q in enumerate(types.quotas) if q.attribute == attribute]
        minimums = sum(types.quotas[r].minimum for r in rows)
        if minimums > size:
            raise QuotasCannotBeMet(
                f"The minimums for {attribute} add up to {minimums}, more than the panel size {size}."
            )
        capped = sum(min(types.quotas[r].maximum, types.available(r)) for r in rows)
        free = pool_size - sum(types.available(r) for r in rows)  # members whose value has no quota
        if capped + free < size:
            raise QuotasCannotBeMet(_short_of_maximums(types, attribute, rows, capped, free))


def _short_of_maximums(types: Types, attribute: str, rows: list[int], capped: int, free: int) -> str:
    maximums = sum(types.quotas[r].maximum for r in rows)
    if capped == maximums and free == 0:
        return f"The maximums for {attribute} add up to {maximums}, fewer than the panel size {types.size}."
    return (
        f"The maximums for {attribute} (each capped by the members in the pool with that value"
        + (f", plus {free} members whose {attribute} has no quota" if free else "")
        + f") allow at most {capped + free} members, fewer than the panel size {types.size}."
    )


def members_for(types: Types, composition: tuple[int, ...], rng: random.Random) -> tuple[str, ...]:
    chosen: list[str] = []
    for keys, count in zip(types.members, composition, strict=True):
        if count:
            chosen.extend(rng.sample(keys, count))
    return tuple(sorted(chosen))
