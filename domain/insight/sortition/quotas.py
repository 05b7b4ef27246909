"""Quotas, the pool grouped into types, and the plain checks that need no solver."""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.kernel.errors import InvalidRequest

Pool = Mapping[str, Mapping[str, str]]
Households = Mapping[str, str]  # member key -> their household's key, for the one-per-household rule


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
    numbering, whatever order the mapping came in.

    Under the one-per-household rule, a member who shares a household with another pool member is not
    interchangeable with anyone: each such member is a type of their own, and each household a limit of
    at most one of its types on a panel (``households``)."""

    size: int
    attributes: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # one tuple of attribute values per type (a housemate's: and their key)
    members: tuple[tuple[str, ...], ...]  # each type's member keys, sorted
    quotas: tuple[Quota, ...]
    rows: tuple[tuple[int, ...], ...]  # for each quota, the types it counts
    households: tuple[tuple[int, ...], ...] = ()  # for each household of two or more pool members, their types

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(len(keys) for keys in self.members)

    @property
    def limits(self) -> list[tuple[tuple[int, ...], int, int]]:
        """Every limit a panel must keep besides its size, as (types counted, minimum, maximum): the quotas
        in order, then at most one member of each household."""
        quotas = [(self.rows[r], q.minimum, q.maximum) for r, q in enumerate(self.quotas)]
        return quotas + [(household, 0, 1) for household in self.households]

    def available(self, row: int) -> int:
        return sum(len(self.members[t]) for t in self.rows[row])


def group(pool: Pool, quotas: Sequence[Quota], size: int, households: Households | None = None) -> Types:
    """Checks the request's shape, then groups the pool into types (InvalidRequest if malformed). With
    ``households``, a panel takes at most one member of each household."""
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
    housemates = _housemates(pool, households or {})
    by_type: dict[tuple[str, ...], list[str]] = {}
    for key in sorted(pool):
        profile = pool[key]
        missing = [a for a in attributes if a not in profile]
        if missing:
            raise InvalidRequest(f"Member {key} has no value for {', '.join(missing)}.")
        alone = (key,) if key in housemates else ()  # a housemate is a type of their own
        by_type.setdefault(tuple(str(profile[a]) for a in attributes) + alone, []).append(key)
    values = tuple(sorted(by_type))
    rows = tuple(
        tuple(t for t, vs in enumerate(values) if vs[attributes.index(q.attribute)] == q.value) for q in quotas
    )
    members = tuple(tuple(by_type[v]) for v in values)
    type_of = {keys[0]: t for t, keys in enumerate(members) if keys[0] in housemates}
    shared = tuple(sorted(tuple(sorted(type_of[k] for k in keys)) for keys in _by_household(housemates).values()))
    return Types(size, attributes, values, members, quotas, rows, shared)


def _housemates(pool: Pool, households: Households) -> dict[str, str]:
    """Pool members who share their household with another pool member, with its key."""
    counted: dict[str, int] = {}
    for key in pool:
        if households.get(key):
            counted[households[key]] = counted.get(households[key], 0) + 1
    return {key: households[key] for key in pool if households.get(key) and counted[households[key]] > 1}


def _by_household(housemates: Mapping[str, str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, household in sorted(housemates.items()):
        grouped.setdefault(household, []).append(key)
    return grouped


def plain_checks(types: Types) -> None:
    """The checks a trustee can do by hand: one quota, or one attribute's quotas, against the pool and size."""
    size, pool_size = types.size, sum(types.counts)
    if size > pool_size:
        raise QuotasCannotBeMet(f"The panel needs {size} members but the pool has only {pool_size}.")
    if types.households:
        homes = pool_size - sum(len(h) for h in types.households) + len(types.households)
        if size > homes:
            raise QuotasCannotBeMet(
                f"The panel needs {size} members but the pool's {pool_size} members live in only {homes} "
                "households, and a panel takes at most one member of a household."
            )
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
