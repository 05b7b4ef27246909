"""A business member surveys its own staff: features/surveys/."""

import hashlib
import hmac

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from domain.kernel.actors import Actor
from domain.store.survey_codes import KEY_PURPOSE
from tests.features.conftest import attempt, words
from tests.integration.survey_support import business, open_survey
from tests.support import START

scenarios("surveys")


@pytest.fixture
def survey() -> dict:
    return {}


@given(words('"{name:Q}", a business, is a member of the trust'))
def business_member(trust, scene, name):
    scene.members[name] = business(trust, name)


@given(words('"{name:Q}" has started a staff survey "{title:Q}" with {count:d} codes'))
def started(trust, scene, survey, name, title, count):
    issued = open_survey(trust, scene.members[name], codes=count, title=title)
    survey.update(id=issued.survey_id, codes=list(issued.codes), business=scene.members[name])


@when(words('{fair:d} of its staff answer that the rota is "fair" and {unfair:d} that it is "unfair"'))
def staff_answer(trust, survey, fair, unfair):
    for number, rota in enumerate(["fair"] * fair + ["unfair"] * unfair):
        answers = {"rota": rota, "else": f"Note {number}"}
        trust.answer_staff_survey(survey["codes"][number], answers)


@given(words('"{name:Q}" has closed the survey'))
@when(words('"{name:Q}" closes the survey'))
def closes(trust, scene, survey, name):
    trust.close_staff_survey(survey["id"], scene.members[name], Actor("member", "via portal"))


@given("a member of staff has answered with the first code")
@when("a member of staff answers with the first code")
def answers_first(trust, survey):
    trust.answer_staff_survey(survey["codes"][0], {"rota": "mixed", "else": "The ovens are too hot"})


@when(parsers.re(r"someone tries to answer (?:again )?with the (?P<which>first|last) code"), target_fixture="attempt")
def tries(trust, survey, which):
    code = survey["codes"][0 if which == "first" else -1]
    return attempt(trust, lambda: trust.answer_staff_survey(code, {"rota": "unfair"}))


def shown(views, survey) -> dict:
    return views.staff_survey(survey["id"])


@then(words("the business sees that {count:d} staff answered"))
def respondents(views, survey, count):
    assert shown(views, survey)["result"]["respondents"] == count


@then("the business sees no count of the rota from 1 to 9")
def no_small_counts(views, survey):
    [rota] = [t for t in shown(views, survey)["result"]["tables"] if t["question"] == "rota"]
    counts = [cell["count"] for row in rota["rows"] for cell in (row["respondents"], *row["answers"].values())]
    assert not [count for count in counts if count is not None and 0 < count < 10], counts
    assert None in counts  # some were withheld


@then("the business sees no free text until a trustee has released it")
def no_free_text(views, survey):
    seen = shown(views, survey)
    assert seen["free_text"] is None and "Note" not in repr(seen)


@then(words("the business sees that fewer than {k:d} staff answered, so nothing is shown"))
def nothing_shown(views, survey, k):
    result = shown(views, survey)["result"]
    assert (result["min_cell"], result["respondents"], result["tables"]) == (k, None, [])
    assert not shown(views, survey)["released"]


def _answer_event(trust, survey):
    [event] = [e for e in trust.application.events.get(survey["id"]) if type(e).__name__ == "Answered"]
    return event


@then("the record of the answer holds neither the code nor its digest")
def no_code(trust, survey):
    event = _answer_event(trust, survey)
    stored, plain = repr(vars(event)), survey["codes"][0].replace("-", "")
    digest = hmac.new(trust.vault.derived_key(KEY_PURPOSE), plain.encode(), hashlib.sha256).hexdigest()
    assert survey["codes"][0] not in stored and plain not in stored and digest not in stored
    assert set(vars(event)) == {"originator_id", "originator_version", "timestamp", "sealed_answers", "actor"}


@then("the record of the answer is stamped with the day only")
def day_only(trust, survey):
    assert _answer_event(trust, survey).timestamp == START.replace(hour=0)
