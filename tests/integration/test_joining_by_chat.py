"""Joining in a chat, and confirming there with a reference code: one command each."""

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotInCatalogue
from domain.membership.chat import WrongReferenceCode
from domain.store.credentials import TooManyAttempts
from tests.conftest import CASEWORKER
from tests.support import nothing_recorded

VIA_BOT = Actor("member", "via bot")
CHAT, OTHER_CHAT = 555001, 555002


def test_joining_registers_confirms_records_the_terms_and_links_the_chat(trust, views):
    member_id = trust.join_by_chat(CHAT, " Mary  Dixon ", {"area": "ca1"}, "1", VIA_BOT)

    card = views.member_card(member_id)
    assert (card["status"], card["channel"], card["profile"]) == ("active", "bot", {"area": "CA1"})
    assert trust.member_for_chat(CHAT) == member_id
    personal = trust.member_personal_data(member_id)
    assert (personal["name"], personal["telegram_chat"]) == ("Mary Dixon", CHAT)
    whats = [h["what"] for h in views.history(member_id)]
    assert whats == ["registered", "terms accepted", "contact linked"]


@pytest.mark.parametrize(
    ("name", "profile", "terms", "error"),
    [
        ("", {}, "1", InvalidRequest),
        ("M" * 201, {}, "1", InvalidRequest),
        ("Mary\ud800", {}, "1", InvalidRequest),
        ("Mary", {"area": "nowhere"}, "1", InvalidRequest),
        ("Mary", {"shoe-size": "9"}, "1", NotInCatalogue),
        ("Mary", {}, "99", NotInCatalogue),
    ],
)
def test_bad_joining_details_are_refused_and_record_nothing(trust, services, name, profile, terms, error):
    with nothing_recorded(services), pytest.raises(error):
        trust.join_by_chat(CHAT, name, profile, terms, VIA_BOT)
    assert trust.member_for_chat(CHAT) is None


def test_a_chat_that_belongs_to_a_member_cannot_join_again(trust, services):
    trust.join_by_chat(CHAT, "Mary", {}, "1", VIA_BOT)
    with nothing_recorded(services), pytest.raises(NotAllowedNow):
        trust.join_by_chat(CHAT, "Mary again", {}, "1", VIA_BOT)


def test_a_leaver_can_join_again_from_the_same_chat(trust):
    first = trust.join_by_chat(CHAT, "Mary", {}, "1", VIA_BOT)
    trust.member_leaves(first, VIA_BOT)
    second = trust.join_by_chat(CHAT, "Mary", {}, "1", VIA_BOT)
    assert second != first and trust.member_for_chat(CHAT) == second


def paper_member(trust):
    return trust.register_member("Iona Bell", CASEWORKER, channel="paper", evidence_ref="FORM-7")


def test_confirming_with_the_code_confirms_records_terms_and_links_the_chat(trust, views):
    member_id = paper_member(trust)
    code = views.member_card(member_id)["reference_code"]

    assert trust.confirm_by_code(CHAT, code.lower(), "1", VIA_BOT) == member_id

    assert views.member_card(member_id)["status"] == "active"
    assert trust.member_for_chat(CHAT) == member_id
    history = [h["text"] for h in views.history(member_id)]
    assert "Confirmed their membership (reference code in the bot)." in history


def test_a_used_or_unknown_code_is_refused_alike_and_records_nothing(trust, services, views):
    member_id = paper_member(trust)
    code = views.member_card(member_id)["reference_code"]
    trust.confirm_by_code(CHAT, code, "1", VIA_BOT)
    for attempt in (code, "ABCD-EFGH", "not a code at all"):
        with nothing_recorded(services), pytest.raises(WrongReferenceCode):
            trust.confirm_by_code(OTHER_CHAT, attempt, "1", VIA_BOT)
    assert trust.member_for_chat(OTHER_CHAT) is None


def test_five_wrong_codes_from_one_chat_make_it_wait_but_not_other_chats(trust, services, views, clock):
    member_id = paper_member(trust)
    code = views.member_card(member_id)["reference_code"]
    for _ in range(5):
        with pytest.raises(WrongReferenceCode):
            trust.confirm_by_code(CHAT, "ABCD-EFGH", "1", VIA_BOT)
    with nothing_recorded(services), pytest.raises(TooManyAttempts):
        trust.confirm_by_code(CHAT, code, "1", VIA_BOT)
    assert trust.confirm_by_code(OTHER_CHAT, code, "1", VIA_BOT) == member_id
    clock.advance(minutes=16)
    with pytest.raises(WrongReferenceCode):  # the wait is over; the code is used now
        trust.confirm_by_code(CHAT, code, "1", VIA_BOT)
