"""A fake Telegram Bot API server for testing the real python-telegram-bot client offline."""

from tests.fake_telegram.flood import FloodLimits
from tests.fake_telegram.records import AnsweredCallback, FakeChat, FakeUser, SentDocument, SentMessage
from tests.fake_telegram.server import DEFAULT_TOKEN, FakeTelegram

__all__ = [
    "DEFAULT_TOKEN",
    "AnsweredCallback",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "FloodLimits",
    "SentDocument",
    "SentMessage",
]
