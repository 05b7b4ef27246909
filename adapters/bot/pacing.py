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
# Telegram's limit is about 30 in ANY one-second window, not a bucket: lateness is made up a little
# below it (a bucket's rate, Twilio's and Meta's, may be made up at exactly: their refill keeps pace).
TELEGRAM_LIMIT = 29
SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT = 1.0  # Telegram: about one message a second to one chat
_FORGET_CHATS_AFTER = 10_000  # how many chats' last turns are kept before the past ones are dropped


class Pacing:
    """Hands out turns: at most ``per_second`` overall, one per chat per ``per_chat``
    seconds, and none during a pause asked for by a 429. One per bot, shared by every
    sender in the process (turns are coroutine-safe: they run on one event loop)."""

    def __init__(
        self,
        per_second: float = MESSAGES_PER_SECOND,
        per_chat: float = SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT,
        limit: float = TELEGRAM_LIMIT,
    ):
        """``per_second``: the planned rate, a little below ``limit``, the provider's own (which
        turns that woke late never beat while they make up their lateness)."""
        self.interval = 1.0 / per_second
        self.closest = 1.0 / max(limit, per_second)
        self.per_chat = per_chat
        self._next_turn = 0.0
        self._paused_until = 0.0
        self._released_at, self._released_gap = 0.0, 0.0  # the last turn handed out, and its share of the rate
        self._chat_next: dict[int | str, float] = {}

    async def turn(self, chat_id: int | str, weight: float = 1.0) -> None:
        """Wait until a message to ``chat_id`` may go. A message of ``weight`` counts as that many
        against the overall rate (an SMS of 3 segments counts 3 at Twilio, which paces by segment)."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            at, taken = self.take(chat_id, weight, now)
            await asyncio.sleep(at - now)
            # Turns that woke late together (the process was busy) still go apart: a burst would exceed
            # the provider's limit, which counts what arrives, not what was planned. They make up their
            # lateness at the provider's own rate, never faster: a provider's bucket refills at that
            # rate, so making up never empties it (going even slightly faster did, after a stall).
            while taken and (early := self.too_early(loop.time())) > 0:
                await asyncio.sleep(early)
            if taken and loop.time() >= self._paused_until:
                self.released(loop.time(), weight)
                return
            # Its chat was held, or a 429 arrived while this turn was waiting: ask again.

    def too_early(self, now: float) -> float:
        """How long a turn due now must still wait so as not to follow the last one closer than the limit."""
        return self._released_at + self._released_gap - now

    def released(self, now: float, weight: float) -> None:
        """A message of ``weight`` goes now: the next may follow it after ``weight`` of the provider's interval."""
        self._released_at, self._released_gap = now, self.closest * weight

    def take(self, chat_id: int | str, weight: float, now: float) -> tuple[float, bool]:
        """(when, taken): the overall turn a message to ``chat_id`` takes at ``now`` (taken), or, while its
        chat or a pause holds it, when to ask again (not taken: the turns meanwhile go to other chats, so
        one chat's wait never holds up everyone's)."""
        held = max(self._chat_next.get(chat_id, 0.0), self._paused_until)
        if held > now:
            return held, False
        # One pointer moves forward, so turns never come closer than the interval.
        at = max(now, self._next_turn)
        self._next_turn = at + self.interval * weight
        self._remember(chat_id, at + self.per_chat, now)
        return at, True

    def pause(self, seconds: float, now: float | None = None) -> None:
        """The provider said "retry after": nobody sends until then, and turns restart evenly spaced."""
        until = (asyncio.get_running_loop().time() if now is None else now) + seconds
        self._paused_until = max(self._paused_until, until)
        self._next_turn = max(self._next_turn, self._paused_until)

    def refused(self, chat_id: int | str) -> None:
        """The provider refused the message to ``chat_id`` for a rate: it was not sent, so the chat's own
        spacing does not hold back its retry."""
        self._chat_next.pop(chat_id, None)

    def hold(self, chat_id: int | str, seconds: float, now: float | None = None) -> None:
        """The provider asked that this one chat wait (WhatsApp's pair rate): only it waits."""
        until = (asyncio.get_running_loop().time() if now is None else now) + seconds
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

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
