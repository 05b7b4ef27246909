"""One member, several channels (issue 15): a Telegram chat, an SMS number and a WhatsApp number,
each sealed in the member's record and found again only by its keyed digest."""

import re

import pytest

from domain.kernel.errors import InvalidRequest, NotAllowedNow
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.support import nothing_recorded, snapshot

NUMBER = "+447700900123"


@pytest.fixture
def member(trust):
    return trust.join_by_chat(4242, "Ada", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)


def test_a_member_is_reached_on_every_channel_they_use_and_found_by_each(services, member):
    trust = services.trust
    trust.link_address(member, "sms", "+44 7700 900123", MEMBER_THEMSELF)  # typed with spaces
    trust.link_address(member, "whatsapp", NUMBER, MEMBER_THEMSELF)
    assert trust.member_for_address("sms", NUMBER) == member
    assert trust.member_for_address("whatsapp", NUMBER) == member
    assert trust.member_for_chat(4242) == member  # Telegram still theirs
    assert (trust.address_of(member, "sms"), trust.chat_of(member)) == (NUMBER, 4242)
    assert trust.member_for_address("sms", "+447700900999") is None
    # the number is never in a read model or the log in the clear
    _position, tables = snapshot(services)
    assert "7700900123" not in repr(tables)
    with services.trust.application.reading() as session:
        logged = session.connection().exec_driver_sql("SELECT state FROM trust_events").scalars().all()
    assert not any(b"7700900123" in bytes(state) for state in logged)


def test_a_new_number_on_a_channel_replaces_the_old_one_there_only(services, member):
    trust = services.trust
    trust.link_address(member, "sms", NUMBER, MEMBER_THEMSELF)
    trust.link_address(member, "sms", "+447700900456", MEMBER_THEMSELF)
    assert trust.member_for_address("sms", NUMBER) is None  # a stranger again
    assert trust.member_for_address("sms", "+447700900456") == member
    assert trust.member_for_chat(4242) == member


def test_a_number_another_member_holds_is_not_taken_over(services, member):
    trust = services.trust
    trust.link_address(member, "sms", NUMBER, MEMBER_THEMSELF)
    other = trust.join_by_chat(5151, "Bea", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="already linked to a member"):
        trust.link_address(other, "sms", NUMBER, MEMBER_THEMSELF)
    assert trust.member_for_address("sms", NUMBER) == member


def test_leaving_unlinks_every_channel(services, member):
    trust = services.trust
    trust.link_address(member, "sms", NUMBER, MEMBER_THEMSELF)
    trust.member_leaves(member, TRUSTEE)
    assert trust.member_for_address("sms", NUMBER) is None and trust.member_for_chat(4242) is None


@pytest.mark.parametrize(
    ("network", "address", "refusal"),
    [
        ("sms", "07700 900123", "international form, like +447700900123"),
        ("sms", "+44 7700 900123 ext 4", "international form"),
        ("sms", "+44 (0)7700 900123", "has no (0)"),
        ("whatsapp", "", "international form"),
        ("telegram", "4242", "known by its number"),
        ("pager", NUMBER, "Unknown channel 'pager'"),
    ],
)
def test_an_address_that_cannot_be_right_is_refused_and_nothing_recorded(services, member, network, address, refusal):
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=re.escape(refusal)):
        services.trust.link_address(member, network, address, MEMBER_THEMSELF)
