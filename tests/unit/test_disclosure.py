import json
import random

import highspy
import numpy as np
import pytest

from domain.insight.disclosure.release import Cell, Question, Release, check_breakdown, check_questions, release
from domain.kernel.errors import InvalidRequest

RENT = Question("q1", "single", "Do you rent your home?", ("yes", "no"))
HELP = Question("q2", "multiple", "Which would help?", ("advice", "grants", "loans"))
SCALE = Question("q3", "scale", "How hard is it to pay bills?", ("1", "2", "3", "4", "5"))
STORY = Question("q4", "text", "Anything else?")


def build(groups: dict[str, list[dict]]) -> tuple[dict, dict]:
    """members' answers and areas from {area: [answers of each member]}."""
    answers, attributes = {}, {}
    for area, members in groups.items():
        for i, given in enumerate(members):
            answers[f"{area}-{i}"] = given
            attributes[f"{area}-{i}"] = {"area": area, "age-band": "18-34" if i % 2 else "35+"}
    return answers, attributes


def rent(yes: int, no: int) -> list[dict]:
    return [{"q1": "yes"}] * yes + [{"q1": "no"}] * no


def counts(row) -> tuple:
    return (row.respondents.count, *(cell.count for cell in row.answers.values()))


def table(result: Release, question: str, attribute: str | None):
    return next(t for t in result.tables if t.question == question and t.attribute == attribute)


def test_a_small_area_is_withheld_and_cannot_be_recovered_by_subtraction():
    answers, attributes = build({"CA1": rent(15, 7), "CA2": rent(8, 4), "CA3": rent(2, 4)})
    result = release([RENT], answers, attributes, ["area"], 10)
    assert result.respondents == 40
    assert counts(table(result, "q1", None).rows[0]) == (40, 25, 15)
    by_area = table(result, "q1", "area")
    assert [(row.group, counts(row)) for row in by_area.rows] == [
        ("all", (40, 25, 15)),
        ("CA1", (22, None, None)),  # 7 is small; 15 alone would give it away from 22
        ("CA2", (None, None, None)),  # its 12 would give CA3's 6 away: 40 - 22 - 12
        ("CA3", (None, None, None)),
    ]
    assert by_area.rows[1].respondents == Cell(22, 0.55)
    assert table(result, "q1", None).rows[0].answers["yes"] == Cell(25, 0.625)


def test_zeros_are_published_in_big_enough_rows_and_withheld_in_small_ones():
    answers, attributes = build({"CA1": rent(12, 0), "CA2": rent(10, 0), "CA3": rent(3, 0)})
    by_area = table(release([RENT], answers, attributes, ["area"], 10), "q1", "area")
    assert [counts(row) for row in by_area.rows] == [(25, 25, 0), (12, 12, 0), (None, None, 0), (None, None, None)]


def test_the_minimum_cell_size_decides_what_is_withheld():
    answers, attributes = build({"CA1": rent(15, 7), "CA2": rent(8, 4), "CA3": rent(2, 4)})
    by_area = table(release([RENT], answers, attributes, ["area"], 5), "q1", "area")
    # k=5 publishes CA3's 6 members and CA1's 7 "no"; CA2's 4 "no" and CA3's 2 "yes" and 4 "no" are small,
    # and CA2's 8 "yes" would give away its 4 "no" (12 - 8)
    assert [counts(row) for row in by_area.rows] == [(40, 25, 15), (22, 15, 7), (12, None, None), (6, None, None)]


def test_multiple_choice_shares_are_of_the_respondents_who_ticked():
    group = [{"q2": ["advice"]}] * 6 + [{"q2": ["advice", "grants"]}] * 10 + [{"q2": ["loans"]}] * 4
    answers, attributes = build({"CA1": group})
    row = table(release([HELP], answers, attributes, [], 3), "q2", None).rows[0]
    assert row.respondents == Cell(20, 1.0)
    assert row.answers == {"advice": Cell(16, 0.8), "grants": Cell(10, 0.5), "loans": Cell(4, 0.2)}


def test_scale_questions_and_skipped_questions():
    members = [{"q3": "1", "q1": "yes"}] * 12 + [{"q3": "4"}] * 11 + [{"q1": "no", "q4": "kind words"}] * 3
    answers, attributes = build({"CA1": members})
    result = release([RENT, SCALE, STORY], answers, attributes, [], 10)
    assert result.respondents == 26
    assert result.free_text == ("q4",)
    assert counts(table(result, "q3", None).rows[0]) == (23, 12, 0, 0, 11, 0)
    assert counts(table(result, "q1", None).rows[0]) == (15, None, None)  # 3 "no" is small; 15 - 12 would tell
    assert [t.question for t in result.tables] == ["q1", "q3"]


def test_fewer_than_k_respondents_release_nothing():
    answers, attributes = build({"CA1": rent(5, 4) + [{}] * 30})
    result = release([RENT], answers, attributes, ["area"], 10)
    assert result == Release(10, None, ())
    assert result.as_dict()["tables"] == []


def test_a_release_round_trips_through_json():
    answers, attributes = build({"CA1": rent(15, 7), "CA2": rent(8, 4), "CA3": rent(2, 4)})
    result = release([RENT, STORY], answers, attributes, ["area", "age-band"], 10)
    data = json.loads(json.dumps(result.as_dict()))
    assert list(data) == ["min_cell", "respondents", "free_text", "tables"]
    assert data["tables"][1]["rows"][3]["respondents"] == {"count": None, "share": None, "suppressed": True}
    assert Release.from_dict(data) == result


def test_an_answer_outside_the_options_is_refused():
    with pytest.raises(InvalidRequest, match="not among its options"):
        release([RENT], {"m": {"q1": "maybe"}}, {}, [], 10)
    with pytest.raises(InvalidRequest, match="not among its options"):
        release([HELP], {"m": {"q2": "advice"}}, {}, [], 10)
    with pytest.raises(InvalidRequest, match="not a question of this request"):
        release([RENT], {"m": {"q9": "yes"}}, {}, [], 10)


@pytest.mark.parametrize(
    ("questions", "sentence"),
    [
        ([], "An insight request needs at least one question."),
        (
            [Question(f"q{i}", "text", "Why?") for i in range(11)],
            "An insight request may ask at most 10 questions, not 11.",
        ),
        ([RENT, Question("q1", "text", "Why?")], "Each question needs its own code; q1 is used twice."),
        (
            [Question("q1", "ranking", "Why?")],
            "Question q1 is of unknown kind 'ranking'; kinds are: single, multiple, scale, text.",
        ),
        ([Question("q1", "single", "Why?", ("yes",))], "Question q1 needs 2 to 12 options to choose from."),
        (
            [Question("q1", "multiple", "Why?", tuple("abcdefghijklm"))],
            "Question q1 needs 2 to 12 options to choose from.",
        ),
        ([Question("q1", "single", "Why?", ("a", "b", "a"))], "Question q1 lists the option 'a' twice."),
        ([Question("q1", "scale", "How?", tuple("0123456789AB"))], "The scale of question q1 needs 2 to 11 points."),
        ([Question("q1", "single", " ", ("a", "b"))], "Question q1 needs a text of 1 to 500 characters."),
        ([Question("q1", "text", "x" * 501)], "Question q1 needs a text of 1 to 500 characters."),
        ([Question("q1", "single", "Why?", ("a", "b" * 101))], "Each option of question q1 needs 1 to 100 characters."),
        ([Question("q1", "text", "Why?", ("a", "b"))], "Question q1 asks for free text, so it has no options."),
    ],
)
def test_check_questions_refuses_with_a_clear_sentence(questions, sentence):
    with pytest.raises(InvalidRequest) as refused:
        check_questions(questions)
    assert str(refused.value) == sentence


def test_check_questions_accepts_a_good_request():
    assert check_questions([RENT, HELP, SCALE, STORY]) == (RENT, HELP, SCALE, STORY)


ATTRIBUTES = ("area", "age-band", "tenure")


@pytest.mark.parametrize(
    ("breakdown", "quotas", "size", "sentence"),
    [
        (["area"], [], 8, "A panel of 8 members would single out fewer than 10: nothing could be released."),
        (
            ["shoe-size"],
            [],
            40,
            "There is no panel attribute 'shoe-size'; a breakdown can be by: area, age-band, tenure.",
        ),
        (["area", "area "], [], 40, "The breakdown names area twice."),
        (
            ["age-band", "area"],
            [("area", "CA1", 10, 30), ("area", "CA3", 0, 4)],
            40,
            "A breakdown by area would single out fewer than 10 members: area = CA3 may have at most 4 on this panel.",
        ),
    ],
)
def test_check_breakdown_refuses_with_a_clear_sentence(breakdown, quotas, size, sentence):
    with pytest.raises(InvalidRequest) as refused:
        check_breakdown(breakdown, quotas, size, 10, ATTRIBUTES)
    assert str(refused.value) == sentence


def test_check_breakdown_allows_groups_that_could_be_published_or_are_excluded():
    quotas = [("area", "CA1", 10, 30), ("area", "CA3", 0, 0), ("tenure", "owner", 0, 4)]
    assert check_breakdown([" area", "age-band"], quotas, 40, 10, ATTRIBUTES) == ("area", "age-band")
    assert check_breakdown([], [], 40, 10, ATTRIBUTES) == ()


def random_panel(rng: random.Random):
    kind = rng.choice(["single", "multiple", "scale"])
    question = Question("q1", kind, "Which?", tuple(str(i) for i in range(rng.randint(2, 5))))
    likely = [rng.random() ** 2 for _ in question.options]
    groups = {a: [rng.random() ** 2 for _ in range(rng.randint(2, 5))] for a in ("area", "age-band")}
    answers, attributes = {}, {}
    for m in range(rng.randint(8, 90)):
        attributes[m] = {a: f"{a}{rng.choices(range(len(w)), w)[0]}" for a, w in groups.items() if rng.random() > 0.03}
        if rng.random() < 0.1:
            answers[m] = {}
        elif kind == "multiple":
            answers[m] = {"q1": [o for o, p in zip(question.options, likely, strict=True) if rng.random() < p]}
        else:
            answers[m] = {"q1": rng.choices(question.options, likely)[0]}
    return question, answers, attributes, rng.sample(["area", "age-band"], rng.randint(1, 2)), rng.choice([5, 10])


def true_figures(question, answers, attributes, breakdown, code="q1") -> dict:
    """{(attribute, group, column): count} worked out independently; column None: respondents."""
    figures: dict[tuple, int] = {}
    for member, given in answers.items():
        picked = given.get(code)
        if not picked:
            continue
        rows = [(None, "all")] + [(a, attributes[member].get(a, "not-given")) for a in breakdown]
        for attribute, group in rows:
            for column in (None, *question.options):
                hit = column is None or column == picked or (question.kind == "multiple" and column in picked)
                figures[(attribute, group, column)] = figures.get((attribute, group, column), 0) + hit
    return figures


def adversary_bounds(question, figures, published, breakdown, respondents) -> dict:
    """The least and greatest value of every withheld figure consistent with all that was published:
    the sums, no negative counts, at most the panel's respondents, and for multiple choice each
    answer at most the row's respondents and the answers together at least them."""
    hidden = [cell for cell in figures if published[cell] is None]
    index = {cell: i for i, cell in enumerate(hidden)}
    model = highspy.Highs()
    model.setOptionValue("output_flag", False)
    # HiGHS starts one task scheduler per process, with the thread count of the first model run; the
    # panel draw's solver runs single-threaded, and a later model asking for another count fails to run.
    model.setOptionValue("threads", 1)
    model.addVars(len(hidden), np.zeros(len(hidden)), np.full(len(hidden), highspy.kHighsInf))
    rows = {(a, g) for a, g, _ in figures}

    def add(pairs, low: float, high: float) -> None:  # low <= sum of coefficient * figure <= high
        known = sum(coefficient * published[cell] for cell, coefficient in pairs if cell not in index)
        terms = [(index[cell], coefficient) for cell, coefficient in pairs if cell in index]
        if terms:
            columns, values = zip(*terms, strict=True)
            model.addRow(low - known, high - known, len(terms), np.array(columns, np.int32), np.array(values, float))

    infinity = highspy.kHighsInf
    for a, g in rows:
        options = [((a, g, o), 1) for o in question.options]
        if question.kind == "multiple":
            for cell, _ in options:
                add([(cell, 1), ((a, g, None), -1)], -infinity, 0)
            add([((a, g, None), 1), *[(cell, -1) for cell, _ in options]], -infinity, 0)
        else:
            add([((a, g, None), -1), *options], 0, 0)
    for a in breakdown:
        for column in (None, *question.options):
            add([((None, "all", column), -1), *[((b, g, column), 1) for b, g in rows if b == a]], 0, 0)
    add([((None, "all", None), 1)], -infinity, respondents)
    found = {}
    for cell, i in index.items():
        model.changeColCost(i, 1.0)
        ends = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            model.changeObjectiveSense(sense)
            model.run()
            optimal = model.getModelStatus() == highspy.HighsModelStatus.kOptimal
            ends.append(model.getInfo().objective_function_value if optimal else float("inf"))
        model.changeColCost(i, 0.0)
        found[cell] = tuple(ends)
    return found


@pytest.mark.parametrize("seed", range(300))
def test_no_withheld_figure_can_be_worked_out_from_the_published_ones(seed):
    rng = random.Random(seed)
    question, answers, attributes, breakdown, k = random_panel(rng)
    result = release([question], answers, attributes, breakdown, k)
    if result.respondents is None:
        return
    figures = true_figures(question, answers, attributes, breakdown)
    published: dict[tuple, int | None] = {}
    for t in result.tables:
        for row in t.rows:
            for column, cell in [(None, row.respondents), *row.answers.items()]:
                key = (None if row.group == "all" else t.attribute, row.group, column)
                assert published.setdefault(key, cell.count) == cell.count  # the overall row is the same everywhere
                assert cell.count is None or cell.count == figures[key]
                assert (
                    cell.count is None or (cell.count == 0 and figures[(key[0], key[1], None)] >= k) or cell.count >= k
                )
    assert set(published) == set(figures)
    for (attribute, group, column), (least, most) in adversary_bounds(
        question, figures, published, breakdown, result.respondents
    ).items():
        if figures[(attribute, group, column)] == 0 and published.get((None, "all", column)) == 0:
            continue  # nobody on the panel chose it: then nobody in any group did
        assert most - least >= 1 - 1e-6, (attribute, group, column, figures[(attribute, group, column)])


@pytest.mark.parametrize("seed", range(40))
def test_respondents_withheld_in_one_question_are_withheld_wherever_they_are_the_same(seed):
    rng = random.Random(seed)
    first, answers, attributes, breakdown, k = random_panel(rng)
    second = Question("q2", "single", "Again?", ("a", "b", "c"))
    for given in answers.values():
        if given and rng.random() < 0.95:
            given["q2"] = rng.choice(second.options)
    result = release([first, second], answers, attributes, breakdown, k)
    if result.respondents is None:
        return
    respondents = {q: true_figures(q, answers, attributes, breakdown, q.code) for q in (first, second)}
    withheld = {
        (t.question, t.attribute if r.group != "all" else None, r.group)
        for t in result.tables
        for r in t.rows
        if r.respondents.count is None
    }
    for attribute, group, column in respondents[first]:
        same = respondents[first][(attribute, group, None)] == respondents[second].get((attribute, group, None))
        if column is None and same:
            assert (("q1", attribute, group) in withheld) == (("q2", attribute, group) in withheld)


def test_the_number_who_answered_never_gives_away_a_withheld_whole_panel_row():
    three = Question("q1", "single", "Which bus?", ("a", "b", "c"))
    groups = {"A": {"a": 7, "b": 10, "c": 6}, "B": {"a": 3}, "C": {"b": 2}, "D": {"a": 2, "c": 2}}
    answers, attributes = {}, {}
    for area, chosen in groups.items():
        for option, many in chosen.items():
            for i in range(many):
                answers[f"{area}-{option}-{i}"] = {"q1": option}
                attributes[f"{area}-{option}-{i}"] = {"area": area}
    result = release([three], answers, attributes, ["area"], 10)
    overall = table(result, "q1", None).rows[0]
    assert overall.answers["c"].count is None  # 8 chose c: fewer than 10
    published = [n for n in (overall.respondents.count, result.respondents) if n is not None]
    answered = [cell.count for cell in overall.answers.values() if cell.count is not None]
    assert all(total - sum(answered) != 8 for total in published)  # c cannot be worked out
    assert Release.from_dict(json.loads(json.dumps(result.as_dict()))) == result
