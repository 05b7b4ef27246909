"""The staff survey's answer page, open to anyone, fed anything (the harness of test_fuzz_forms):
never a failure, a refusal records nothing, and only a live code with answers its questions allow
is ever recorded."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.integration.survey_support import business, open_survey
from tests.web.test_fuzz_forms import FUZZ, MISSING, TEXT, Form, Ref, choices, first, requests, send, several

ROTA, HELP = ["fair", "mixed", "unfair"], ["training", "breaks", "pay"]


@pytest.fixture
def codes(web_services) -> dict:
    """A live code to answer with (state["code"]); ``spend()`` moves on to an unused one."""
    trust = web_services.trust
    member = business(trust)
    state: dict = {"left": []}

    def spend() -> None:
        if not state["left"]:
            state["left"] = list(open_survey(trust, member).codes)
        state["used"] = state.get("code")
        state["code"] = state["left"].pop()

    spend()
    state["spend"] = spend
    return state


def _answers_ok(data: dict, live: str) -> bool:
    """What the page may record: the live code, each answer among its question's options, at least one given."""
    if first(data.get("code")) != live:
        return False
    rota, ticked, text = data.get("answer_rota", MISSING), data.get("answer_help", MISSING), data.get("answer_else")
    # a radio's first value is the one taken; blank or only spaces is a question left unanswered, as on the page
    rota_given = isinstance(first(rota), str) and bool(first(rota).strip())
    if rota_given and first(rota) not in ROTA:
        return False
    ticks = [] if ticked is MISSING else ticked if isinstance(ticked, list) else [ticked]
    if any(tick not in HELP for tick in ticks):
        return False
    text = first(text) if text is not None else MISSING
    text_given = isinstance(text, str) and bool(text.strip())
    if isinstance(text, str) and (len(text) > 1000 or "\x00" in text):
        return False
    return rota_given or bool(ticks) or text_given


ANSWER = Form(
    page="/survey",
    target="/survey/answers",
    valid={"code": Ref("code"), "answer_rota": "fair", "answer_help": ["breaks", "pay"], "answer_else": "More breaks"},
    broken={
        "code": ["", " ", "nonsense", "ABCD-EFGH-JKMN", "x" * 300, "\x00", Ref("used"), MISSING],
        "answer_rota": ["brilliant", "FAIR", "\x00", ["brilliant", "fair"]],
        "answer_help": [["nope"], ["breaks", "nope"]],
        "answer_else": ["x" * 1001, "a\x00b"],
        "(several fields)": [{"answer_rota": "", "answer_help": [], "answer_else": ""}],
    },
    anything={
        "code": several(st.one_of(st.just(Ref("code")), TEXT)),
        "answer_rota": choices(ROTA),
        "answer_help": st.lists(st.one_of(st.sampled_from(HELP), TEXT), max_size=3),
        "answer_else": several(TEXT),
    },
    accepted=(302,),
    accepts=lambda d: True,  # checked in the test, against the code that was live
    # the code is not a secret kept from this page: refused answers show the questions again with it,
    # in a page the browser does not store, so the person can put them right and send them
)


@FUZZ
@given(request=requests(ANSWER))
def test_the_staff_answer_page(request, anonymous, web_services, codes):
    if codes.get("used") is None:
        codes["used"] = codes["code"]  # before any answer, "used" stands for a code of the survey, still live
    live = codes["code"]
    kind, data, response = send(anonymous, web_services, ANSWER, request, codes)
    if response.status_code == 302:
        codes["spend"]()  # first: the code is used up either way, so a replay of a failure fails the same way
        assert _answers_ok(data, live), f"invalid input was recorded: {data!r}"
