"""Running the members' chat bot: long polling (the default) or a webhook behind
a TLS proxy, each with PTB's own runner. Pending updates are never dropped: they
are members' messages, and each changes the history at most once however often
Telegram delivers it (talk.act)."""

import asyncio
import logging
import re
import secrets
import signal
from collections.abc import Callable
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]  # the only kinds the bot's handlers read
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts in setWebhook's secret_token
Say = Callable[[str], None]


class BadWebhook(ValueError):
    pass


class Redacting(logging.Formatter):
    """Log lines with the bot's secrets blanked out, tracebacks included; Telegram's errors in one line."""

    def __init__(self, hidden: list[str]):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.hidden = [secret for secret in hidden if secret]

    def format(self, record: logging.LogRecord) -> str:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, TelegramError):  # Telegram's refusals and network trouble: one line, no traceback
            summary = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record = logging.makeLogRecord(
                {**record.__dict__, "msg": summary, "args": None, "exc_info": None, "exc_text": None}
            )
        text = super().format(record)
        for secret in self.hidden:
            text = text.replace(secret, "[hidden]")
        return text


def configure_logging(level: int, *hidden: str | None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(Redacting([secret for secret in hidden if secret]))
    # A refused token is said in one line by `datatrust bot`, not as PTB's traceback.
    handler.addFilter(lambda record: not (record.exc_info and isinstance(record.exc_info[1], InvalidToken)))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request's URL at INFO, and a Bot API URL holds the token.
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


class Stop:
    """Stops the bot gracefully, once: on SIGINT or SIGTERM, or when asked (the try-out's Ctrl-D).
    A second signal (the terminal and a supervisor both sending one) does not cut the shutdown short."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self) -> None:
        if not self.asked:
            self.asked = True
            raise SystemExit  # from a loop callback, as PTB's own handlers do: it shuts down gracefully


def _run(application: Application, start: Callable[..., None], stop: Stop | None, **options: object) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # PTB runs on the current loop
    stop = stop or Stop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop)
    try:
        start(stop_signals=None, drop_pending_updates=False, allowed_updates=ALLOWED_UPDATES, **options)
    finally:
        if stop.asked:  # the loop and its handlers are gone: a late second signal must not cut the rest short
            for number in (signal.SIGINT, signal.SIGTERM):
                signal.signal(number, signal.SIG_IGN)


def _say_when_starting(application: Application, say: Say, doing: str) -> None:
    announce = application.post_init

    async def starting(app: Application) -> None:
        if announce is not None:
            await announce(app)
        say(f"The members' chat bot @{app.bot.username} is starting to {doing}. Stop it with Ctrl-C.")

    application.post_init = starting


def poll(application: Application, say: Say | None = None, stop: Stop | None = None) -> None:
    """Long polling: the bot asks Telegram for members' messages; nothing needs to reach this machine."""
    if say is not None:
        _say_when_starting(application, say, "read members' messages from Telegram (long polling)")
    _run(application, application.run_polling, stop)


def webhook_secret(configured: str | None) -> str:
    """The secret Telegram sends with every call to the webhook: the configured one, or a new one."""
    if configured is None:
        return secrets.token_urlsafe(32)
    if not SECRET_TOKEN.fullmatch(configured):
        raise BadWebhook("DATATRUST_TELEGRAM_WEBHOOK_SECRET may hold only letters, digits, _ and -, at most 256")
    return configured


def check_webhook_url(url: str, *, allow_http: bool = False) -> str:
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise BadWebhook(f"{url!r} is not a public https:// URL (Telegram calls webhooks only over HTTPS)")
    return url


def listen(
    application: Application,
    url: str,
    *,
    host: str,
    port: int,
    secret: str,
    say: Say | None = None,
    stop: Stop | None = None,
) -> None:
    """A webhook: Telegram calls ``url`` (a TLS proxy passing it on to host:port, same path) with the secret
    in a header; PTB's server answers 403 to any request without it."""
    path = urlsplit(url).path or "/"
    if say is not None:
        _say_when_starting(application, say, f"listen on http://{host}:{port}{path} for Telegram's calls to {url}")
    _run(
        application,
        application.run_webhook,
        stop,
        listen=host,
        port=port,
        url_path=path.lstrip("/"),
        webhook_url=url,
        secret_token=secret,
    )
