"""The members' chat bot: a python-telegram-bot Application built from the
composition root's services. Handlers only translate between Telegram and the
trust; the words are in replies/member_replies (via texts)."""

import logging
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
from adapters.bot import consents, joining, leaving, mydata, replies
from adapters.bot.guards import guard_handler
from adapters.bot.talk import Context, say, texts
from adapters.bot.texts import available, translator
from domain.once import AlreadyHandled

log = logging.getLogger(__name__)
RETRIES_AFTER_429 = 5
TELEGRAM_REQUESTS_PER_SECOND = 30


async def help_command(update: Update, context: Context) -> None:
    await say(update, replies.help_text(texts(update, context)))


async def not_understood(update: Update, context: Context) -> None:
    await say(update, replies.not_understood(texts(update, context)))


async def stale(update: Update, context: Context) -> None:
    await update.callback_query.answer(replies.stale_button(texts(update, context)))  # type: ignore[union-attr]


async def on_error(update: object, context: Context) -> None:
    """Never a crash, never personal data in the log: the error's type and place only."""
    error = context.error
    if isinstance(error, AlreadyHandled):
        return  # a redelivered update: it changed the history the first time
    where = error.__traceback__.tb_frame.f_code.co_qualname if error and error.__traceback__ else "?"
    log.error("The bot could not handle an update: %s in %s", type(error).__name__, where)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await say(update, replies.went_wrong(texts(update, context)))
        except Exception:  # noqa: BLE001 - telling the member is best effort
            log.warning("Could not tell the member about the error either.")


async def announce_commands(application: Application) -> None:
    _ = translator(application.bot_data["language"])
    await application.bot.set_my_commands(
        [
            BotCommand("start", _("Join the trust")),
            BotCommand("consents", _("See and change who may see your data")),
            BotCommand("mydata", _("What the trust holds, and who read it")),
            BotCommand("leave", _("Leave the trust")),
            BotCommand("forget", _("Leave and have your data destroyed")),
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
) -> Application:
    """The bot's Application. Its requests are paced to Telegram's overall limit
    (``requests_per_second``; 0 turns pacing off, for measuring the bot alone),
    and a request refused with 429 is retried after the server's retry_after."""
    language = language or services.settings.bot_language
    if not available(language):
        raise ConfigurationError(
            f"the bot has no texts in {language!r} (adapters/bot/locale/{language}/LC_MESSAGES/bot.po)"
        )
    limiter = AIORateLimiter(overall_max_rate=requests_per_second, max_retries=RETRIES_AFTER_429)
    builder = ApplicationBuilder().token(token).rate_limiter(limiter)
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_file_url or base_url.replace("/bot", "/file/bot"))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.post_init(announce_commands).build()
    application.bot_data.update(services=services, language=language)
    application.add_handler(guard_handler(), group=-1)
    with warnings.catch_warnings():  # PTB notes that per_message=False tracks buttons per chat: that is meant
        warnings.simplefilter("ignore", PTBUserWarning)
        application.add_handler(joining.conversation())
    for handler in (*consents.handlers(), *mydata.handlers(), *leaving.handlers()):
        application.add_handler(handler)
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(MessageHandler(filters.ALL, not_understood))
    application.add_handler(CallbackQueryHandler(stale))
    application.add_error_handler(on_error)
    return application
