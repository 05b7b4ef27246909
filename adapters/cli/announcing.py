"""`datatrust announce TEXT` and `datatrust announce --resume ID`"""

import asyncio
from uuid import UUID

import click
from telegram.error import InvalidToken, TelegramError

from adapters.bootstrap import Services
from adapters.bot.connection import TelegramNotConfigured, api_urls, telegram_bot
from adapters.bot.sender import DeliveryReport, Outbox
from adapters.cli.main import actor, services
from adapters.cli.output import say
from adapters.outbox.building import other_channels
from adapters.outbox.outbox import Outbox as OneOutbox
from domain.kernel.errors import TrustError


class NotDelivered(TrustError):
    def __init__(self, announcement_id: UUID, why: str):
        super().__init__(
            f"announcement {announcement_id} is recorded but not everyone has been sent it: {why} "
            f"Send the rest with `datatrust announce --resume {announcement_id}`."
        )


@click.command("announce")
@click.argument("text", required=False)
@click.option("--resume", "resume_id", type=click.UUID, help="Continue sending an announcement already recorded.")
@click.pass_context
def announce(ctx: click.Context, text: str | None, resume_id: UUID | None) -> None:
    """Send TEXT to every active member, on their preferred channel (Telegram, SMS or WhatsApp).

    It is for the members of the trust when it is recorded, and each gets it
    once: a stopped run is continued with --resume ID, and nobody is sent a
    second copy. Needs DATATRUST_TELEGRAM_TOKEN, or SMS or WhatsApp set up."""
    if (text is None) == (resume_id is None):
        raise click.UsageError("Give the announcement's TEXT, or --resume ID to continue one.")
    svc = services(ctx)
    if resume_id is None:
        announcement_id = svc.trust.announce(text or "", actor(ctx))
        say(f"Recorded announcement {announcement_id}.")
    else:
        svc.trust.announcement_text(resume_id)  # an unknown id is refused before Telegram is asked
        announcement_id = resume_id
    report = asyncio.run(_deliver(svc, announcement_id))
    say(f"Sent: {report.sent}")
    say(f"Undeliverable (blocked the trust, or the chat or number is gone): {report.undeliverable}")
    say(f"Uncertain (Telegram did not answer; never sent again): {report.uncertain}")
    say(f"Claimed by an earlier run: {report.already_done}")
    say(f"No channel to reach them by: {report.without_chat}")
    if report.no_template:
        say(f"Not sent on WhatsApp outside its 24 hours (no template in the catalogue): {report.no_template}")
    if not report.finished:
        raise NotDelivered(announcement_id, f"{report.left_for_later} not sent yet (Telegram unreachable or refusing).")


async def _deliver(svc: Services, announcement_id: UUID) -> DeliveryReport:
    others = other_channels(svc)  # SMS and WhatsApp, when the settings turn them on
    try:
        bot = telegram_bot(svc.settings)
        async with bot:  # asks Telegram who the bot is: checks the token and the server
            outbox = Outbox(svc, bot, others=others)
            try:
                return await outbox.deliver(announcement_id)
            finally:
                await outbox.close()
    except TelegramNotConfigured as missing:
        if not others:
            raise NotDelivered(announcement_id, str(missing)) from None
    except InvalidToken:
        raise NotDelivered(announcement_id, "Telegram refused DATATRUST_TELEGRAM_TOKEN.") from None
    except TelegramError as error:
        raise NotDelivered(announcement_id, f"Telegram at {api_urls(svc.settings)[0]} failed: {error}.") from None
    outbox = OneOutbox(svc, others)  # no Telegram here: SMS and WhatsApp only
    try:
        return await outbox.deliver(announcement_id)
    finally:
        await outbox.close()


COMMANDS = [announce]
