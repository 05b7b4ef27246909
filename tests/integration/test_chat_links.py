"""A member's chat is found again after a restart, and its id is never in clear."""

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
from tests.support import nothing_recorded

MEMBER = Actor("member", "mary")
CHAT = 987654321


def test_a_linked_chat_finds_its_member_after_a_restart(trust, services, settings, clock):
    from adapters.bootstrap import bootstrap

    member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    assert trust.member_for_chat(CHAT) is None
    trust.link_chat(member_id, CHAT, MEMBER)
    assert trust.member_for_chat(CHAT) == member_id and trust.member_for_chat(CHAT + 1) is None
    assert trust.member_personal_data(member_id)["telegram_chat"] == CHAT
    restarted = bootstrap(settings, clock=clock)
    try:
        assert restarted.trust.member_for_chat(CHAT) == member_id
    finally:
        restarted.close()


def test_the_chat_id_is_never_stored_in_clear(trust, services):
    from sqlalchemy import text

    member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    trust.link_chat(member_id, CHAT, MEMBER)
    with services.views.reading() as conn:
        rows = conn.execute(text(f"SELECT * FROM {trust.events_table}")).all()
    assert str(CHAT) not in repr(rows)


def test_a_chat_belongs_to_one_member_at_a_time(trust, services):
    mary = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    ann = trust.register_member("Ann", Actor("member", "ann"), channel="bot")
    trust.link_chat(mary, CHAT, MEMBER)
    with nothing_recorded(services), pytest.raises(NotAllowedNow):
        trust.link_chat(ann, CHAT, Actor("member", "ann"))
    with nothing_recorded(services), pytest.raises(NotAllowedNow):
        trust.link_chat(mary, CHAT, MEMBER)


@pytest.mark.parametrize("ending", ["leave", "erase"])
def test_leaving_or_erasure_makes_the_chat_a_stranger_again(trust, ending):
    member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    trust.link_chat(member_id, CHAT, MEMBER)
    if ending == "leave":
        trust.member_leaves(member_id, MEMBER)
    else:
        trust.erase_member(member_id, MEMBER)
    assert trust.member_for_chat(CHAT) is None
    again = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    trust.link_chat(again, CHAT, MEMBER)  # she may join again from the same phone
    assert trust.member_for_chat(CHAT) == again


def test_a_member_moving_to_a_new_chat_leaves_the_old_one_unlinked(trust):
    mary = trust.register_member("Mary Atkinson", MEMBER, channel="bot")
    trust.link_chat(mary, CHAT, MEMBER)
    trust.link_chat(mary, CHAT + 1, MEMBER)
    assert trust.member_for_chat(CHAT) is None and trust.member_for_chat(CHAT + 1) == mary
    trust.erase_member(mary, MEMBER)
    assert trust.member_for_chat(CHAT + 1) is None
