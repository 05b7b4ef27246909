"""Checks every update passes before any handler sees it: an update seen already
in this process is dropped (Telegram may deliver one twice), and a chat sending a
flood of messages is told once to slow down, then ignored until it does.
(Redelivery after a restart is caught by the conversation, which records each update's
key with what it changed: see adapters/conversation/talk.py.)"""

import time
from collections import OrderedDict
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from adapters.bot.talk import Context, say, texts
from adapters.conversation import replies

BURST = 20  # messages one chat may send at once (joining quickly is about a dozen taps)
PER_SECOND = 1.0  # and then, on average
REMEMBERED_UPDATES = 10_000
REMEMBERED_CHATS = 10_000


@dataclass
class Bucket:
    tokens: float
    at: float
    warned: bool = False


class Guard:
    def __init__(self, burst: int = BURST, clock=time.monotonic):  # type: ignore[no-untyped-def]
        self.burst, self.clock = burst, clock
        self.seen: OrderedDict[int, None] = OrderedDict()
        self.buckets: OrderedDict[int, Bucket] = OrderedDict()

    def is_repeat(self, update_id: int) -> bool:
        if update_id in self.seen:
            return True
        self.seen[update_id] = None
        if len(self.seen) > REMEMBERED_UPDATES:
            self.seen.popitem(last=False)
        return False

    def admit(self, chat_id: int) -> tuple[bool, bool]:
        """(whether this chat's message is read, whether to tell it to slow down now)."""
        now = self.clock()
        bucket = self.buckets.pop(chat_id, None) or Bucket(tokens=self.burst, at=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * PER_SECOND)
        bucket.at = now
        self.buckets[chat_id] = bucket
        if len(self.buckets) > REMEMBERED_CHATS:
            self.buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        warn, bucket.warned = not bucket.warned, True
        return False, warn

    async def __call__(self, update: Update, context: Context) -> None:
        if self.is_repeat(update.update_id):
            raise ApplicationHandlerStop
        chat = update.effective_chat
        if chat is None or chat.type != "private":
            raise ApplicationHandlerStop  # the bot talks to members one to one
        admitted, warn = self.admit(chat.id)
        if warn:
            await say(update, replies.slow_down(texts(update, context)))
        if not admitted:
            raise ApplicationHandlerStop


def guard_handler(burst: int = BURST) -> TypeHandler:
    return TypeHandler(Update, Guard(burst))
