"""Voting in the chat: /vote, one tap per vote, a receipt, changing it, and refusals that record nothing."""

import re
from datetime import timedelta

import pytest

from adapters.conversation.texts import day
from tests.bot.conftest import STALE, join
from tests.conftest import TRUSTEE
from tests.support import nothing_recorded

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
RECEIPT = re.compile(  # the receipt, and what it is for
    r"Your vote is recorded\. You can change it until .*\n"
    r"Your receipt: ([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\. Keep it to check that your vote was counted: "
    r"it names your vote, never your choice\."
)


def open_rule_change(trust, clock):
    return trust.open_proposal(
        "Raise the minimum cell size",
        "Insight releases would need at least 15 members in every group.",
        ["For", "Against"],
        clock() + timedelta(days=7),
        TRUSTEE,
        rule_code="min-cell-size",
        rule_value=15,
    )


def member_of(trust, chat):
    return trust.member_for_chat(chat.user.chat_id)


def test_a_member_votes_sees_their_choice_changes_it_and_gets_receipts(chat_with, services, trust, clock):
    mary = chat_with("Mary")
    join(mary)
    proposal = open_rule_change(trust, clock)

    mary.send("/vote")
    ballot = mary.message_with("For")
    assert "Raise the minimum cell size" in ballot.text and "Choose an option" in ballot.text
    assert [data for _label, data in ballot.buttons] == [f"vote:{proposal.hex}:0", f"vote:{proposal.hex}:1"]
    mary.press("For", ballot)
    first = RECEIPT.search(mary.last_text).group(1)
    assert "For" not in mary.last_text  # the receipt names the vote, not the choice

    mary.send("/vote")
    assert "You chose For. You can change it until" in mary.message_with("Against").text
    with nothing_recorded(services):
        mary.press("For")
    assert mary.last_text == "You already chose For; nothing was changed."
    mary.press("Against")
    second = RECEIPT.search(mary.last_text).group(1)
    assert second != first
    assert trust.member_ballot(proposal, member_of(trust, mary)).choice == 1

    clock.advance(days=7)
    result = trust.close_proposal(proposal, TRUSTEE)
    assert result.tally == (0, 1)
    with nothing_recorded(services):
        mary.press("For", ballot)
    assert mary.last_text == "Voting on this proposal has closed; your vote was not recorded."
    mary.send("/vote")
    assert "There is no proposal open for your vote just now" in mary.last_text


def test_forged_buttons_and_outsiders_record_nothing(chat_with, services, trust, clock):
    mary = chat_with("Mary")
    join(mary)
    proposal = open_rule_change(trust, clock)
    mary.send("/vote")
    ballot = mary.message_with("For")
    for data in (
        f"vote:{proposal.hex}:2",
        f"vote:{proposal.hex}:-1",
        f"vote:{'0' * 32}:0",
        f"vote:{member_of(trust, mary).hex}:0",
        "vote:garbage",
        "vote:",
        f"vote:{proposal.hex}:x",
    ):
        with nothing_recorded(services):
            mary.press_data(ballot, data)
        assert mary.toasts[-1] == STALE, data

    owen = chat_with("Owen")
    join(owen, name="Owen")  # joined after the proposal opened: not in its electorate
    owen.send("/vote")
    opened = day(clock())  # the day the proposal opened: the clock has not moved
    assert owen.last_text == (
        f"“Raise the minimum cell size” opened on {opened}. Only those who were members then may vote on it, "
        "and you became a member after it opened, so it is not open for your vote.\n\n"
        "You will be told here when a proposal you can vote on opens."
    )
    with nothing_recorded(services):
        owen.press_data(owen.last, f"vote:{proposal.hex}:0")
    assert "You cannot vote on this proposal" in owen.last_text

    stranger = chat_with("Sam")
    with nothing_recorded(services):
        stranger.send("/vote")
        stranger.press_data(stranger.last, f"vote:{proposal.hex}:0")
    assert "not linked to a member" in stranger.messages[0].text


def test_a_redelivered_vote_is_recorded_once(chat_with, services, trust, clock, fake):
    mary = chat_with("Mary")
    join(mary)
    proposal = open_rule_change(trust, clock)
    mary.send("/vote")
    tap = mary.press("For")
    mary.press("Against")
    with nothing_recorded(services):
        fake.redeliver(tap["update_id"])  # Telegram sends the "For" tap again
        mary.send("/help")
    assert trust.member_ballot(proposal, member_of(trust, mary)).choice == 1
