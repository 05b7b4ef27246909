"""The real python-telegram-bot Application, built by the bot's factory from a
whole trust, polling the fake Telegram on loopback; and a member's chat to drive it."""

import asyncio
import threading
import time

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from adapters.bot.app import build_bot
from tests.fake_telegram import FakeTelegram, FakeUser, FloodLimits, SentMessage

# PTB 22.2+ warns whenever a RetryAfter is made that retry_after becomes a timedelta in v23.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# What a tap on a stale, forged or no-longer-open button is answered with (a notice; nothing changes).
STALE = "That choice is from an earlier message, or no longer open; nothing was changed."
LAST_GROUP = 1_000  # runs after every handler the bot has: the update is then handled


def handled_updates(fake: FakeTelegram) -> set[int]:
    """The ids of the updates a bot on this fake has finished handling (replies sent, retries done)."""
    return fake.__dict__.setdefault("handled_updates", set())


class RunningBot:
    """The bot's Application polling in its own thread and event loop, as `datatrust bot` runs it.
    With ``fake``, every update it finishes is noted there (a last handler group, after the bot's own)."""

    def __init__(self, application, fake: FakeTelegram | None = None):
        self.application = application
        if fake is not None:
            handled = handled_updates(fake)

            async def finished(update: Update, _context) -> None:
                handled.add(update.update_id)

            application.add_handler(TypeHandler(Update, finished), group=LAST_GROUP)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="bot", daemon=True)

    def start(self) -> "RunningBot":
        self.thread.start()
        self.run(self._start())
        return self

    async def _start(self):
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0, timeout=1)

    async def _stop(self):
        await self.application.updater.stop()
        await self.application.stop()
        await self.application.post_stop(self.application)
        await self.application.shutdown()

    def run(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


class Chat:
    """One person's private chat with the bot, as they would use it."""

    def __init__(self, fake: FakeTelegram, user: FakeUser):
        self.fake, self.user = fake, user

    def _wait_until_handled(self, update: dict, timeout: float = 15.0) -> dict:
        """Wait until the bot has finished with ``update``: every reply, edit and file it causes is sent."""
        handled, deadline = handled_updates(self.fake), time.monotonic() + timeout
        while update["update_id"] not in handled:
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not finish the update; it last said: {self.last_text!r}")
            time.sleep(0.01)
        return update

    def send(self, text: str) -> dict:
        """Type ``text`` (a /command if it starts with '/') and wait for the bot's answer."""
        if text.startswith("/"):
            command, _, args = text.partition(" ")
            return self._wait_until_handled(self.fake.send_command(self.user, command, args))
        return self._wait_until_handled(self.fake.send_text(self.user, text))

    def press(self, label: str, message: SentMessage | None = None) -> dict:
        """Press the button labelled ``label`` on the newest message showing it, and wait for the answer."""
        message = message or self.message_with(label)
        [data] = [d for text, d in message.buttons if text == label]
        return self._wait_until_handled(self.fake.press(self.user, message, data))

    def press_data(self, message: SentMessage, data: str) -> dict:
        """Send a callback with any data at all, as a forged or stale client could."""
        return self._wait_until_handled(self.fake.press(self.user, message, data, check=False))

    def message_with(self, label: str) -> SentMessage:
        for message in reversed(self.fake.messages_to(self.user)):
            if any(text == label for text, _ in message.buttons):
                return message
        raise AssertionError(f"no message shows a button {label!r}; the bot last said: {self.last_text!r}")

    @property
    def messages(self) -> list[SentMessage]:
        return self.fake.messages_to(self.user)

    @property
    def last(self) -> SentMessage:
        return self.messages[-1]

    @property
    def last_text(self) -> str | None:
        messages = self.messages
        return messages[-1].text if messages else None

    @property
    def toasts(self) -> list[str | None]:
        return [a.text for a in self.fake.answered_callbacks if a.user_id == self.user.id]

    def texts_since(self, count: int) -> str:
        return "\n---\n".join(m.text or "" for m in self.messages[count:])


# Conversations here are about what members see, so one chat may burst; the overall
# limit stays Telegram's. (test_flood_limits.py runs a conversation under the real limits.)
CONVERSATION_LIMITS = FloodLimits(chat_capacity=60)


@pytest.fixture
def fake():
    with FakeTelegram(limits=CONVERSATION_LIMITS) as server:
        yield server


# Tests tap faster than people: one chat may send this many at once. A test about floods
# keeps the bot's own limit by parametrizing ``bot_options`` with {"chat_burst": guards.BURST}.
TEST_CHAT_BURST = 200


def start_bot(services, fake, **options) -> RunningBot:
    options = {"chat_burst": TEST_CHAT_BURST, **options}
    application = build_bot(services, fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, **options)
    return RunningBot(application, fake).start()


@pytest.fixture
def bot_options() -> dict:
    return {}


@pytest.fixture
def bot(services, fake, bot_options):
    running = start_bot(services, fake, **bot_options)
    yield running
    running.stop()


@pytest.fixture
def chat_with(fake, bot):
    def open_chat(first_name: str = "Mary", **details) -> Chat:
        return Chat(fake, fake.user(first_name, **details))

    return open_chat


def join(chat: Chat, name: str = "Mary", area: str = "CA1", consent: dict[str, bool] | None = None) -> None:
    """The whole joining conversation: yes to every offered purpose unless ``consent`` says otherwise."""
    chat.send("/start")
    chat.press("I'm new: join")
    chat.press("I agree")
    chat.send(name)
    chat.send(area)
    while any(text == "Skip this question" for text, _ in chat.last.buttons):
        chat.press("Skip this question")
    consent = consent or {}
    while chat.last.buttons and chat.last.buttons[0][1].startswith("offer:"):
        purpose = chat.last.buttons[0][1].split(":")[1]
        chat.press("Yes" if consent.get(purpose, True) else "No")
