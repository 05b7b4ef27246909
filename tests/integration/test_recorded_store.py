"""A store recorded before the domain moved into one folder per part still opens, and a trustee's
audit questions get the same answers from it (see tests/recorded), from read models rebuilt the
way this version keeps them: the retired access_grants table is gone."""

import json
import shutil

from sqlalchemy import create_engine, inspect

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
    tables = inspect(create_engine(f"sqlite:///{var / 'datatrust.sqlite3'}")).get_table_names()
    assert "access_grants" not in tables and {"consent_periods", "organisation_periods"} <= set(tables)
