"""What the fake Twilio remembers: the messages sent through it and the webhooks it posted."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SentSms:
    """An outbound Message resource, as it stands now (its status moves as callbacks go out)."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    encoding: str
    segments: int
    status: str
    date_created: str
    date_updated: str
    direction: str = "outbound-api"
    status_callback: str | None = None
    date_sent: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    statuses: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The Message resource as the 2010-04-01 API answers it (counts as strings, dates in RFC 2822)."""
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{self.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": self.body,
            "date_created": self.date_created,
            "date_sent": self.date_sent,
            "date_updated": self.date_updated,
            "direction": self.direction,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": "0",
            # With a Messaging Service no sender is chosen yet when Twilio answers, so it says 0 segments.
            "num_segments": "0" if self.from_ is None else str(self.segments),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
            "to": self.to,
            "uri": f"{uri}.json",
        }


@dataclass(frozen=True)
class WebhookPost:
    """One POST the fake made to the application: an inbound SMS or a status callback, and the answer it got."""

    kind: str  # "inbound" or "status"
    url: str
    params: dict[str, str]
    signature: str | None
    idempotency_token: str
    status: int
    response_body: str
