"""The anonymised release of a panel's answers: what an organisation receives when
an insight request closes. Counts and shares per answer, overall and by each
requested panel attribute one at a time (no cross-tabs), with small cells withheld.

The rules, with k the trust's minimum cell size (a live setting, default 10):

1. Primary suppression. A count from 1 to k-1 is withheld. A row (the whole panel,
   or one group such as area = CA3) with fewer than k respondents is withheld
   entirely: its respondents and every answer in it, zeros included. A zero is
   published in a row of k or more respondents: "nobody in a group of at least k"
   describes no one in particular, and being exact it lets nobody subtract their
   way to a withheld cell. (A published zero does say the same of every smaller
   group inside it: if nobody on the panel chose an answer, nobody in CA3 did.)
2. Secondary suppression. Published figures add up: for single-choice and scale
   questions a row's answers sum to its respondents; in every breakdown the groups
   sum to the whole-panel row, answer by answer and in respondents (multiple
   choice: only the latter, as one member may tick several; but as a row's ticks
   bound its respondents, a row whose respondents are withheld is withheld whole). Wherever a sum has
   exactly one withheld figure (or only withheld zeros, which no count can go
   below), the smallest other published non-zero figure of that sum is withheld
   too, until no sum is so; then no withheld figure may be pinned down from the
   published ones by any combination of sums and counts being at least zero, or
   more is withheld (see ``domain.insight.disclosure.suppression``). The whole-panel row is one row, shared by
   the overall table and every breakdown of the same question, and is withheld alike
   wherever it appears. Members with no value for an attribute form "not-given".
   As members mostly answer every question, a group's respondents withheld in one
   question are withheld in every question where they are the same number (or the
   other questions would tell them).
3. Shares are worked out only from published counts over published respondents
   (multiple choice: the share of the row's respondents who ticked the answer; a
   row's respondents: its share of the whole panel's respondents).
4. If fewer than k members answered at all, nothing is released. Free-text answers
   are never counted here: a trustee reviews and redacts them; only their question
   codes are listed. An empty multiple-choice list counts as a skipped question.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.insight.disclosure.suppression import OVERALL, RESPONDENTS, withheld
from domain.kernel.errors import InvalidRequest

QUESTION_KINDS = ("single", "multiple", "scale", "text")
NOT_GIVEN = "not-given"


@dataclass(frozen=True)
class Question:
    code: str
    kind: str  # one of QUESTION_KINDS
    text: str
    options: tuple[str, ...] = ()  # single/multiple: the choices; scale: its points ("1", ..., "5"); text: ()


@dataclass(frozen=True)
class Cell:
    count: int | None  # None: suppressed
    share: float | None

    def as_dict(self) -> dict:
        return {"count": self.count, "share": self.share, "suppressed": self.count is None}


@dataclass(frozen=True)
class Row:
    group: str  # "all" for the whole panel, else the attribute's value
    respondents: Cell
    answers: dict[str, Cell]  # option -> cell, in the question's option order


@dataclass(frozen=True)
class Table:
    question: str
    attribute: str | None  # None: the overall table, one row "all"
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Release:
    min_cell: int
    respondents: int | None  # None: withheld; with no tables, fewer than min_cell answered, nothing released
    tables: tuple[Table, ...]
    free_text: tuple[str, ...] = ()  # codes of the free-text questions, which a trustee reviews

    def as_dict(self) -> dict:
        def row(r: Row) -> dict:
            answers = {option: c.as_dict() for option, c in r.answers.items()}
            return {"group": r.group, "respondents": r.respondents.as_dict(), "answers": answers}

        tables = [
            {"question": t.question, "attribute": t.attribute, "rows": [row(r) for r in t.rows]} for t in self.tables
        ]
        return {
            "min_cell": self.min_cell,
            "respondents": self.respondents,
            "free_text": [*self.free_text],
            "tables": tables,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Release":
        def cell(d: Mapping) -> Cell:
            return Cell(d["count"], d["share"])

        def row(d: Mapping) -> Row:
            return Row(d["group"], cell(d["respondents"]), {o: cell(c) for o, c in d["answers"].items()})

        tables = tuple(Table(t["question"], t["attribute"], tuple(row(r) for r in t["rows"])) for t in data["tables"])
        return cls(data["min_cell"], data["respondents"], tables, tuple(data.get("free_text", ())))


def check_questions(questions: Sequence[Question]) -> tuple[Question, ...]:
    if not questions:
        raise InvalidRequest("An insight request needs at least one question.")
    if len(questions) > 10:
        raise InvalidRequest(f"An insight request may ask at most 10 questions, not {len(questions)}.")
    codes = [q.code for q in questions]
    if len(set(codes)) < len(codes):
        raise InvalidRequest(f"Each question needs its own code; {_twice(codes)} is used twice.")
    for q in questions:
        if q.kind not in QUESTION_KINDS:
            raise InvalidRequest(
                f"Question {q.code} is of unknown kind {q.kind!r}; kinds are: {', '.join(QUESTION_KINDS)}."
            )
        if not q.text.strip() or len(q.text) > 500:
            raise InvalidRequest(f"Question {q.code} needs a text of 1 to 500 characters.")
        if q.kind in ("single", "multiple") and not 2 <= len(q.options) <= 12:
            raise InvalidRequest(f"Question {q.code} needs 2 to 12 options to choose from.")
        if q.kind == "scale" and not 2 <= len(q.options) <= 11:
            raise InvalidRequest(f"The scale of question {q.code} needs 2 to 11 points.")
        if q.kind == "text" and q.options:
            raise InvalidRequest(f"Question {q.code} asks for free text, so it has no options.")
        if len(set(q.options)) < len(q.options):
            raise InvalidRequest(f"Question {q.code} lists the option {_twice(q.options)!r} twice.")
        if any(not o.strip() or len(o) > 100 for o in q.options):
            raise InvalidRequest(f"Each option of question {q.code} needs 1 to 100 characters.")
    return tuple(questions)


def check_breakdown(
    breakdown: Sequence[str],
    quotas: Sequence[tuple[str, str, int, int]],
    size: int,
    min_cell: int,
    attributes: Sequence[str],
) -> tuple[str, ...]:
    cleaned = tuple(attribute.strip() for attribute in breakdown)
    if size < min_cell:
        raise InvalidRequest(
            f"A panel of {size} members would single out fewer than {min_cell}: nothing could be released."
        )
    if len(set(cleaned)) < len(cleaned):
        raise InvalidRequest(f"The breakdown names {_twice(cleaned)} twice.")
    for attribute in cleaned:
        if attribute not in attributes:
            raise InvalidRequest(
                f"There is no panel attribute {attribute!r}; a breakdown can be by: {', '.join(attributes)}."
            )
    for attribute, value, _minimum, maximum in quotas:
        if attribute in cleaned and 0 < maximum < min_cell:
            raise InvalidRequest(
                f"A breakdown by {attribute} would single out fewer than {min_cell} members: "
                f"{attribute} = {value} may have at most {maximum} on this panel."
            )
    return cleaned


def _twice(items: Sequence[str]) -> str:
    return next(item for i, item in enumerate(items) if item in items[:i])


def release(
    questions: Sequence[Question],
    answers: Mapping[str, Mapping[str, str | Sequence[str]]],
    attributes: Mapping[str, Mapping[str, str]],
    breakdown: Sequence[str],
    min_cell: int,
) -> Release:
    """The anonymised release of ``answers`` (member -> question code -> answer)."""
    by_code = {q.code: q for q in questions}
    given = {member: _clean(by_code, chosen) for member, chosen in answers.items()}
    answered = [member for member, chosen in given.items() if chosen]
    free_text = tuple(q.code for q in questions if q.kind == "text")
    if len(answered) < min_cell:
        return Release(min_cell, None, (), free_text)
    counted = [q for q in questions if q.kind != "text"]
    grouped = {q.code: _rows(q, given, attributes, breakdown) for q in counted}
    respondents_withheld: set[tuple] = set()  # (row, respondents) withheld in some question
    while True:
        found = {
            q.code: withheld(q.kind, q.options, grouped[q.code], breakdown, min_cell, respondents_withheld)
            for q in counted
        }
        more = {
            (row, values[(row, column)])
            for values, hidden in found.values()
            for row, column in hidden
            if column is None
        }
        if more <= respondents_withheld:
            break
        respondents_withheld |= more
    tables = [t for q in counted for t in _tables(q, grouped[q.code], *found[q.code], breakdown)]
    # The number who answered is a question's whole-panel respondents when all answered it: withheld alike
    total = None if (OVERALL, len(answered)) in respondents_withheld else len(answered)
    return Release(min_cell, total, tuple(tables), free_text)


def _clean(by_code: Mapping[str, Question], chosen: Mapping[str, str | Sequence[str]]) -> dict:
    cleaned: dict[str, str | frozenset[str]] = {}
    for code, answer in chosen.items():
        q = by_code.get(code)
        if q is None:
            raise InvalidRequest(f"An answer was given to {code!r}, which is not a question of this request.")
        multiple = q.kind == "multiple"
        picked = frozenset(answer) if multiple and not isinstance(answer, str) else answer
        wrong = isinstance(answer, str) == multiple or (
            q.kind != "text" and not set(picked if multiple else {picked}) <= set(q.options)
        )
        if wrong:
            raise InvalidRequest(f"The answer {answer!r} to question {code} is not among its options.")
        if picked:
            cleaned[code] = picked
    return cleaned


def _rows(q: Question, given: Mapping, attributes: Mapping, breakdown: Sequence[str]) -> dict[tuple, list]:
    rows: dict[tuple, list] = {OVERALL: []}
    for member, chosen in given.items():
        if q.code in chosen:
            rows[OVERALL].append(chosen[q.code])
            for attribute in breakdown:
                value = attributes.get(member, {}).get(attribute) or NOT_GIVEN
                rows.setdefault((attribute, value), []).append(chosen[q.code])
    return rows


def _tables(q: Question, rows: Mapping, values: Mapping, hidden: frozenset, breakdown: Sequence[str]) -> list[Table]:
    def cell(row: tuple, column: str | None, of: tuple) -> Cell:
        if (row, column) in hidden:
            return Cell(None, None)
        count, total = values[(row, column)], (of, RESPONDENTS)
        return Cell(count, None if total in hidden or not values[total] else round(count / values[total], 4))

    def table_row(row: tuple) -> Row:
        return Row(row[1], cell(row, RESPONDENTS, OVERALL), {o: cell(row, o, row) for o in q.options})

    groups = {attribute: sorted(row for row in rows if row[0] == attribute) for attribute in breakdown}
    return [Table(q.code, None, (table_row(OVERALL),))] + [
        Table(q.code, attribute, (table_row(OVERALL), *map(table_row, groups[attribute]))) for attribute in breakdown
    ]
