"""A fake WhatsApp Cloud API (Meta's Graph API) on loopback, for testing the real pywa client offline."""

from tests.fake_whatsapp.records import ApprovedTemplate, FakeContact, SentMessage, WebhookDelivery
from tests.fake_whatsapp.server import (
    DEFAULT_APP_SECRET,
    DEFAULT_PHONE_NUMBER_ID,
    DEFAULT_TOKEN,
    SERVICE_WINDOW,
    FakeClock,
    FakeWhatsApp,
)

__all__ = [
    "DEFAULT_APP_SECRET",
    "DEFAULT_PHONE_NUMBER_ID",
    "DEFAULT_TOKEN",
    "SERVICE_WINDOW",
    "ApprovedTemplate",
    "FakeClock",
    "FakeContact",
    "FakeWhatsApp",
    "SentMessage",
    "WebhookDelivery",
]
