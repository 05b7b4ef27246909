"""Telegram's sender: the PTB Bot, paced below Telegram's flood limits (adapters.bot.pacing).

A 429 is Telegram's "retry after": nobody on Telegram goes until then. A 403 means the member
blocked the bot (recorded as a stop); a 400, that the chat is gone. A refused token refuses
everyone: NotSent."""

import asyncio
import logging
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from adapters.bot.pacing import Pacing, retry_seconds
from adapters.bot.talk import TELEGRAM, keyboard
from adapters.conversation.announcement_buttons import announcement_buttons
from adapters.conversation.replies import Reply
from adapters.conversation.texts import Translate, translator
from adapters.outbox.channels import (
    BLOCKED,
    SENT,
    UNDELIVERABLE,
    WAIT,
    Channel,
    NotSent,
    Outcome,
    Outgoing,
    announcement_message,
)

log = logging.getLogger(__name__)


@dataclass
class TelegramChannel(Channel):
    bot: Bot | None = None
    words: Translate = field(default_factory=lambda: translator("en"))

    @classmethod
    def made(
        cls, bot: Bot, pacing: Pacing | None = None, language: str = "en", in_flight: int = 30
    ) -> "TelegramChannel":
        return cls(TELEGRAM, pacing or Pacing(), asyncio.Semaphore(in_flight), bot, translator(language))

    async def send(self, address: int | str, message: Outgoing, form: str) -> Outcome:
        buttons = keyboard(Reply(message.text, announcement_buttons(self.words, message.action)))
        try:
            await self.bot.send_message(  # type: ignore[union-attr]
                address, announcement_message(message.text, self.words), reply_markup=buttons
            )
            return Outcome(SENT)  # (Telegram reports no delivery later: sent is as far as it goes)
        except RetryAfter as error:
            return Outcome(WAIT, wait=retry_seconds(error), why="429")
        except Forbidden as error:  # the member blocked the bot
            log.info("Not deliverable: %s", error.message)
            return Outcome(BLOCKED, why="403")
        except BadRequest as error:  # e.g. the chat is gone
            log.info("Not deliverable: %s", error.message)
            return Outcome(UNDELIVERABLE, why="400")
        except InvalidToken as error:
            raise NotSent(error.message) from error
