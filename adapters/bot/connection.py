"""Where the bot meets Telegram: the token and the Bot API server, from settings."""

from telegram import Bot

from adapters.settings import Settings
from domain.kernel.errors import TrustError

TELEGRAM_API = "https://api.telegram.org/bot"


class TelegramNotConfigured(TrustError):
    def __init__(self) -> None:
        super().__init__("DATATRUST_TELEGRAM_TOKEN is not set, so nothing can be sent to members' chats.")


def api_urls(settings: Settings) -> tuple[str, str]:
    """PTB's base_url and base_file_url. DATATRUST_TELEGRAM_API_URL names another Bot API
    server the way PTB's base_url does, e.g. http://127.0.0.1:8081/bot (/bot is added if missing)."""
    base = (settings.telegram_api_url or TELEGRAM_API).rstrip("/")
    if not base.endswith("/bot"):
        base += "/bot"
    return base, base.removesuffix("/bot") + "/file/bot"


def telegram_bot(settings: Settings) -> Bot:
    """A Bot for the configured token and server (not yet initialised: use ``async with``)."""
    if not settings.telegram_token:
        raise TelegramNotConfigured()
    base_url, base_file_url = api_urls(settings)
    return Bot(settings.telegram_token, base_url=base_url, base_file_url=base_file_url)
