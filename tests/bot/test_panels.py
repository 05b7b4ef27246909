"""Community panels in the chat: /panel, one question at a time, a summary, one tap
that records the answers; leaving a panel; stale and forged buttons record nothing."""

from datetime import timedelta

import pytest

from domain.insight.disclosure.release import Question
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.bot.conftest import STALE
from tests.conftest import OPERATOR, TRUSTEE
from tests.integration.insight_support import council, submit
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
MEMBER = Actor("member", "via bot")
QUESTIONS = (
    Question("buses", "single", "How good are the buses where you live?", ("good", "fair", "poor")),
    Question("needs", "multiple", "What would help most?", ("more-buses", "cheaper-fares", "later-buses")),
    Question("trust", "scale", "How much do you trust the council?", ("1", "2", "3", "4", "5")),
    Question("ideas", "text", "Anything else?", ()),
)
WHOLE_POOL = PanelCriteria(size=12, quotas=(Quota("area", "CA1", 6, 6), Quota("area", "CA2", 6, 6)), breakdown=())


@pytest.fixture
def panel(services, fake, chat_with, clock):
    """Twelve members who said yes to community panels for councils, all drawn onto one panel.
    Returns (request id, their chats)."""
    trust = services.trust
    organisation = council(trust, clock)
    chats = []
    for number in range(12):
        chat = chat_with(f"Member{number}")
        member = trust.join_by_chat(
            chat.user.chat_id,
            f"Member {number}",
            {"area": "CA1" if number % 2 else "CA2"},
            trust.catalogue.latest_terms,
            MEMBER,
        )
        trust.grant_consent(
            member, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), OPERATOR
        )
        chats.append(chat)
    request = submit(trust, clock, organisation, questions=QUESTIONS, criteria=WHOLE_POOL)
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    trust.draw_panel(request, TRUSTEE)
    return request, chats


def member_of(trust, chat):
    return trust.member_for_chat(chat.user.chat_id)


def test_a_member_answers_every_kind_of_question_and_can_change_the_answers(services, panel):
    trust, (request, chats) = services.trust, panel
    mary = chats[0]

    mary.send("/panel")
    assert "Community panel: Buses in the Carlisle area" in mary.last_text
    assert "4 questions, open until" in mary.last_text
    assert "groups of at least 10 members" in mary.last_text
    mary.press("Answer now")
    assert mary.last_text.startswith("Question 1 of 4") and "How good are the buses" in mary.last_text
    mary.press("fair")
    assert "Question 2 of 4" in mary.last_text
    mary.press("more-buses")
    mary.press("later-buses")
    assert [label for label, _ in mary.last.buttons][:3] == ["✅ more-buses", "cheaper-fares", "✅ later-buses"]
    mary.press("Done")
    assert "Question 3 of 4" in mary.last_text
    mary.press("4")
    assert "Type your answer" in mary.last_text
    mary.send("Later buses on Sundays, please.")
    assert "Your answers:" in mary.last_text and "more-buses, later-buses" in mary.last_text
    assert trust.my_panel_answers(request, member_of(trust, mary)) is None  # nothing recorded before the tap
    mary.press("Send my answers")
    assert "your answers are recorded" in mary.last_text
    assert trust.my_panel_answers(request, member_of(trust, mary)) == {
        "buses": "fair",
        "needs": ["more-buses", "later-buses"],
        "trust": "4",
        "ideas": "Later buses on Sundays, please.",
    }

    mary.send("/panel")
    assert "You have answered" in mary.last_text
    mary.press("Change my answers")
    mary.press("poor")
    mary.press("Skip this question")
    mary.press("Skip this question")
    mary.press("Skip this question")
    assert "(skipped)" in mary.last_text
    mary.press("Send my answers")
    assert trust.my_panel_answers(request, member_of(trust, mary)) == {"buses": "poor"}
    assert services.views.insight_request(request)["counts"]["answered"] == 1


def test_stale_forged_and_mistyped_input_records_nothing(services, panel):
    trust, (request, chats) = services.trust, panel
    owen = chats[1]
    owen.send("/panel")
    owen.press("Answer now")
    first = owen.last
    owen.press("good")
    with nothing_recorded(services):
        owen.press_data(first, "panel:a:0:1")  # the first question's button again
        owen.press_data(owen.last, "panel:t:1:9")  # no such option
        owen.press_data(owen.last, "panel:a:1:0")  # a single-choice tap on a multiple-choice question
        owen.press_data(owen.last, "panel:send")  # not finished yet
        owen.press_data(owen.last, "panel:go:" + "0" * 32)  # a panel that does not exist
        owen.press_data(owen.last, "panel:left:" + "f" * 32)
        owen.send("Cheaper fares")  # typed where buttons are asked for
    assert "with the buttons above" in owen.last_text
    assert sum(1 for toast in owen.toasts if toast and "earlier message" in toast) >= 5
    owen.press("cheaper-fares")
    owen.press("Done")
    owen.press("3")
    with nothing_recorded(services):
        owen.send("x" * 1001)
    assert "longer than 1,000 characters" in owen.last_text
    owen.send("Fine")
    owen.press("Send my answers")
    assert trust.my_panel_answers(request, member_of(trust, owen))["ideas"] == "Fine"


def test_a_member_leaves_a_panel_and_is_no_longer_asked(services, panel, clock):
    trust, views, (request, chats) = services.trust, services.views, panel
    iona = chats[2]
    iona.send("/panel")
    iona.press("Leave this panel")
    assert "Your answers for it will not be counted, and another member may be invited" in iona.last_text
    iona.press("Yes, leave this panel")
    assert "You have left this panel" in iona.last_text
    states = {row["member_id"]: row["state"] for row in views.panel_roster(request)}
    assert states[member_of(trust, iona)] == "declined"
    iona.send("/panel")
    assert "not on an open community panel" in iona.last_text


def test_after_the_close_an_unsent_answer_is_refused_with_the_reason(services, panel, clock):
    _request, chats = panel
    ann = chats[3]
    [invitation] = services.trust.panel_invitations(member_of(services.trust, ann))
    clock.now = invitation.closes_at - timedelta(hours=1)  # she answers in the panel's last hour
    ann.send("/panel")
    ann.press("Answer now")
    for _question in range(4):
        ann.press("Skip this question")
    assert "nothing to send" in ann.last_text
    assert [label for label, _ in ann.last.buttons] == ["Start again"]
    ann.press("Start again")
    ann.press("good")
    for _question in range(3):
        ann.press("Skip this question")
    clock.now = invitation.closes_at + timedelta(minutes=1)
    with nothing_recorded(services):
        ann.press("Send my answers")
    assert "closed at" in ann.last_text
    ann.send("/panel")
    assert "not on an open community panel" in ann.last_text


def test_answers_left_unsent_for_days_are_not_sent_after_the_close(services, panel, clock):
    """A conversation's draft is kept for a day (adapters/conversation): a summary left for two
    weeks, tapped after the close, is a button no longer open, and nothing is recorded."""
    _request, chats = panel
    bea = chats[4]
    bea.send("/panel")
    bea.press("Answer now")
    bea.press("good")
    for _question in range(3):
        bea.press("Skip this question")
    summary = bea.last
    clock.advance(days=15)
    with nothing_recorded(services):
        bea.press("Send my answers", summary)
    assert bea.toasts[-1] == STALE
    assert bea.last is summary or bea.last.message_id == summary.message_id  # no message changed or added


def test_someone_who_is_not_a_member_is_told_so(chat_with):
    stranger = chat_with("Stranger")
    stranger.send("/panel")
    assert "not a member" in stranger.last_text.lower() or "/start" in stranger.last_text
