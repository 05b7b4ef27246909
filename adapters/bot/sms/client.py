"""The Twilio REST client, for the real Twilio or for another base URL (the fake Twilio in tests), blocking
(``twilio_client``) or asynchronous (``twilio_async_client``: the library's aiohttp client, for the outbox).

``twilio.rest.Client`` has no base-URL option: every domain builds absolute ``https://api.twilio.com/...`` URLs
and hands them to the client's ``http_client``, an ``HttpClient`` the library lets callers supply (its documented
"custom HTTP client" hook, ``Client(http_client=...)``). With ``api_url`` the client here gets a ``TwilioHttpClient``
that sends each request for https://api.twilio.com to ``api_url`` instead, with the same path, query, form data and
Basic auth; a request for any other Twilio host is refused rather than sent to the real one.

Both ways, the library's request log goes to a logger that keeps quiet below WARNING: at INFO it would write query
parameters, which for a message list are phone numbers (personal data is never logged).
"""

import asyncio
import logging
from typing import Any

from aiohttp import ClientSession, encode_basic_auth
from twilio.http.async_http_client import AsyncTwilioHttpClient
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
        return super().request(method, redirected(url, self.api_url), *args, **kwargs)


class AsyncHttpClient(AsyncTwilioHttpClient):
    """Twilio's aiohttp client, its session opened in the event loop that sends (aiohttp ties a session to
    its loop, and a channel may be built before the loop runs) and closed with the channel; with ``api_url``,
    what is meant for https://api.twilio.com goes there instead, as RedirectedHttpClient."""

    def __init__(self, api_url: str | None = None):
        super().__init__(pool_connections=False, logger=_quiet)
        self.api_url = api_url.rstrip("/") if api_url else None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        **kwargs: Any,
    ) -> Response:
        if self.session is None or self._loop is not asyncio.get_running_loop():
            self.session, self._loop = ClientSession(), asyncio.get_running_loop()
        if auth is not None:  # as a header: aiohttp deprecates the BasicAuth object the library would make of it
            headers = {**(headers or {}), "Authorization": encode_basic_auth(*auth)}
        url = redirected(url, self.api_url) if self.api_url else url
        return await super().request(method, url, params, data, headers, None, **kwargs)

    async def close(self) -> None:
        if self.session is not None and self._loop is asyncio.get_running_loop():
            await self.session.close()
        self.session = self._loop = None


def redirected(url: str, api_url: str) -> str:
    if url != TWILIO_API and not url.startswith(TWILIO_API + "/"):
        raise ValueError(f"only {TWILIO_API} is redirected, not {url.split('?', 1)[0]}")
    return api_url + url[len(TWILIO_API) :]


def twilio_client(account_sid: str, auth_token: str, api_url: str | None = None) -> Client:
    """A real ``twilio.rest.Client``; ``api_url`` None means the real Twilio, else e.g. ``http://127.0.0.1:PORT``."""
    http_client = TwilioHttpClient(logger=_quiet) if api_url is None else RedirectedHttpClient(api_url)
    # TWILIO_EDGE / TWILIO_REGION in the environment still choose the real Twilio's host; with api_url such a host is
    # refused by RedirectedHttpClient rather than reached.
    return Client(account_sid, auth_token, http_client=http_client)


def twilio_async_client(account_sid: str, auth_token: str, api_url: str | None = None) -> Client:
    """The same client for asyncio: ``await client.messages.create_async(...)``, no thread held while Twilio answers."""
    return Client(account_sid, auth_token, http_client=AsyncHttpClient(api_url))
