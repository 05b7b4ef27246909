"""Settings from the environment, with the embedded defaults."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from domain.insight.draws import DRAW_SECONDS
from domain.kernel.errors import InvalidRequest


def rotation_days(text: str) -> int:
    """Whole days from 1 to 30 (default 1): how long an erased member's key version may outlive them."""
    if not text.strip():
        return 1
    if not text.strip().isdigit() or not 1 <= int(text) <= 30:
        raise InvalidRequest("DATATRUST_KEY_ROTATION_DAYS must be a whole number of days from 1 to 30.")
    return int(text)


@dataclass(frozen=True)
class Settings:
    database_url: str
    master_key: str | None
    master_key_file: Path
    catalogue_path: Path | None
    secure_cookies: bool = False  # set DATATRUST_SECURE_COOKIES=1 when served over HTTPS
    telegram_token: str | None = None  # DATATRUST_TELEGRAM_TOKEN: the bot's token from @BotFather
    telegram_api_url: str | None = None  # DATATRUST_TELEGRAM_API_URL: another Bot API server (tests, local)
    bot_language: str = "en"  # DATATRUST_BOT_LANGUAGE: the bot's language when a member's app language has none
    telegram_webhook_secret: str | None = None  # DATATRUST_TELEGRAM_WEBHOOK_SECRET: else a new one each start
    trusted_proxies: int = 0  # DATATRUST_TRUSTED_PROXIES: proxies in front whose X-Forwarded-For counts
    panel_draw_seconds: float = DRAW_SECONDS  # DATATRUST_PANEL_DRAW_SECONDS: a panel draw's time limit (1-600)
    keyring_file: Path | None = None  # DATATRUST_KEYRING_FILE: else `keyring` beside the master key file
    key_rotation_days: int = 1  # DATATRUST_KEY_ROTATION_DAYS: an erasure's key version is destroyed within this
    twilio_auth_token: str | None = None  # DATATRUST_TWILIO_AUTH_TOKEN: turns on the SMS webhook (/sms/twilio)
    twilio_webhook_url: str | None = None  # DATATRUST_TWILIO_WEBHOOK_URL: the exact URL Twilio is given (required)
    # SMS out (announcements): the account, the trust's number, and the pace of that number
    twilio_account_sid: str | None = None  # DATATRUST_TWILIO_ACCOUNT_SID: with the auth token and the number, sends SMS
    twilio_from: str | None = None  # DATATRUST_TWILIO_FROM: the trust's number, +447700900001
    twilio_api_url: str | None = None  # DATATRUST_TWILIO_API_URL: another REST API host (tests, local)
    twilio_messages_per_second: float = 1.0  # DATATRUST_TWILIO_MESSAGES_PER_SECOND: segments a second (long code: 1)
    twilio_status_url: str | None = None  # DATATRUST_TWILIO_STATUS_URL: else the webhook URL + "/status"
    # WhatsApp: the app secret and the verify token together turn on the webhook (/whatsapp/webhook)
    whatsapp_app_secret: str | None = None  # DATATRUST_WHATSAPP_APP_SECRET: the Meta app's secret (signs webhooks)
    whatsapp_verify_token: str | None = None  # DATATRUST_WHATSAPP_VERIFY_TOKEN: ours, given to Meta for the handshake
    whatsapp_phone_id: str | None = None  # DATATRUST_WHATSAPP_PHONE_ID: the business number's id, replies come from it
    whatsapp_token: str | None = None  # DATATRUST_WHATSAPP_TOKEN: the Cloud API access token (no replies without it)
    whatsapp_api_url: str | None = None  # DATATRUST_WHATSAPP_API_URL: another Graph API host (tests, local)
    whatsapp_messages_per_second: float = 80.0  # DATATRUST_WHATSAPP_MESSAGES_PER_SECOND: the number's throughput
    public_url: str | None = None  # DATATRUST_PUBLIC_URL: where members reach the web forms (a portal link in the chat)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        var = Path(env.get("DATATRUST_VAR", "var"))
        url = env.get("DATATRUST_DATABASE_URL") or f"sqlite:///{(var / 'datatrust.sqlite3').as_posix()}"
        return cls(
            database_url=url,
            master_key=env.get("DATATRUST_MASTER_KEY") or None,
            master_key_file=Path(env.get("DATATRUST_MASTER_KEY_FILE") or var / "master.key"),
            catalogue_path=Path(env["DATATRUST_CATALOGUE"]) if env.get("DATATRUST_CATALOGUE") else None,
            secure_cookies=env.get("DATATRUST_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            telegram_token=env.get("DATATRUST_TELEGRAM_TOKEN", "").strip() or None,
            telegram_api_url=env.get("DATATRUST_TELEGRAM_API_URL", "").strip() or None,
            bot_language=env.get("DATATRUST_BOT_LANGUAGE", "").strip().lower() or "en",
            telegram_webhook_secret=env.get("DATATRUST_TELEGRAM_WEBHOOK_SECRET", "").strip() or None,
            trusted_proxies=_hops(env.get("DATATRUST_TRUSTED_PROXIES", "")),
            panel_draw_seconds=_seconds(env.get("DATATRUST_PANEL_DRAW_SECONDS", ""), DRAW_SECONDS),
            keyring_file=Path(env["DATATRUST_KEYRING_FILE"]) if env.get("DATATRUST_KEYRING_FILE") else None,
            key_rotation_days=rotation_days(env.get("DATATRUST_KEY_ROTATION_DAYS", "")),
            twilio_auth_token=env.get("DATATRUST_TWILIO_AUTH_TOKEN", "").strip() or None,
            twilio_webhook_url=env.get("DATATRUST_TWILIO_WEBHOOK_URL", "").strip() or None,
            whatsapp_app_secret=env.get("DATATRUST_WHATSAPP_APP_SECRET", "").strip() or None,
            whatsapp_verify_token=env.get("DATATRUST_WHATSAPP_VERIFY_TOKEN", "").strip() or None,
            whatsapp_phone_id=env.get("DATATRUST_WHATSAPP_PHONE_ID", "").strip() or None,
            whatsapp_token=env.get("DATATRUST_WHATSAPP_TOKEN", "").strip() or None,
            whatsapp_api_url=env.get("DATATRUST_WHATSAPP_API_URL", "").strip() or None,
            twilio_account_sid=env.get("DATATRUST_TWILIO_ACCOUNT_SID", "").strip() or None,
            twilio_from=env.get("DATATRUST_TWILIO_FROM", "").strip() or None,
            twilio_api_url=env.get("DATATRUST_TWILIO_API_URL", "").strip() or None,
            twilio_messages_per_second=_rate(env, "DATATRUST_TWILIO_MESSAGES_PER_SECOND", 1.0),
            twilio_status_url=env.get("DATATRUST_TWILIO_STATUS_URL", "").strip() or None,
            whatsapp_messages_per_second=_rate(env, "DATATRUST_WHATSAPP_MESSAGES_PER_SECOND", 80.0),
            public_url=_public_url(env.get("DATATRUST_PUBLIC_URL", "")),
        )

    def portal_link(self, token: str) -> str | None:
        """The whole address of a member's one-time portal link, if the trust has said where it is served."""
        return f"{self.public_url}{PORTAL_SIGN_IN}{token}" if self.public_url else None

    @property
    def whatsapp_on(self) -> bool:
        """The WhatsApp webhook is served: both its app secret and its verify token are set."""
        return bool(self.whatsapp_app_secret and self.whatsapp_verify_token)

    @property
    def sms_sending(self) -> bool:
        """Announcements go by SMS: the account, its auth token and the trust's number are all set."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from)

    @property
    def whatsapp_sending(self) -> bool:
        """Announcements go by WhatsApp: the business number's id, the access token and the app secret are set."""
        return bool(self.whatsapp_phone_id and self.whatsapp_token and self.whatsapp_app_secret)

    @property
    def sms_status_url(self) -> str | None:
        """Where Twilio posts delivery statuses (and what their signatures are checked against)."""
        if self.twilio_status_url:
            return self.twilio_status_url
        return self.twilio_webhook_url.rstrip("/") + "/status" if self.twilio_webhook_url else None

    @property
    def keyring_path(self) -> Path:
        return self.keyring_file or self.master_key_file.with_name("keyring")

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


PORTAL_SIGN_IN = "/portal/sign-in/"  # the members' portal's sign-in route (adapters/web/portal.py)


def _public_url(text: str) -> str | None:
    """The address members reach the web forms at: https, or http on this machine only (a sign-in
    link sent to a member must never cross a network in the clear)."""
    url = text.strip().rstrip("/")
    if not url:
        return None
    local = re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", url + "/")
    if not (re.match(r"^https://[^/\s]+", url) or local):
        example = "https://trust.example.org"
        raise ValueError(f"DATATRUST_PUBLIC_URL must be an https:// address (e.g. {example}), not {text!r}.")
    return url


def _hops(text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        raise ValueError("DATATRUST_TRUSTED_PROXIES must be a whole number of proxies (0, 1, 2...).")
    return int(text)


def _rate(env: dict[str, str] | os._Environ, name: str, default: float) -> float:
    """Messages a second: a positive number, else a clear error naming the setting."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        rate = float(text)
    except ValueError:
        rate = float("nan")
    if not 0 < rate <= 10_000:
        raise ValueError(f"{name} must be a number of messages a second above 0 (e.g. 1 or 80), not {text!r}.")
    return rate


def _seconds(text: str, default: float) -> float:
    """A number of seconds; NaN for text that is not one (bootstrap refuses it in one sentence)."""
    try:
        return float(text) if text.strip() else default
    except ValueError:
        return float("nan")
