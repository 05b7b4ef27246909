"""How the trust reaches a member on several channels (issue 15): their preferred channel (their
choice, recorded and shown in their history, only where they have an address), else the one they
were linked on most recently; stopped or unlinked channels are passed over. Which channel each
announcement went by, and what the provider later reported, are recorded once."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownMember
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.support import nothing_recorded

MARY = "+447700900123"


@pytest.fixture
def member(trust):
    """Joined on Telegram, then gave their number for SMS, then for WhatsApp."""
    member_id = trust.join_by_chat(4242, "Ada", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.link_address(member_id, "sms", MARY, MEMBER_THEMSELF)
    trust.link_address(member_id, "whatsapp", MARY, MEMBER_THEMSELF)
    return member_id


def networks(trust, member_id):
    return [network for network, _address in trust.channels_for(member_id)]


def test_without_a_choice_the_channel_linked_most_recently_comes_first(trust, member):
    assert trust.channels_for(member) == [("whatsapp", MARY), ("sms", MARY), ("telegram", 4242)]


def test_many_members_read_together_are_reached_as_each_alone(trust, member, clock):
    """The outbox routes thousands at once: read together, every member's channels are what they
    are alone, whoever left, was erased, stopped a channel or lost a number to someone else."""
    trust.stop_messages(member, "whatsapp", "stop-word", MEMBER_THEMSELF)
    trust.unlink_chat(4242, TRUSTEE)  # Ada's Telegram chat is now someone else's
    bea = trust.join_by_chat(4242, "Bea", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    cal = trust.join_by_chat(4343, "Cal", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    dee = trust.join_by_chat(4444, "Dee", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.member_leaves(cal, TRUSTEE)
    trust.erase_member(dee, TRUSTEE)
    everyone = [member, bea, cal, dee]
    together = trust.channels_of(everyone + [bea])  # (a member twice is read once)
    assert together == {member: [("sms", MARY)], bea: [("telegram", 4242)], cal: [], dee: []}
    assert together == {member_id: trust.channels_for(member_id) for member_id in everyone}
    trust.heard_from(member, "sms")
    assert trust.last_heard_of(everyone) == {(member, "sms"): clock().astimezone(UTC).replace(tzinfo=None)}
    with pytest.raises(UnknownMember):
        trust.channels_of([bea, uuid4()])


def test_a_preferred_channel_comes_first_and_is_in_the_members_history(services, member):
    trust, views = services.trust, services.views
    assert trust.prefer_channel(member, "sms", MEMBER_THEMSELF) is True
    assert networks(trust, member) == ["sms", "whatsapp", "telegram"]
    with nothing_recorded(services):
        assert trust.prefer_channel(member, "sms", MEMBER_THEMSELF) is False
    [fact] = [fact for fact in views.history(member) if fact["what"] == "channel preferred"]
    assert fact["text"] == "Chose SMS for the trust's messages."


def test_a_stopped_or_unlinked_channel_is_passed_over_and_the_next_one_used(trust, member):
    trust.prefer_channel(member, "whatsapp", MEMBER_THEMSELF)
    trust.stop_messages(member, "whatsapp", "stop-word", MEMBER_THEMSELF)
    assert networks(trust, member) == ["sms", "telegram"]
    trust.unlink_chat(4242, TRUSTEE)
    assert networks(trust, member) == ["sms"]
    trust.start_messages(member, "whatsapp", MEMBER_THEMSELF)
    assert networks(trust, member) == ["whatsapp", "sms"]


def test_a_member_who_left_is_reached_nowhere(trust, member):
    trust.member_leaves(member, TRUSTEE)
    assert trust.channels_for(member) == []


def test_preferring_a_channel_without_an_address_there_is_refused_and_records_nothing(services, trust):
    member_id = trust.join_by_chat(77, "Bea", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow) as refusal:
        trust.prefer_channel(member_id, "whatsapp", MEMBER_THEMSELF)
    assert str(refusal.value) == (
        "This member has no WhatsApp address linked, so it cannot be their preferred channel; link one first."
    )
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="Unknown channel 'fax'"):
        trust.prefer_channel(member_id, "fax", MEMBER_THEMSELF)


def test_when_a_member_last_wrote_only_moves_forward(trust, member, clock):
    assert trust.last_heard_from(member, "whatsapp") is None
    trust.heard_from(member, "whatsapp")
    first = trust.last_heard_from(member, "whatsapp")
    assert first == clock().astimezone(UTC).replace(tzinfo=None)
    trust.heard_from(member, "whatsapp", at=clock() - timedelta(days=3))  # a redelivery of an old message
    assert trust.last_heard_from(member, "whatsapp") == first
    trust.heard_from(member, "whatsapp", at=clock() + timedelta(days=3))  # never in the future
    assert trust.last_heard_from(member, "whatsapp") == first
    with pytest.raises(InvalidRequest, match="time zone"):
        trust.heard_from(member, "whatsapp", at=datetime(2026, 1, 1))  # noqa: DTZ001 - the bad input


def test_a_delivery_records_its_channel_and_the_providers_report_once(trust, member):
    announcement = trust.announce("The meeting is on Friday.", TRUSTEE)
    assert trust.claim_delivery(announcement, member, "sms") is True
    assert trust.claim_delivery(announcement, member, "whatsapp") is False  # one claim, whatever the channel
    trust.record_delivery(announcement, member, "sent", "SM" + "a" * 32)
    assert trust.delivery_channels_of(announcement)[member]["network"] == "sms"
    assert trust.record_delivery_report("sms", "SM" + "b" * 32, "delivered") is None  # not an announcement's
    assert trust.record_delivery_report("sms", "SM" + "a" * 32, "sent").recorded is False  # on the way: not kept
    first = trust.record_delivery_report("sms", "SM" + "a" * 32, "undelivered", "30003")
    again = trust.record_delivery_report("sms", "SM" + "a" * 32, "delivered")
    assert (first.member_id, first.recorded, again.recorded) == (member, True, False)
    assert trust.delivery_channels_of(announcement)[member]["reported"] == "undelivered"
    assert trust.delivery_counts(announcement)["undeliverable"] == 1
    with pytest.raises(InvalidRequest, match="Unknown channel 'fax'"):
        trust.claim_delivery(announcement, member, "fax")


def test_claims_and_answers_made_together_are_each_as_if_made_alone(trust, member):
    """The outbox commits its channels' claims and answers in groups: in a group, a member claimed
    already (or twice) is refused and the others stand; a bad channel refuses the group, claiming nobody."""
    other = trust.join_by_chat(77, "Bea", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    third = trust.join_by_chat(78, "Cal", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    announcement = trust.announce("The meeting is on Friday.", TRUSTEE)
    assert trust.claim_delivery(announcement, member, "sms") is True
    with pytest.raises(InvalidRequest, match="Unknown channel 'fax'"):
        trust.claim_deliveries([(announcement, other, "telegram"), (announcement, third, "fax")])
    assert trust.delivered_to(announcement) == {member}
    claims = [(announcement, member, "whatsapp"), (announcement, other, "telegram"), (announcement, other, "sms")]
    assert trust.claim_deliveries(claims + [(announcement, third, None)]) == [False, True, False, True]
    assert trust.delivery_channels_of(announcement)[member]["network"] == "sms"  # the first claim's, unchanged
    assert trust.delivery_channels_of(announcement)[other]["network"] == "telegram"
    trust.record_deliveries(
        [(announcement, member, "sent", "SM" + "c" * 32), (announcement, other, "undeliverable", None)]
    )
    assert trust.delivery_counts(announcement) == {"sending": 1, "sent": 1, "undeliverable": 1}
    assert trust.record_delivery_report("sms", "SM" + "c" * 32, "delivered").member_id == member
    with pytest.raises(InvalidRequest, match="A delivery ends sent or undeliverable"):
        trust.record_deliveries([(announcement, third, "sent", None), (announcement, third, "maybe", None)])
    assert trust.delivery_counts(announcement) == {"sending": 1, "sent": 1, "undeliverable": 1}


def test_an_erased_member_is_reached_nowhere_and_an_unknown_one_is_refused(trust, member):
    trust.erase_member(member, TRUSTEE)
    assert trust.channels_for(member) == []
    with pytest.raises(UnknownMember):
        trust.channels_for(uuid4())


def test_a_caseworker_records_a_preferred_channel_from_the_command_line(cli_run, services, member):
    result = cli_run("--actor", "caseworker:cal", "member", "prefer-channel", str(member), "sms")
    assert result.exit_code == 0, result.output
    assert f"Member {member} now hears from the trust first on sms." in result.output
    assert networks(services.trust, member)[0] == "sms"
    stranger = services.trust.register_member("Bea", MEMBER_THEMSELF)
    with nothing_recorded(services):
        refused = cli_run("--actor", "caseworker:cal", "member", "prefer-channel", str(stranger), "whatsapp")
    assert refused.exit_code != 0
    assert "has no WhatsApp address linked" in refused.output
