"""The members' chat bot: a python-telegram-bot Application built from the
composition root's services. Handlers only translate between Telegram and the
trust; the words are in replies/member_replies (via texts)."""

import asyncio
import logging
import traceback
import warnings

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from adapters.bootstrap import ConfigurationError, Services
from adapters.bot import consents, joining, leaving, mydata, panels, renewals, replies, voting
from adapters.bot.connection import api_urls
from adapters.bot.guards import BURST, guard_handler
from adapters.bot.pacing import Pacing
from adapters.bot.sender import Outbox
from adapters.bot.talk import Context, say, texts
from adapters.bot.texts import available, translator
from adapters.outbox.building import other_channels
from domain.store.once import AlreadyHandled

log = logging.getLogger(__name__)
RETRIES_AFTER_429 = 5
TELEGRAM_REQUESTS_PER_SECOND = 30
ANNOUNCING_BESIDE_REPLIES = 20  # announcements a second while the bot also answers members
CHECK_ANNOUNCEMENTS_EVERY = 30.0  # seconds between looks for announcements recorded while the bot runs


async def help_command(update: Update, context: Context) -> None:
    await say(update, replies.help_text(texts(update, context)))


async def not_understood(update: Update, context: Context) -> None:
    await say(update, replies.not_understood(texts(update, context)))


async def stale(update: Update, context: Context) -> None:
    await update.callback_query.answer(replies.stale_button(texts(update, context)))  # type: ignore[union-attr]


async def on_error(update: object, context: Context) -> None:
    """Never a crash, never personal data in the log: the error's type and the line it came from."""
    error = context.error
    query = update.callback_query if isinstance(update, Update) else None
    if isinstance(error, AlreadyHandled):  # a redelivered update: it changed the history the first time
        if query is not None:
            await query.answer()
        return
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    where = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    log.error("The bot could not handle an update: %s at %s", type(error).__name__, where)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await say(update, replies.went_wrong(texts(update, context)))
        except Exception:  # noqa: BLE001 - telling the member is best effort
            log.warning("Could not tell the member about the error either.")


def starting(services: Services, deliver: bool, every: float):  # type: ignore[no-untyped-def]
    """What the bot does as it starts: set its command menu, and (unless it is the terminal
    try-out) deliver any announcement a stopped run left unfinished, then look for new
    ones (a vote's result, a panel's invitations) every ``every`` seconds."""

    async def start(application: Application) -> None:
        await announce_commands(application)
        if not deliver:
            return
        # Through the bot's own rate limiter, so replies and announcements share Telegram's one
        # overall budget; the outbox's gentler pace leaves room for the replies.
        # SMS and WhatsApp, when the settings turn them on, go out from the same outbox (adapters.outbox).
        others = other_channels(services)
        outbox = Outbox(services, application.bot, Pacing(per_second=ANNOUNCING_BESIDE_REPLIES), others=others)
        application.bot_data["outbox"] = outbox
        application.bot_data["delivering"] = asyncio.get_running_loop().create_task(keep_delivering(application, every))

    return start


async def keep_delivering(application: Application, every: float) -> None:
    while True:
        try:
            reports = await application.bot_data["outbox"].deliver_unfinished()
        except Exception as error:  # noqa: BLE001 - the next round tries again
            log.error("Unfinished announcements could not be delivered: %s", type(error).__name__)
            reports = {}
        for announcement_id, report in reports.items():
            log.info("Announcement %s: %s", announcement_id, report)
        await asyncio.sleep(every)


async def stopping(application: Application) -> None:
    """The outbox's run is stopped (it gives back what it had not sent) before the bot goes."""
    delivering = application.bot_data.pop("delivering", None)
    if delivering is not None and not delivering.done():
        delivering.cancel()
        await asyncio.gather(delivering, return_exceptions=True)
    outbox = application.bot_data.pop("outbox", None)
    if outbox is not None:
        await outbox.close()


async def announce_commands(application: Application) -> None:
    _ = translator(application.bot_data["language"])
    await application.bot.set_my_commands(
        [
            BotCommand("start", _("Join the trust")),
            BotCommand("consents", _("See and change who may see your data")),
            BotCommand("mydata", _("What the trust holds, and who read it")),
            BotCommand("leave", _("Leave the trust")),
            BotCommand("forget", _("Leave and have your data destroyed")),
            BotCommand("vote", _("Vote on the trust's proposals")),
            BotCommand("panel", _("Answer the community panels you are on")),
            BotCommand("help", _("What I can do")),
        ]
    )


def build_bot(
    services: Services,
    token: str,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    request: BaseRequest | None = None,
    language: str | None = None,
    requests_per_second: float = TELEGRAM_REQUESTS_PER_SECOND,
    chat_burst: int = BURST,
    check_announcements_every: float = CHECK_ANNOUNCEMENTS_EVERY,
) -> Application:
    """The bot's Application. Its requests are paced to Telegram's overall limit
    (``requests_per_second``; 0 turns pacing off, for measuring the bot alone),
    and a request refused with 429 is retried after the server's retry_after. One chat
    may send ``chat_burst`` updates at once, then one a second (see guards)."""
    language = language or services.settings.bot_language
    if not available(language):
        raise ConfigurationError(
            f"the bot has no texts in {language!r} (adapters/bot/locale/{language}/LC_MESSAGES/bot.po)"
        )
    limiter = AIORateLimiter(overall_max_rate=requests_per_second, max_retries=RETRIES_AFTER_429)
    if base_url is None:  # the server the settings name (Telegram itself by default)
        base_url, base_file_url = api_urls(services.settings)
    base_file_url = base_file_url or base_url.removesuffix("/bot") + "/file/bot"
    builder = ApplicationBuilder().token(token).rate_limiter(limiter).base_url(base_url).base_file_url(base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    on_start = starting(services, deliver=request is None, every=check_announcements_every)
    application = builder.post_init(on_start).post_stop(stopping).build()
    application.bot_data.update(services=services, language=language)
    application.add_handler(guard_handler(chat_burst), group=-1)
    with warnings.catch_warnings():  # PTB notes that per_message=False tracks buttons per chat: that is meant
        warnings.simplefilter("ignore", PTBUserWarning)
        application.add_handler(joining.conversation())
        application.add_handler(panels.conversation())
    for handler in (
        *consents.handlers(),
        *mydata.handlers(),
        *leaving.handlers(),
        *voting.handlers(),
        *panels.handlers(),
        *renewals.handlers(),
    ):
        application.add_handler(handler)
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(MessageHandler(filters.ALL, not_understood))
    application.add_handler(CallbackQueryHandler(stale))
    application.add_error_handler(on_error)
    return application
