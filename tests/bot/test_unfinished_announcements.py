"""When the bot starts, it delivers what an announcement run left unfinished, one message each."""

import time

import pytest

from domain.kernel.actors import Actor
from tests.bot.conftest import start_bot
from tests.conftest import TRUSTEE

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
VIA_BOT = Actor("member", "via bot")


def wait_until_delivered(trust) -> None:
    """Until no announcement is left unfinished, then a moment for the last answers."""
    deadline = time.monotonic() + 60
    while trust.unfinished_announcements():
        assert time.monotonic() < deadline, f"still unfinished after 60 s: {trust.unfinished_announcements()}"
        time.sleep(0.05)
    time.sleep(0.5)


def test_the_bot_delivers_an_unfinished_announcement_as_it_starts(services, fake):
    trust = services.trust
    members = [fake.user(name) for name in ("Mary", "Owen", "Iona")]
    for user in members:
        trust.join_by_chat(user.chat_id, user.first_name, {}, "1", VIA_BOT)
    announcement = trust.announce("The members' meeting is on Saturday at 2pm in the library.", TRUSTEE)
    assert trust.unfinished_announcements() == [announcement]

    bot = start_bot(services, fake)
    try:
        wait_until_delivered(trust)
    finally:
        bot.stop()

    for user in members:
        [message] = fake.messages_to(user)
        assert message.text == "From the trust:\n\nThe members' meeting is on Saturday at 2pm in the library."
    assert trust.delivery_counts(announcement)["sent"] == 3
    assert fake.given_429 == 0

    again = start_bot(services, fake)  # a second start sends nobody a second copy
    time.sleep(0.5)
    again.stop()
    assert all(len(fake.messages_to(user)) == 1 for user in members)


def test_an_announcement_recorded_while_the_bot_runs_is_delivered_without_a_restart(services, fake):
    trust = services.trust
    members = [fake.user(name) for name in ("Mary", "Owen")]
    for user in members:
        trust.join_by_chat(user.chat_id, user.first_name, {}, "1", VIA_BOT)

    bot = start_bot(services, fake, check_announcements_every=0.2)
    try:
        time.sleep(0.5)
        announcement = trust.announce("The vote on the minimum group size has closed.", TRUSTEE)
        wait_until_delivered(trust)
    finally:
        bot.stop()

    for user in members:
        [message] = fake.messages_to(user)
        assert message.text == "From the trust:\n\nThe vote on the minimum group size has closed."
    assert trust.delivery_counts(announcement)["sent"] == 2
