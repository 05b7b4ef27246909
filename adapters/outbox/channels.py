"""What every channel sender does, so the outbox needs to know none of them: wait for its
turn (each channel has its own provider's limits), then send one announcement to one address
and say what came of it. A sender only translates; the rules are the outbox's."""

import asyncio
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from adapters.bot.pacing import Pacing
from adapters.conversation import replies
from adapters.conversation.texts import Translate, translator
from domain.store.deliveries import SENT, UNDELIVERABLE

BLOCKED = "blocked"  # the member blocked the trust there: undeliverable, and recorded as a stop
WAIT = "wait"  # the provider refused for its rate limit: certainly not sent, try again after ``wait``
FREE_FORM, TEMPLATE = "free-form", "template"  # how a message goes (WhatsApp: a template outside 24 h)

__all__ = ["BLOCKED", "FREE_FORM", "SENT", "TEMPLATE", "UNDELIVERABLE", "WAIT", "Channel", "Outcome", "Outgoing"]


def announcement_message(text: str, _: Translate = translator("en")) -> str:
    """An announcement as a chat shows it (its words are the conversation's: adapters.conversation.replies)."""
    return replies.announcement_message(text, _)


class NotSent(Exception):
    """The provider refused the message in a way that would refuse everyone (a wrong token, a rate
    limit that never ends): it certainly was not sent, and the channel is not used for the rest of the run."""


@dataclass(frozen=True)
class Outgoing:
    """One announcement as the outbox hands it to a channel: the trust's text, and what the
    member can do from it with one tap (Telegram shows it as buttons; None: only read it)."""

    text: str
    action: dict[str, str] | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) the action offers, in the trust's words


@dataclass(frozen=True)
class Outcome:
    state: str  # SENT, UNDELIVERABLE, BLOCKED or WAIT
    provider_id: str | None = None  # the provider's id for an accepted message (its status reports name it)
    wait: float = 0.0  # WAIT: seconds before anyone (with chat_only, this one member) is sent anything here
    chat_only: bool = False  # WAIT: the limit is this member's alone (WhatsApp's pair rate), not the channel's
    why: str = ""  # for the log: a provider's code, never an address or a text
    stop_how: str = "blocked"  # BLOCKED: how the member stopped messages (domain.membership.model.STOP_WAYS)


@dataclass
class Channel(ABC):
    """One way out. ``network`` is the trust's name for it ("telegram", "sms", "whatsapp")."""

    network: str
    pacing: Pacing
    in_flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(30))
    minds_the_window = False  # True: ``form`` needs when the member last wrote here (WhatsApp)

    async def turn(self, address: int | str, message: Outgoing) -> None:
        """Wait until a message to ``address`` may go."""
        await self.pacing.turn(address)  # type: ignore[arg-type]

    def form(self, last_heard: datetime | None, now: datetime) -> str | None:
        """How a message to a member goes on this channel, given when they last wrote here:
        FREE_FORM, TEMPLATE, or None when it may not go at all (WhatsApp: no template)."""
        return FREE_FORM

    @abstractmethod
    async def send(self, address: int | str, message: Outgoing, form: str) -> Outcome:
        """One attempt. Raises NotSent (certainly not sent, and nothing will be), or any other
        error when the provider gave no answer (the message may have arrived)."""

    async def close(self) -> None:  # noqa: B027 - most channels hold nothing to let go of
        """Let go of the channel's connections."""
