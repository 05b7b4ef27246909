"""Under Telegram's own per-chat limit (about one message a second, a small burst),
replies the server refuses with 429 are sent again after its retry_after: none lost, none twice."""

import time

import pytest

from adapters.bootstrap import bootstrap
from adapters.bot.app import build_bot
from adapters.settings import Settings
from tests.bot.conftest import RunningBot
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_a_quick_member_gets_every_reply_once_despite_429s(sqlite_url, tmp_path, clock):
    services = bootstrap(
        Settings.from_environment({"DATATRUST_DATABASE_URL": sqlite_url, "DATATRUST_VAR": str(tmp_path)}), clock
    )
    with FakeTelegram() as fake:  # Telegram-like limits: 3 at once to a chat, then 1 a second
        bot = RunningBot(build_bot(services, fake.token, base_url=fake.base_url)).start()
        try:
            mary = fake.user("Mary")
            for _ in range(6):
                fake.send_command(mary, "/help")
            deadline = time.monotonic() + 30
            while len(fake.messages_to(mary)) < 6 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1.5)  # anything more would have come by now
        finally:
            bot.stop()
            services.close()
        replies = [m.text for m in fake.messages_to(mary)]
        assert fake.given_429_by_chat[mary.chat_id] >= 1  # the limit really was hit
    assert len(replies) == 6 and all(text.startswith("Here is what I can do") for text in replies)
