"""Turns for outgoing messages, so the trust stays inside Telegram's flood limits.

Telegram allows about 30 messages a second overall and about one a second to one
chat, and answers 429 with a retry-after when a bot goes faster. Its overall
limit counts any one-second window, so a burst at the start of a second (as a
leaky bucket allows) already exceeds it. Turns are therefore handed out evenly
spaced, a little below the limit, and after a 429 nobody goes until the
retry-after has passed; then turns are again evenly spaced, never a burst."""

import asyncio
import warnings
from datetime import timedelta

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

MESSAGES_PER_SECOND = 28  # overall, evenly spaced: below Telegram's ~30/s with room for network jitter
SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT = 1.0  # Telegram: about one message a second to one chat
_FORGET_CHATS_AFTER = 10_000  # how many chats' last turns are kept before the past ones are dropped


class Pacing:
    """Hands out turns: at most ``per_second`` overall, one per chat per ``per_chat``
    seconds, and none during a pause asked for by a 429. One per bot, shared by every
    sender in the process (turns are coroutine-safe: they run on one event loop)."""

    def __init__(self, per_second: float = MESSAGES_PER_SECOND, per_chat: float = SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT):
        self.interval = 1.0 / per_second
        self.per_chat = per_chat
        self._next_turn = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int | str, float] = {}

    async def turn(self, chat_id: int | str, weight: float = 1.0) -> None:
        """Wait until a message to ``chat_id`` may go. A message of ``weight`` counts as that many
        against the overall rate (an SMS of 3 segments counts 3 at Twilio, which paces by segment)."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            # One pointer moves forward, so turns never come closer than the interval. A chat's own
            # limit can push a turn later and leave a gap; bulk messages go to distinct chats.
            at = max(now, self._next_turn, self._paused_until, self._chat_next.get(chat_id, 0.0))
            self._next_turn = at + self.interval * weight
            self._remember(chat_id, at + self.per_chat, now)
            await asyncio.sleep(at - now)
            if loop.time() >= self._paused_until:
                return
            # A 429 arrived while this turn was waiting: take a new one after the pause.

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": nobody sends until then, and turns restart evenly spaced."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)
        self._next_turn = max(self._next_turn, self._paused_until)

    def _remember(self, chat_id: int | str, next_at: float, now: float) -> None:
        if len(self._chat_next) >= _FORGET_CHATS_AFTER:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}
        self._chat_next[chat_id] = next_at


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's retry-after: whole seconds in PTB 22 (which warns on every read), a timedelta from PTB 23."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
