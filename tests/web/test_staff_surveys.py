"""A business member's survey of its own staff, on the web: the business writes the questions in its
portal and gets its codes once, as slips to print; a member of staff answers on a plain page with a
code, once; the business sees only what the disclosure control released, free text after a trustee."""

import re

import pytest

from domain.kernel.actors import Actor
from tests.conftest import TRUSTEE
from tests.integration.survey_support import business, open_survey
from tests.support import nothing_recorded
from tests.web.conftest import Web

CODE = re.compile(r'<p class="code">([A-Z2-9-]{14})</p>')
REFUSED = "This code is not one we know, has already been used, or its survey has closed."
NEW_SURVEY = {
    "title": "How is work going?",
    "questions-0-text": "How fair is the rota?",
    "questions-0-kind": "single",
    "questions-0-options": "fair\nmixed\nunfair",
    "questions-1-text": "Anything else?",
    "questions-1-kind": "text",
    "codes": "12",
}


def signed_in(app, trust, member_id) -> Web:
    web = Web(app.test_client())
    link = trust.issue_member_sign_in_link(member_id, TRUSTEE)
    web.get(f"/portal/sign-in/{link.token}")
    assert web.post(f"/portal/sign-in/{link.token}").status_code == 302
    web.get("/portal")
    return web


@pytest.fixture
def bakery(web_services):
    return business(web_services.trust)


@pytest.fixture
def owner(app, web_services, bakery) -> Web:
    return signed_in(app, web_services.trust, bakery)


def start_survey(owner: Web, data=NEW_SURVEY) -> tuple[str, list[str]]:
    response = owner.form("/portal/staff-surveys/new", data)
    assert response.status_code == 302, owner.text(response)
    shown = owner.get(response.headers["Location"])
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    return response.headers["Location"].removesuffix("/codes"), CODE.findall(owner.text(shown))


def answer(web: Web, code: str, answers: dict):
    """A member of staff: the code first, then the questions it opens."""
    opened = web.form("/survey", {"code": code})
    assert opened.status_code == 200, web.text(opened)
    return web.post("/survey/answers", {"code": code, **answers})


def test_a_business_starts_a_survey_and_sees_its_codes_once_as_slips(app, owner, web_services, bakery):
    listing = owner.text(owner.get("/portal/staff-surveys"))
    assert "Ask your staff" in owner.text(owner.get("/portal")) and "None yet." in listing
    page, codes = start_survey(owner)
    assert len(set(codes)) == 12
    again = owner.get(f"{page}/codes")
    assert "shown once already" in owner.text(again) and not CODE.search(owner.text(again))
    survey = owner.text(owner.get(page))
    assert "0 of 12" in survey and "How fair is the rota?" in survey and codes[0] not in survey
    assert "How is work going?" in owner.text(owner.get("/portal/staff-surveys"))


def test_a_hundred_codes_fit_on_one_page_of_slips(owner):
    _page, codes = start_survey(owner, NEW_SURVEY | {"codes": "100"})
    assert len(set(codes)) == 100


def test_a_survey_that_could_never_show_anything_or_has_no_question_is_refused_and_nothing_recorded(
    owner, web_services
):
    with nothing_recorded(web_services):
        few = owner.form("/portal/staff-surveys/new", NEW_SURVEY | {"codes": "5"})
        none = owner.form("/portal/staff-surveys/new", {"title": "Empty", "questions-0-kind": "single", "codes": "12"})
        blank = owner.form("/portal/staff-surveys/new", NEW_SURVEY | {"codes": ""})
    assert few.status_code == 400 and "Ask for at least 10 staff codes" in owner.text(few)
    assert 'value="How fair is the rota?"' in owner.text(few)  # what was typed is kept
    assert none.status_code == 400 and "Ask at least one question." in owner.text(none)
    assert blank.status_code == 400 and "Say how many staff codes you need." in owner.text(blank)


def test_an_individual_member_has_no_staff_surveys(app, web_services):
    person = web_services.trust.register_member("Ada Lovelace", Actor("member", "self"), channel="web")
    web = signed_in(app, web_services.trust, person)
    assert "Ask your staff" not in web.text(web.get("/portal"))
    assert web.get("/portal/staff-surveys").status_code == 404
    assert web.get("/portal/staff-surveys/new").status_code == 404


def test_a_member_of_staff_answers_once_with_their_code_and_nothing_else(app, anonymous, web_services, bakery):
    issued = open_survey(web_services.trust, bakery)
    page = anonymous.text(anonymous.get("/survey"))
    assert '<label for="code">Your code</label>' in page and "<script" not in page
    opened = anonymous.form("/survey", {"code": issued.codes[0].lower()})
    assert opened.headers["Cache-Control"] == "no-store"
    assert 'type="radio"' in anonymous.text(opened) and "How fair is the rota?" in anonymous.text(opened)
    sent = anonymous.post("/survey/answers", {"code": issued.codes[0], "answer_rota": "fair", "answer_help": "pay"})
    assert sent.status_code == 302 and sent.headers["Location"] == "/survey/thanks"
    assert "Your answers are recorded" in anonymous.text(anonymous.get("/survey/thanks"))
    assert web_services.views.staff_survey(issued.survey_id)["answered"] == 1
    other = Web(app.test_client())
    with nothing_recorded(web_services):
        twice = other.form("/survey", {"code": issued.codes[0]})
        posted = other.post("/survey/answers", {"code": issued.codes[0], "answer_rota": "unfair"})
    assert twice.status_code == 400 and REFUSED in other.text(twice)
    assert posted.status_code == 400 and REFUSED in other.text(posted)


@pytest.mark.parametrize("code", ["", "nonsense", "ABCD-EFGH-JKMN", "x" * 300])
def test_an_unknown_code_is_refused_with_a_sentence(anonymous, web_services, bakery, code):
    open_survey(web_services.trust, bakery)
    with nothing_recorded(web_services):
        response = anonymous.form("/survey", {"code": code})
        posted = anonymous.post("/survey/answers", {"code": code, "answer_rota": "fair"})
    assert response.status_code == 400 and posted.status_code == 400
    assert 'class="error-summary"' in anonymous.text(response)


def test_a_bad_or_empty_answer_is_refused_and_the_code_still_works(anonymous, web_services, bakery):
    issued = open_survey(web_services.trust, bakery)
    with nothing_recorded(web_services):
        wrong = answer(anonymous, issued.codes[0], {"answer_rota": "brilliant"})
        empty = answer(anonymous, issued.codes[0], {})
    assert wrong.status_code == 400 and "Not a valid choice" in anonymous.text(wrong)
    assert empty.status_code == 400 and "Answer at least one question" in anonymous.text(empty)
    assert answer(anonymous, issued.codes[0], {"answer_rota": "fair"}).status_code == 302


def test_a_closed_survey_takes_no_answers(owner, anonymous, web_services, bakery):
    page, codes = start_survey(owner)
    owner.get(page)
    assert owner.post(f"{page}/close").status_code == 302
    with nothing_recorded(web_services):
        response = anonymous.form("/survey", {"code": codes[0]})
    assert response.status_code == 400 and REFUSED in anonymous.text(response)
    closed = owner.text(owner.get(page))
    assert "Fewer than 10 staff answered, so nothing can be shown" in closed


def test_the_business_sees_only_released_counts_and_reviewed_free_text(app, owner, trustee, web_services):
    page, codes = start_survey(owner)
    for number, code in enumerate(codes):
        staff = Web(app.test_client())
        rota = "fair" if number < 9 else "unfair"
        text = {"answer_q2": f"Note {number} from the ovens"} if number < 3 else {}
        assert answer(staff, code, {"answer_q1": rota, **text}).status_code == 302
    assert "12 of 12" in owner.text(owner.get(page))
    assert owner.post(f"{page}/close").status_code == 302
    result = owner.text(owner.get(page))
    assert "12 staff answered" in result and "withheld" in result
    assert "The trustees are reviewing the free-text answers" in result and "ovens" not in result
    assert not any(code in result for code in codes)
    waiting = trustee.text(trustee.get("/trustee/staff-surveys"))
    assert "How is work going?" in waiting
    survey_id = page.rsplit("/", 1)[1]
    review = trustee.get(f"/trustee/staff-surveys/{survey_id}/free-text")
    assert "Note 0 from the ovens" in trustee.text(review)
    released = trustee.post(
        f"/trustee/staff-surveys/{survey_id}/free-text",
        {"text_q2_0": "Note from the ovens", "leave_q2_1": "y", "text_q2_1": "x", "text_q2_2": "[removed]"},
    )
    assert released.status_code == 302
    shown = owner.text(owner.get(page))
    assert "Note from the ovens" in shown and "[removed]" in shown and "Note 1" not in shown
    assert "Nothing waits for review." in trustee.text(trustee.get("/trustee/staff-surveys"))


def test_another_business_cannot_open_or_close_the_survey(app, owner, web_services):
    page, _codes = start_survey(owner)
    rival = signed_in(app, web_services.trust, business(web_services.trust, "Riverside Cafe"))
    assert rival.get(page).status_code == 404
    with nothing_recorded(web_services):
        assert rival.post(f"{page}/close").status_code == 404
    assert "How is work going?" not in rival.text(rival.get("/portal/staff-surveys"))


def test_a_trustee_cannot_review_free_text_before_the_close_nor_when_too_few_answered(
    owner, trustee, anonymous, web_services
):
    page, codes = start_survey(owner)
    survey_id = page.rsplit("/", 1)[1]
    review = f"/trustee/staff-surveys/{survey_id}/free-text"
    early = trustee.get(review)
    assert "only after the survey closes" in trustee.text(early) and "<textarea" not in trustee.text(early)
    assert answer(anonymous, codes[0], {"answer_q2": "Sign it: Jo from the night shift"}).status_code == 302
    owner.get(page)
    assert owner.post(f"{page}/close").status_code == 302
    with nothing_recorded(web_services):
        refused = trustee.post(review, {"text_q2_0": "Jo from the night shift"})
    assert refused.status_code == 400 and "Fewer staff answered than the minimum cell size" in trustee.text(refused)
    assert "Jo" not in trustee.text(refused) and "Jo" not in owner.text(owner.get(page))
    assert "Nothing waits for review." in trustee.text(trustee.get("/trustee/staff-surveys"))
