"""Stopping messages on a channel is not withdrawing consent (issue 15): the carriers' STOP word,
a block, or asking ends what the trust sends there, and nothing else."""

import pytest

from domain.kernel.errors import InvalidRequest
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.support import nothing_recorded


@pytest.fixture
def member(trust, approved_lender):
    member_id = trust.join_by_chat(4242, "Ada", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.grant_consent(member_id, "affordable-credit", ["housing"], Audience(approved_lender), MEMBER_THEMSELF)
    return member_id


def test_a_member_who_stops_messages_keeps_every_consent_and_hears_nothing_more_there(services, clock, member):
    trust, views = services.trust, services.views
    before = views.who_could_see(member, clock())
    assert views.members_with_chat() == [member]
    assert trust.stop_messages(member, "telegram", "blocked", MEMBER_THEMSELF) is True
    assert views.members_with_chat() == []  # announcements pass them by on that channel
    assert views.who_could_see(member, clock()) == before  # and every consent still stands
    assert [c["status"] for c in views.consents(member, clock())] == ["active"]
    [last] = [fact for fact in views.history(member) if fact["what"] == "messages stopped"]
    assert last["text"] == (
        "Stopped messages on Telegram (blocked the trust's messages): nothing is sent there until they "
        "start again. Their consents are unchanged."
    )


def test_stopping_twice_records_it_once_and_starting_again_brings_the_messages_back(services, member):
    trust, views = services.trust, services.views
    assert trust.stop_messages(member, "telegram", "stop-word", MEMBER_THEMSELF) is True
    with nothing_recorded(services):
        assert trust.stop_messages(member, "telegram", "stop-word", MEMBER_THEMSELF) is False
    assert trust.start_messages(member, "telegram", MEMBER_THEMSELF) is True
    assert views.members_with_chat() == [member]
    with nothing_recorded(services):
        assert trust.start_messages(member, "telegram", MEMBER_THEMSELF) is False
    said = [fact["text"] for fact in views.history(member) if fact["what"].startswith("messages")]
    assert said == [
        "Stopped messages on Telegram (replied STOP): nothing is sent there until they start again. "
        "Their consents are unchanged.",
        "Started messages on Telegram again.",
    ]


def test_a_member_who_left_is_not_stopped_again(services, member):
    services.trust.member_leaves(member, TRUSTEE)
    with nothing_recorded(services):
        assert services.trust.stop_messages(member, "sms", "stop-word", MEMBER_THEMSELF) is False


@pytest.mark.parametrize(
    ("network", "how", "refusal"),
    [
        ("fax", "stop-word", "Unknown channel 'fax'; members talk to the trust on: telegram, sms, whatsapp."),
        ("sms", "unsubscribed", "Unknown way of stopping messages 'unsubscribed'"),
    ],
)
def test_an_unknown_channel_or_way_is_refused_in_one_sentence(services, member, network, how, refusal):
    with nothing_recorded(services), pytest.raises(InvalidRequest) as refused:
        services.trust.stop_messages(member, network, how, MEMBER_THEMSELF)
    assert str(refused.value).startswith(refusal)
