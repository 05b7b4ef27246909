"""The members' chat bot on Telegram: a python-telegram-bot Application built from the
composition root's services. Every private-chat update (a message, typed text or a /command; or a
tap on a button, whose data is the choice) goes to the channel-neutral conversation
(adapters.conversation), off the event loop, and what it answers is shown in the chat (render).
Before that, guards drop repeats and floods and anything outside a private chat."""

import asyncio
import logging
import traceback

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from adapters.bootstrap import ConfigurationError, Services
from adapters.bot import render
from adapters.bot.connection import api_urls
from adapters.bot.guards import BURST, guard_handler
from adapters.bot.pacing import Pacing
from adapters.bot.sender import Outbox
from adapters.bot.talk import Context, language, say, services, texts
from adapters.conversation import replies
from adapters.conversation.channels import COMMANDS, TELEGRAM
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import Translate, available, languages, translator
from adapters.outbox.building import other_channels

log = logging.getLogger(__name__)
RETRIES_AFTER_429 = 5
TELEGRAM_REQUESTS_PER_SECOND = 30
ANNOUNCING_BESIDE_REPLIES = 20  # announcements a second while the bot also answers members
CHECK_ANNOUNCEMENTS_EVERY = 30.0  # seconds between looks for announcements recorded while the bot runs


def said_in(update: Update, context: Context) -> Said:
    """The update as the conversation reads it. Its key is the update's id (with the bot's, as
    update ids are per bot): a redelivery, even after a restart, changes nothing again."""
    key, words = f"telegram:{context.bot.id}:{update.update_id}", language(update, context)
    query = update.callback_query
    if query is not None:
        return Said(key=key, choice=query.data or "", language=words)
    message = update.effective_message
    return Said(key=key, text=command_named(message.text or "") if message else "", language=words)


def command_named(text: str) -> str:
    """A deep link ("/start abc") or "/consents@datatrust_bot" as the command it names."""
    if not text.startswith("/"):
        return text
    first, *rest = text.split(maxsplit=1)
    command = first[1:].partition("@")[0].lower()
    if command == "share" and rest:  # "/share wellbeing": the command with the category it names
        return f"/share {rest[0]}"
    return f"/{command}" if command in COMMANDS else text


async def converse(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    conversation = Conversation(services(context), TELEGRAM)
    answer = await asyncio.to_thread(conversation.answer, chat.id, said_in(update, context))
    await render.show(update, answer)


async def on_error(update: object, context: Context) -> None:
    """Never a crash, never personal data in the log: the error's type and the line it came from."""
    error = context.error
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    where = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    log.error("The bot could not handle an update: %s at %s", type(error).__name__, where)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query is not None:
                await render.answer(update.callback_query)
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
    """The command menu in the trust's language for everyone, and in each language the conversation
    speaks for members whose app is set to it (Telegram picks by the app's language)."""
    default = application.bot_data["language"]
    await application.bot.set_my_commands(menu(translator(default)))
    for spoken in languages():
        if spoken != default:
            await application.bot.set_my_commands(menu(translator(spoken)), language_code=spoken)


def menu(_: Translate) -> list[BotCommand]:
    return [
        BotCommand("start", _("Join the trust")),
        BotCommand("consents", _("See and change who may see your data")),
        BotCommand("mydata", _("What the trust holds, and who read it")),
        BotCommand("share", _("Share your data with the trust")),
        BotCommand("compare", _("How your well-being compares with your area's")),
        BotCommand("details", _("Change your area and other answers")),
        BotCommand("leave", _("Leave the trust")),
        BotCommand("forget", _("Leave and have your data destroyed")),
        BotCommand("vote", _("Vote on the trust's proposals")),
        BotCommand("panel", _("Answer the community panels you are on")),
        BotCommand("here", _("Get the trust's news in this chat")),
        BotCommand("ask", _("Write to a person at the trust")),
        BotCommand("portal", _("A link to the members' web portal")),
        BotCommand("help", _("What I can do")),
    ]


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
            f"the bot has no texts in {language!r} (adapters/conversation/locale/{language}/LC_MESSAGES/bot.po)"
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
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, converse))
    application.add_handler(CallbackQueryHandler(converse))
    application.add_error_handler(on_error)
    return application
