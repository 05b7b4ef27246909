"""Which cells of a release to withhold, given the linear relations its published
figures satisfy (see ``domain.insight.disclosure.release`` for the rules in the trust's words).

A cell is any hashable key with a whole-number value; a relation is a list of
(cell, coefficient) pairs whose weighted values sum to zero. ``protect`` starts
from the primary cells and then:

1. for every relation with exactly one withheld term, or whose withheld terms are
   all zero (they could not be anything else), also withholds the smallest
   published non-zero term of it (ties: a cell outside the overall row first),
   repeated until no relation is left so;
2. checks that no withheld cell can be solved for from the published cells and
   the relations (exact linear algebra over a large prime field); a cell that can
   be is covered by withholding the smallest published non-zero term of a relation
   it is in (or, failing that, of any relation with a withheld term); then 1 again.

A withheld cell that could be solved for even if every non-zero figure were
withheld is forced to be zero by published zeros (e.g. nobody on the panel chose
an option, so nobody in a small group did either); withholding more cannot hide
what the published zero already says, so such a cell is left as it is.
"""

from collections.abc import Callable, Hashable, Mapping, Sequence

Relation = Sequence[tuple[Hashable, int]]
PRIME = (1 << 61) - 1
OVERALL = (None, "all")  # the whole-panel row; a group's row is (attribute, value)
RESPONDENTS = None  # the column of a row's respondents


def withheld(
    kind: str, options: Sequence[str], rows: Mapping[tuple, list], breakdown: Sequence[str], k: int, also=frozenset()
) -> tuple[dict, frozenset]:
    """The figures of one question, {(row, column): count}, and those to withhold.
    ``rows`` maps each row to its respondents' answers (an option, or a frozenset
    of ticked options for multiple choice); it includes ``OVERALL``. ``also`` holds (row, respondents)
    pairs withheld elsewhere: a row with that many respondents here is withheld too."""
    columns = (RESPONDENTS, *options)
    values: dict[tuple, int] = {}
    for row, picked in rows.items():
        values[(row, RESPONDENTS)] = len(picked)
        for o in options:
            values[(row, o)] = sum(o in p if isinstance(p, frozenset) else o == p for p in picked)
    small = {row for row, picked in rows.items() if len(picked) < k}
    primary = {cell for cell, value in values.items() if cell[0] in small or 0 < value < k}
    primary |= {(row, RESPONDENTS) for row, count in also if row in rows and len(rows[row]) == count}
    relations = [[((row, RESPONDENTS), -1)] + [((row, o), 1) for o in options] for row in rows]
    relations = relations if kind in ("single", "scale") else []
    for attribute in breakdown:
        groups = [row for row in rows if row[0] == attribute]
        relations += [[((OVERALL, c), -1)] + [((g, c), 1) for g in groups] for c in columns]
    order = {cell: i for i, cell in enumerate(values)}
    while True:
        hidden = protect(values, relations, primary, lambda cell: (cell[0] == OVERALL, order[cell]))
        # multiple choice: a row's ticks bound its respondents (each tick at most them, all together at least
        # them), so a row whose respondents are withheld is withheld whole
        whole = {(row, o) for row, column in hidden if column is RESPONDENTS for o in options}
        if kind != "multiple" or whole <= hidden:
            return values, hidden
        primary = set(hidden | whole)


def protect(
    values: Mapping[Hashable, int],
    relations: Sequence[Relation],
    primary: set[Hashable],
    preference: Callable[[Hashable], tuple],
) -> frozenset:
    """The cells to withhold: ``primary`` plus complementary cells. ``preference``
    orders equally small candidates (smaller is withheld first)."""
    hidden = set(primary)
    nonzero = {cell for cell, value in values.items() if value}
    zeros = [cell for cell in primary if cell not in nonzero]
    forced_by_zeros = {z for z in zeros if z in determined(relations, nonzero | {z})}

    def smallest(candidates) -> Hashable | None:
        published = [cell for cell in candidates if cell not in hidden and cell in nonzero]
        return min(published, key=lambda cell: (values[cell], preference(cell)), default=None)

    def exposed() -> list:
        found = determined(relations, hidden & nonzero)
        found |= {z for z in zeros if z not in forced_by_zeros and z in determined(relations, (hidden & nonzero) | {z})}
        return sorted(found, key=preference)

    while True:
        _complete(values, relations, hidden, smallest)
        solvable = exposed()
        if not solvable:
            return frozenset(hidden)
        near = [term for relation in relations if solvable[0] in dict(relation) for term, _ in relation]
        anywhere = [term for relation in relations if hidden & dict(relation).keys() for term, _ in relation]
        extra = smallest(near) or smallest(anywhere)
        if extra is None:  # cannot happen: a solvable cell not forced by zeros has a published partner
            return frozenset(hidden | nonzero)
        hidden.add(extra)


def _complete(values: Mapping[Hashable, int], relations: Sequence[Relation], hidden: set, smallest) -> None:
    changed = True
    while changed:
        changed = False
        for relation in relations:
            withheld = [values[cell] for cell, _ in relation if cell in hidden]
            if len(withheld) == 1 or (withheld and not any(withheld)):
                extra = smallest(cell for cell, _ in relation)
                if extra is not None:
                    hidden.add(extra)
                    changed = True


def determined(relations: Sequence[Relation], hidden: set) -> set:
    """The hidden cells whose value follows from the relations and the other cells."""
    order = list(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    basis: dict[int, dict[int, int]] = {}  # pivot column -> fully reduced row, pivot entry 1
    for relation in relations:
        row: dict[int, int] = {}
        for cell, coefficient in relation:
            if cell in index:
                column = index[cell]
                row[column] = (row.get(column, 0) + coefficient) % PRIME
        for pivot in [column for column in row if column in basis]:
            _subtract(row, basis[pivot], row.get(pivot, 0))
        row = {column: value for column, value in row.items() if value}
        if not row:
            continue
        pivot = min(row)
        inverse = pow(row[pivot], PRIME - 2, PRIME)
        row = {column: value * inverse % PRIME for column, value in row.items()}
        for other in basis.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        basis[pivot] = row
    return {order[pivot] for pivot, row in basis.items() if len(row) == 1}


def _subtract(row: dict[int, int], other: Mapping[int, int], factor: int) -> None:
    if not factor:
        return
    for column, value in other.items():
        new = (row.get(column, 0) - factor * value) % PRIME
        if new:
            row[column] = new
        else:
            row.pop(column, None)
