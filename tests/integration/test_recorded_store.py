"""A store recorded before the domain moved into one folder per part still opens, and a trustee's
audit questions get the same answers from it (see tests/recorded)."""

import json
import shutil

from tests.recorded.questions import ANSWERS, RECORDED, ask_everything, store_in


def test_a_store_recorded_before_the_move_answers_the_same_audit_questions(tmp_path):
    var = tmp_path / "var"
    shutil.copytree(RECORDED, var)
    with store_in(var) as ask:
        answers = ask_everything(ask)
    expected = json.loads(ANSWERS.read_text())
    assert answers.keys() == expected.keys()
    differing = [question for question in expected if answers[question] != expected[question]]
    assert not differing, f"{len(differing)} answers differ, first: {differing[0]}"
