"""The Twilio REST client, for the real Twilio or for another base URL (the fake Twilio in tests).

``twilio.rest.Client`` has no base-URL option: every domain builds absolute ``https://api.twilio.com/...`` URLs
and hands them to the client's ``http_client``, an ``HttpClient`` the library lets callers supply (its documented
"custom HTTP client" hook, ``Client(http_client=...)``). With ``api_url`` the client here gets a ``TwilioHttpClient``
that sends each request for https://api.twilio.com to ``api_url`` instead, with the same path, query, form data and
Basic auth; a request for any other Twilio host is refused rather than sent to the real one.

Both ways, the library's request log goes to a logger that keeps quiet below WARNING: at INFO it would write query
parameters, which for a message list are phone numbers (personal data is never logged).
"""

import logging
from typing import Any

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"

_quiet = logging.getLogger("datatrust.sms.twilio_http")
_quiet.setLevel(logging.WARNING)


class RedirectedHttpClient(TwilioHttpClient):
    """A TwilioHttpClient that sends what is meant for https://api.twilio.com to ``api_url``."""

    def __init__(self, api_url: str, **kwargs: Any):
        kwargs.setdefault("logger", _quiet)
        super().__init__(**kwargs)
        self.api_url = api_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url != TWILIO_API and not url.startswith(TWILIO_API + "/"):
            raise ValueError(f"only {TWILIO_API} is redirected, not {url.split('?', 1)[0]}")
        return super().request(method, self.api_url + url[len(TWILIO_API) :], *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_url: str | None = None) -> Client:
    """A real ``twilio.rest.Client``; ``api_url`` None means the real Twilio, else e.g. ``http://127.0.0.1:PORT``."""
    http_client = TwilioHttpClient(logger=_quiet) if api_url is None else RedirectedHttpClient(api_url)
    # TWILIO_EDGE / TWILIO_REGION in the environment still choose the real Twilio's host; with api_url such a host is
    # refused by RedirectedHttpClient rather than reached.
    return Client(account_sid, auth_token, http_client=http_client)
