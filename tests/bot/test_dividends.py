"""A member sees their dividend from the co-op's surplus in /mydata, in plain words, and can give
it to one of the year's community projects instead, with two presses; the gift is recorded."""

from datetime import timedelta

import pytest

from tests.bot.conftest import STALE, join
from tests.conftest import TRUSTEE
from tests.surplus_support import (
    AFTER_2025,
    IN_2025,
    PROJECTS,
    clock_in_2025,
    income_recorded,
    rule_vote,
    split_ballot,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def clock():
    return clock_in_2025()


def test_my_data_shows_the_dividend_and_the_member_gives_it_to_a_community_project(chat_with, trust, views, clock):
    clock.now = IN_2025
    mary = chat_with("Mary")
    join(mary, "Mary Dixon", consent={"affordable-credit": False})
    [member] = [m["member_id"] for m in views.members()]
    income_recorded(trust, clock, 100_000)
    clock.now = AFTER_2025
    trust.record_surplus(2025, 10_001, "ACC-2025", TRUSTEE)
    uses = split_ballot(trust, clock, [member], [[50, 25, 25]])
    trust.decide_surplus_uses(2025, uses, 0, PROJECTS, TRUSTEE)
    trust.share_dividends(2025, 100, 0, rule_vote(trust, clock, [member]), TRUSTEE)

    mary.send("/mydata")
    assert "Your dividend from the 2025 surplus: £50.01. It will be paid to you." in mary.last_text
    mary.press("Give my 2025 dividend to a community project")
    assert "Which community project should have your 2025 dividend of £50.01?" in mary.last_text
    offer = mary.last
    mary.press("Penrith skate park")
    assert mary.last_text == "Thank you: your 2025 dividend of £50.01 goes to Penrith skate park."
    [mine] = views.dividends_of(member)
    assert mine["given_to"] == "Penrith skate park"

    mary.press_data(offer, "dividend:2025:0")  # a second gift from the old offer changes nothing
    assert STALE in mary.toasts
    assert views.dividends_of(member)[0]["given_to"] == "Penrith skate park"
    mary.send("/mydata")
    assert "Your dividend from the 2025 surplus: £50.01. You gave it to Penrith skate park." in mary.last_text
    assert not any(text.startswith("Give my") for text, _ in mary.last.buttons)


def test_a_member_splits_the_surplus_in_the_chat_by_typing_a_share_for_each_use(chat_with, trust, views, clock):
    clock.now = IN_2025
    mary = chat_with("Mary")
    join(mary, "Mary Dixon", consent={"affordable-credit": False})
    [member] = [m["member_id"] for m in views.members()]
    clock.now = AFTER_2025
    proposal = trust.open_proposal(
        "How should we use the 2025 surplus?",
        "Share 100% between the uses.",
        ["Dividends", "Community projects", "Reinvest"],
        clock() + timedelta(days=7),
        TRUSTEE,
        split=True,
    )

    mary.send("/vote")
    assert "1. Dividends\n2. Community projects\n3. Reinvest" in mary.last_text
    assert "reply with a whole percentage for each, in this order, adding up to 100 (for example: 34 33 33)" in (
        mary.last_text
    )
    mary.send("50 30 10")
    assert "Give a whole percentage for each of the 3 options, in order, adding up to 100" in mary.last_text
    assert views.proposal(proposal)["voters"] == 0 and trust.member_ballot(proposal, member).shares is None
    mary.send("50 30 20")
    assert "Your vote is recorded." in mary.last_text
    assert trust.member_ballot(proposal, member).shares == (50, 30, 20)
    mary.send("/vote")
    assert "Your split: Dividends 50%, Community projects 30%, Reinvest 20%." in mary.last_text
