"""Which chat channels reach members here, so pages say only what is true about telling them."""

from adapters.web.pages import services


def chat_channels() -> list[str]:
    """The channels that tell members of a proposal or a panel (the outbox's: Telegram with the bot, SMS, WhatsApp)."""
    settings = services().settings
    on = {"Telegram": settings.telegram_token, "SMS": settings.sms_sending, "WhatsApp": settings.whatsapp_sending}
    return [name for name, running in on.items() if running]


def told(who: str, what: str) -> str:
    """Whether ``who`` are told ``what`` in the chat: the truth for this trust's channels."""
    channels = chat_channels()
    if not channels:
        none = "No chat channel is set up (Telegram, SMS or WhatsApp)"
        return f"{none}, so {who} are not told {what}: tell them another way."
    return f"{who.capitalize()} are told {what} in the chat ({' and '.join(channels)})."
