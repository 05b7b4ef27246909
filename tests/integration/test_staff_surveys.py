"""A business member surveys its own staff through the trust: one-time codes, answered once each,
nothing linking an answer to its code, results only as the disclosure control releases them and
free text only once a trustee has reviewed it."""

import hashlib
import hmac
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from domain.insight.disclosure.release import Question
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotFound
from domain.store.survey_codes import KEY_PURPOSE, staff_survey_codes
from projections.core.rebuild import rebuild
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.survey_support import BUSINESS_PORTAL, QUESTIONS, business, open_survey
from tests.integration.test_rebuild import read_models
from tests.support import nothing_recorded

REFUSED_CODE = "This code is not one we know, has already been used, or its survey has closed."


def answer_all(trust, codes, rota=("fair",) * 8 + ("mixed",) * 3 + ("unfair",)):
    for number, code in enumerate(codes):
        answers = {"rota": rota[number % len(rota)], "help": ["breaks"]}
        if number % 3 == 0:
            answers["else"] = f"Thought number {number}"
        trust.answer_staff_survey(code, answers)


def code_rows(services):
    with services.views.reading() as conn:
        return conn.execute(select(staff_survey_codes)).all()


def test_a_business_gets_as_many_different_codes_as_it_asked_for_and_the_trust_keeps_only_digests(services):
    trust = services.trust
    issued = open_survey(trust, business(trust), codes=12)
    assert len(set(issued.codes)) == 12
    assert all(len(code) == 14 and code.count("-") == 2 for code in issued.codes)
    rows = code_rows(services)
    assert len(rows) == 12 and {row.survey_id for row in rows} == {issued.survey_id}
    kept = {row.code_digest for row in rows}
    for code in issued.codes:
        plain = code.replace("-", "")
        assert plain not in kept and hashlib.sha256(plain.encode()).hexdigest() not in kept
    recorded = b"".join(bytes(n.state) for n in trust.application.recorder.select_notifications(start=1, limit=1000))
    assert not any(code.replace("-", "").encode() in recorded for code in issued.codes)
    survey = services.views.staff_survey(issued.survey_id)
    assert (survey["status"], survey["codes_issued"], survey["answered"]) == ("open", 12, 0)


def test_a_code_answers_once_and_a_second_go_is_refused_with_nothing_recorded(services):
    trust = services.trust
    issued = open_survey(trust, business(trust))
    code = issued.codes[0]
    assert [q.code for q in trust.survey_for_code(code).questions] == ["rota", "help", "else"]
    trust.answer_staff_survey(code.lower().replace("-", " "), {"rota": "fair"})  # as typed off the slip
    assert services.views.staff_survey(issued.survey_id)["answered"] == 1
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=REFUSED_CODE):
        trust.answer_staff_survey(code, {"rota": "unfair"})
    with pytest.raises(InvalidRequest, match=REFUSED_CODE):
        trust.survey_for_code(code)
    assert len(code_rows(services)) == 11


@pytest.mark.parametrize("code", ["", "ABCD-EFGH-JKMN", "0000-0000-0000", "short", "x" * 500, None, 12])
def test_an_unknown_or_malformed_code_is_refused_with_a_sentence_and_nothing_recorded(services, code):
    trust = services.trust
    open_survey(trust, business(trust))
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=REFUSED_CODE):
        trust.answer_staff_survey(code, {"rota": "fair"})
    assert len(code_rows(services)) == 12


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"rota": "brilliant"}, "'brilliant' is not an option of rota"),
        ({"pay": "more"}, "'pay' is not a question"),
        ({}, "Give at least one answer."),
        ({"else": "\x00"}, "control character"),
        ({"else": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_bad_answers_are_refused_and_the_code_still_works(services, answers, problem):
    trust = services.trust
    issued = open_survey(trust, business(trust))
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=problem):
        trust.answer_staff_survey(issued.codes[0], answers)
    trust.answer_staff_survey(issued.codes[0], {"rota": "fair"})
    assert services.views.staff_survey(issued.survey_id)["answered"] == 1


def test_the_record_of_an_answer_holds_no_code_and_only_the_day(services, clock):
    trust = services.trust
    issued = open_survey(trust, business(trust))
    clock.advance(hours=5, minutes=17, seconds=3)
    trust.answer_staff_survey(issued.codes[3], {"rota": "mixed", "else": "The ovens are too hot"})
    events = list(trust.application.events.get(issued.survey_id))
    event = events[-1]
    assert type(event).__name__ == "Answered"
    assert set(vars(event)) == {"originator_id", "originator_version", "timestamp", "sealed_answers", "actor"}
    assert event.timestamp == clock().replace(hour=0, minute=0, second=0, microsecond=0)
    assert event.actor == "staff:with a survey code"
    assert "ovens" not in event.sealed_answers and "mixed" not in event.sealed_answers
    plain = issued.codes[3].replace("-", "")
    digest = hmac.new(trust.vault.derived_key(KEY_PURPOSE), plain.encode(), hashlib.sha256).hexdigest()
    assert digest not in repr(vars(event)) and plain not in repr(vars(event))
    assert digest not in {row.code_digest for row in code_rows(services)}  # the used code left nothing behind
    row = services.views.staff_survey(issued.survey_id)
    assert row["answered"] == 1 and "ovens" not in repr(row)


def test_a_closed_survey_takes_no_answers_and_its_unused_codes_stop_working(services):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member)
    trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL)
    assert code_rows(services) == []
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=REFUSED_CODE):
        trust.answer_staff_survey(issued.codes[0], {"rota": "fair"})
    assert services.views.staff_survey(issued.survey_id)["status"] == "closed"


def test_the_business_sees_counts_with_small_ones_withheld_and_never_the_free_text_unreviewed(services):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member, codes=14)
    answer_all(trust, issued.codes[:12])
    result = trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL).as_dict()
    assert result["respondents"] == 12 and result["free_text"] == ["else"]
    rota = next(t for t in result["tables"] if t["question"] == "rota")["rows"][0]["answers"]
    assert rota["fair"]["suppressed"] and rota["mixed"]["suppressed"] and rota["unfair"]["suppressed"]
    helps = next(t for t in result["tables"] if t["question"] == "help")["rows"][0]["answers"]
    assert helps["breaks"]["count"] == 12 and helps["training"]["count"] == 0
    assert "Thought" not in repr(result)
    shown = services.views.staff_survey(issued.survey_id)
    assert shown["result"] == result and shown["free_text"] is None
    assert [s["id"] for s in services.views.staff_surveys_to_review()] == [issued.survey_id]


def test_a_trustee_reviews_the_free_text_and_releases_it_in_no_particular_order(services):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member)
    answer_all(trust, issued.codes)
    with pytest.raises(NotAllowedNow, match="only after the survey closes"):
        trust.staff_survey_free_text(issued.survey_id)
    trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL)
    texts = trust.staff_survey_free_text(issued.survey_id)
    assert texts == {"else": sorted(f"Thought number {n}" for n in (0, 3, 6, 9))}
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Only a trustee"):
        trust.release_staff_survey_free_text(issued.survey_id, {"else": ["x"]}, BUSINESS_PORTAL)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="not a free-text question"):
        trust.release_staff_survey_free_text(issued.survey_id, {"rota": ["x"]}, TRUSTEE)
    trust.release_staff_survey_free_text(issued.survey_id, {"else": ["Thought number 0", "[removed]"]}, TRUSTEE)
    assert services.views.staff_survey(issued.survey_id)["free_text"] == {"else": ["Thought number 0", "[removed]"]}
    assert services.views.staff_surveys_to_review() == []


def test_with_fewer_answers_than_the_minimum_cell_size_nothing_at_all_is_released(services):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member)
    answer_all(trust, issued.codes[:9])
    result = trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL)
    assert (result.respondents, result.tables) == (None, ())
    assert trust.staff_survey_free_text(issued.survey_id) == {}
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Fewer staff answered"):
        trust.release_staff_survey_free_text(issued.survey_id, {"else": ["Thought number 0"]}, TRUSTEE)


def test_the_live_minimum_cell_size_applies_to_the_codes_and_the_release(services):
    trust = services.trust
    member = business(trust)
    with trust.command():
        trust.application.save(trust.rules.change_rule("min-cell-size", 15, uuid4(), str(TRUSTEE)))
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="at least 15 staff codes"):
        open_survey(trust, member, codes=12)
    issued = open_survey(trust, member, codes=15)
    answer_all(trust, issued.codes[:12])
    result = trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL)
    assert (result.min_cell, result.respondents, result.tables) == (15, None, ())


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (dict(codes=9), "Ask for at least 10 staff codes"),
        (dict(codes=101), "at most 100 codes"),
        (dict(codes="12"), "as a whole number"),
        (dict(codes=True), "as a whole number"),
        (dict(questions=()), "at least one question"),
        (dict(questions=(Question("a", "essay", "Why?", ()),)), "unknown kind"),
        (dict(questions=(Question("a", "single", "Pick", ("only",)),)), "2 to 12 options"),
        (dict(title="   "), "title"),
        (dict(title="x" * 201), "title"),
    ],
)
def test_a_survey_that_could_never_be_shown_or_is_badly_made_is_refused(services, changes, problem):
    trust = services.trust
    member = business(trust)
    asked = dict(codes=12, questions=QUESTIONS, title="How is work going?") | changes
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=problem):
        open_survey(trust, member, **asked)
    assert code_rows(services) == []


def test_only_a_business_member_surveys_its_own_staff_and_only_its_own_survey(services):
    trust = services.trust
    person = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="web")
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Only a business"):
        open_survey(trust, person)
    member, other = business(trust), business(trust, "Riverside Cafe")
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="opened by the business member itself"):
        trust.open_staff_survey(member, "Work", QUESTIONS, 12, Actor("caseworker", "cal"))
    issued = open_survey(trust, member)
    with nothing_recorded(services), pytest.raises(NotFound):
        trust.close_staff_survey(issued.survey_id, other, BUSINESS_PORTAL)
    assert services.views.staff_surveys_of(other) == []
    assert [s["title"] for s in services.views.staff_surveys_of(member)] == ["How is work going?"]


def test_a_trustee_may_close_a_survey_and_closing_again_gives_the_same_release(services, clock):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member)
    answer_all(trust, issued.codes)
    first = trust.close_staff_survey(issued.survey_id, None, TRUSTEE)
    clock.advance(days=1)
    position = trust.last_position()
    assert trust.close_staff_survey(issued.survey_id, member, BUSINESS_PORTAL) == first
    assert trust.last_position() == position
    assert services.views.staff_survey(issued.survey_id)["closed_at"] == clock() - timedelta(days=1)


def test_an_erased_business_takes_its_staff_answers_with_it(services):
    trust = services.trust
    member = business(trust)
    issued = open_survey(trust, member)
    answer_all(trust, issued.codes[:11])
    trust.erase_member(member, TRUSTEE)
    with nothing_recorded(services), pytest.raises(NotAllowedNow):
        trust.answer_staff_survey(issued.codes[11], {"rota": "fair"})
    result = trust.close_staff_survey(issued.survey_id, None, TRUSTEE)
    assert (result.respondents, result.tables) == (None, ())


def test_the_staff_surveys_read_model_rebuilt_from_the_log_is_the_same(services, clock):
    trust = services.trust
    member = business(trust)
    closed = open_survey(trust, member)
    clock.advance(days=1)
    still_open = open_survey(trust, member, title="After the move")
    answer_all(trust, closed.codes)
    answer_all(trust, still_open.codes[:2])
    clock.advance(days=3)
    trust.close_staff_survey(closed.survey_id, member, BUSINESS_PORTAL)
    trust.release_staff_survey_free_text(closed.survey_id, {"else": ["Thought number 0"]}, TRUSTEE)
    before = read_models(services)
    rebuild(trust, services.views.projector, batch=5)
    assert read_models(services) == before
    assert [s["answered"] for s in services.views.staff_surveys_of(member)] == [2, 12]
