"""The channels the settings turn on for announcements (Telegram's comes with the bot):

- SMS: DATATRUST_TWILIO_ACCOUNT_SID, DATATRUST_TWILIO_AUTH_TOKEN and DATATRUST_TWILIO_FROM (the
  trust's number), paced at DATATRUST_TWILIO_MESSAGES_PER_SECOND segments a second (default 1, a
  long code's rate); statuses are asked for at the status URL when the SMS webhook is set up;
- WhatsApp: DATATRUST_WHATSAPP_PHONE_ID, DATATRUST_WHATSAPP_TOKEN and DATATRUST_WHATSAPP_APP_SECRET,
  at DATATRUST_WHATSAPP_MESSAGES_PER_SECOND (default 80, Meta's default throughput), with the
  catalogue's [whatsapp.templates] announcement for members outside the 24-hour window."""

import asyncio

from adapters.bootstrap import Services
from adapters.bot.sms.client import twilio_async_client
from adapters.bot.whatsapp.client import whatsapp_async_client
from adapters.conversation.texts import translator
from adapters.outbox.channels import Channel
from adapters.outbox.sms import SMS, SmsChannel, sms_pacing
from adapters.outbox.whatsapp import WHATSAPP, WhatsAppChannel, whatsapp_pacing
from adapters.settings import Settings
from domain.kernel.catalogue import Catalogue

IN_FLIGHT = 30  # requests awaiting an answer on one channel


def sms_channel(settings: Settings) -> SmsChannel | None:
    if not settings.sms_sending:
        return None
    sid, token = settings.twilio_account_sid or "", settings.twilio_auth_token or ""
    client = twilio_async_client(sid, token, settings.twilio_api_url)
    pacing = sms_pacing(settings.twilio_messages_per_second)
    return SmsChannel(
        SMS, pacing, asyncio.Semaphore(IN_FLIGHT), client, settings.twilio_from or "", settings.sms_status_url
    )


def whatsapp_channel(settings: Settings, catalogue: Catalogue) -> WhatsAppChannel | None:
    if not settings.whatsapp_sending:
        return None
    client = whatsapp_async_client(
        settings.whatsapp_phone_id or "",
        settings.whatsapp_token or "",
        settings.whatsapp_app_secret or "",
        settings.whatsapp_api_url,
    )
    pacing = whatsapp_pacing(settings.whatsapp_messages_per_second)
    template = catalogue.whatsapp_templates.get("announcement")
    words = translator(settings.bot_language)
    return WhatsAppChannel(WHATSAPP, pacing, asyncio.Semaphore(IN_FLIGHT), client, template, words)


def other_channels(services: Services) -> dict[str, Channel]:
    """The SMS and WhatsApp senders the settings turn on, by network."""
    found = (sms_channel(services.settings), whatsapp_channel(services.settings, services.catalogue))
    return {channel.network: channel for channel in found if channel is not None}
