"""A fake Twilio (REST Messages API and signed webhooks) for testing the real twilio client offline."""

from tests.fake_twilio.records import SentSms, WebhookPost
from tests.fake_twilio.server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, FakeTwilio, SenderRate

__all__ = ["DEFAULT_ACCOUNT_SID", "DEFAULT_AUTH_TOKEN", "FakeTwilio", "SenderRate", "SentSms", "WebhookPost"]
