"""A request handled twice changes the history once."""

import pytest

from domain.kernel.actors import Actor
from domain.store.once import AlreadyHandled
from tests.support import nothing_recorded

MEMBER = Actor("member", "mary")


def test_the_same_request_twice_records_once(trust, services):
    with trust.once("telegram:update:1001"):
        member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    with nothing_recorded(services), pytest.raises(AlreadyHandled), trust.once("telegram:update:1001"):
        trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    assert [m["member_id"] for m in services.views.members()] == [member_id]


def test_a_refused_request_can_be_tried_again(trust, services):
    with pytest.raises(Exception, match="name"), trust.once("telegram:update:7"):
        trust.register_member("", MEMBER, channel="bot")
    with trust.once("telegram:update:7"):
        trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    assert len(services.views.members()) == 1


def test_different_requests_and_unkeyed_commands_are_unaffected(trust, services):
    with trust.once("telegram:update:1"):
        trust.register_member("Ann", MEMBER, channel="bot")
    with trust.once("telegram:update:2"):
        trust.register_member("Bob", MEMBER, channel="bot")
    trust.register_member("Cat", MEMBER, channel="bot")
    trust.register_member("Cat", MEMBER, channel="bot")
    assert len(services.views.members()) == 4
