"""Telegram-like flood control: an overall sliding window plus a token bucket per chat.

Telegram documents "about 30 messages per second" overall and "about one message per second" per chat
(bursts tolerated). When a limit is exceeded it answers 429 with ``parameters.retry_after`` in whole seconds.
"""

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FloodLimits:
    """Configurable limits. ``None`` disables one."""

    overall_max: int | None = 30
    overall_window: float = 1.0
    chat_capacity: float | None = 3
    chat_refill_per_second: float = 1.0


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class FloodControl:
    limits: FloodLimits = field(default_factory=FloodLimits)
    clock: Callable[[], float] = time.monotonic
    given_429: int = 0
    given_429_overall: int = 0
    given_429_by_chat: Counter = field(default_factory=Counter)
    _sent: deque = field(default_factory=deque)
    _buckets: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, chat_id: int | str) -> int | None:
        """Take a slot for one outgoing message to ``chat_id``; None if admitted, else retry_after seconds."""
        with self._lock:
            now = self.clock()
            limits = self.limits
            if limits.overall_max is not None:
                while self._sent and self._sent[0] <= now - limits.overall_window:
                    self._sent.popleft()
                if len(self._sent) >= limits.overall_max:
                    wait = self._sent[0] + limits.overall_window - now
                    self.given_429 += 1
                    self.given_429_overall += 1
                    return max(1, math.ceil(wait))
            if limits.chat_capacity is not None:
                bucket = self._buckets.get(chat_id)
                if bucket is None:
                    bucket = self._buckets[chat_id] = _Bucket(tokens=float(limits.chat_capacity), updated=now)
                bucket.tokens = min(
                    float(limits.chat_capacity),
                    bucket.tokens + (now - bucket.updated) * limits.chat_refill_per_second,
                )
                bucket.updated = now
                if bucket.tokens < 1:
                    wait = (1 - bucket.tokens) / limits.chat_refill_per_second
                    self.given_429 += 1
                    self.given_429_by_chat[chat_id] += 1
                    return max(1, math.ceil(wait))
                bucket.tokens -= 1
            if limits.overall_max is not None:
                self._sent.append(now)
            return None
