"""A ``pywa.WhatsApp`` client for the Cloud API, optionally pointed at another Graph API host, and the webhook check.

pywa fixes its base URL to ``https://graph.facebook.com/v{version}`` (``pywa.api.GraphAPI`` sets it on the session),
but it takes the ``httpx.Client`` to use (``WhatsApp(session=...)``, documented for proxies and timeouts). So to
reach another host we hand it a client whose requests to ``https://graph.facebook.com`` go through a transport that
sends them to ``api_url`` instead, path and query unchanged; any other URL (media downloads) is left alone.
``whatsapp_async_client`` does the same for ``pywa_async.WhatsApp`` (``httpx.AsyncClient``).

pywa logs every request body and every raw update at DEBUG (phone numbers, message texts): its loggers are held at
INFO here, whatever the root level, so personal data never reaches a log.
"""

import logging

import httpx
import pywa_async
from pywa import WhatsApp
from pywa.utils import webhook_updates_validator

GRAPH_API_URL = "https://graph.facebook.com"
SIGNATURE_PREFIX = "sha256="
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class _GraphApiElsewhere(httpx.BaseTransport):
    """Sends each request to ``api_url`` (scheme, host, port and a path prefix) instead of the Graph API host."""

    def __init__(self, api_url: str):
        target = httpx.URL(api_url)
        if target.scheme not in ("http", "https") or not target.host:
            raise ValueError("api_url must be an http(s) URL")
        self._target = target
        self._prefix = target.path.rstrip("/")
        self._inner = httpx.HTTPTransport()

    def aim(self, request: httpx.Request) -> None:
        target = self._target
        request.url = request.url.copy_with(
            scheme=target.scheme, host=target.host, port=target.port, path=self._prefix + request.url.path
        )
        request.headers["Host"] = target.netloc.decode("ascii")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.aim(request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class _GraphApiElsewhereAsync(httpx.AsyncBaseTransport):
    """The async twin of ``_GraphApiElsewhere``."""

    def __init__(self, api_url: str):
        self._redirect = _GraphApiElsewhere(api_url)
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._redirect.aim(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _quiet_pywa() -> None:
    for name in ("pywa", "pywa_async"):
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET (0) too: a DEBUG root must not open them up
            logger.setLevel(logging.INFO)


def _elsewhere(api_url: str | None) -> bool:
    return api_url is not None and api_url.rstrip("/") != GRAPH_API_URL


def whatsapp_client(
    phone_id: str,
    token: str,
    app_secret: str,
    api_url: str | None = None,
    *,
    verify_token: str | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
) -> WhatsApp:
    """A ``pywa.WhatsApp`` sending from ``phone_id`` with ``token``; ``api_url`` None means the real Graph API.

    Incoming updates are validated against ``app_secret`` (pywa's ``validate_updates``).
    """
    _quiet_pywa()
    mounts = {GRAPH_API_URL: _GraphApiElsewhere(api_url)} if _elsewhere(api_url) else None
    session = httpx.Client(timeout=timeout, mounts=mounts)
    return WhatsApp(
        phone_id=phone_id,
        token=token,
        session=session,
        app_secret=app_secret,
        verify_token=verify_token,
        validate_updates=True,
    )


def whatsapp_async_client(
    phone_id: str,
    token: str,
    app_secret: str,
    api_url: str | None = None,
    *,
    verify_token: str | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
) -> pywa_async.WhatsApp:
    """``whatsapp_client`` for asyncio: a ``pywa_async.WhatsApp`` on an ``httpx.AsyncClient``."""
    _quiet_pywa()
    mounts = {GRAPH_API_URL: _GraphApiElsewhereAsync(api_url)} if _elsewhere(api_url) else None
    session = httpx.AsyncClient(timeout=timeout, mounts=mounts)
    return pywa_async.WhatsApp(
        phone_id=phone_id,
        token=token,
        session=session,
        app_secret=app_secret,
        verify_token=verify_token,
        validate_updates=True,
    )


def signed_by_meta(body: bytes, header: str | None, app_secret: str) -> bool:
    """True when ``header`` (``X-Hub-Signature-256``) is ``sha256=<hex HMAC-SHA256 of body under app_secret>``.

    The comparison is pywa's own ``utils.webhook_updates_validator`` (``hmac.compare_digest``); a missing header,
    one without the ``sha256=`` prefix, or an empty app secret never passes.
    """
    if not header or not app_secret or not header.startswith(SIGNATURE_PREFIX):
        return False
    try:
        return webhook_updates_validator(app_secret=app_secret, request_body=body, x_hub_signature=header)
    except TypeError:  # a non-ASCII header: compare_digest refuses mixed str
        return False
