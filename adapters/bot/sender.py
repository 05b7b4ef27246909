"""The bot's outbox: the one outbox (adapters.outbox) with Telegram as one of its channels.

``Outbox(services, bot)`` sends on Telegram through an initialised PTB Bot, paced below
Telegram's flood limits, and on the other channels it is given (the bot passes the SMS and
WhatsApp senders the settings turn on: adapters.outbox.building), so one process delivers
every announcement on every channel. Members who only use Telegram get what they always did."""

from telegram import Bot

from adapters.bootstrap import Services
from adapters.bot.pacing import Pacing
from adapters.outbox.channels import Channel, NotSent, announcement_message
from adapters.outbox.outbox import DeliveryReport
from adapters.outbox.outbox import Outbox as OneOutbox
from adapters.outbox.telegram import TelegramChannel

__all__ = ["MAX_IN_FLIGHT", "DeliveryReport", "NotSent", "Outbox", "announcement_message"]

MAX_IN_FLIGHT = 30  # requests awaiting an answer: 28/s at 300 ms needs ~9; an outage leaves at most ~30 uncertain


class Outbox(OneOutbox):
    def __init__(
        self,
        services: Services,
        bot: Bot,
        pacing: Pacing | None = None,
        in_flight: int = MAX_IN_FLIGHT,
        others: dict[str, Channel] | None = None,
    ):
        telegram = TelegramChannel.made(bot, pacing, services.settings.bot_language, in_flight)
        super().__init__(services, {telegram.network: telegram, **(others or {})})
