"""A fake Twilio on 127.0.0.1: the REST Messages API and the webhooks Twilio posts, for the real twilio client.

    with FakeTwilio() as fake:
        client = twilio_client(fake.account_sid, fake.auth_token, api_url=fake.api_url)
        client.messages.create(to="+447700900123", from_="+447700900001", body="Hello")
        assert fake.messages_to("+447700900123")[0].segments == 1
        fake.inbound("+447700900123", "+447700900001", "STOP", url=webhook_url)  # signed as Twilio signs

REST (https://www.twilio.com/docs/messaging/api/message-resource): ``POST /2010-04-01/Accounts/{AccountSid}/
Messages.json`` form-encoded (To, From or MessagingServiceSid, Body, StatusCallback) answers 201 with the Message
resource (sid "SM" + 32 hex, status "queued", or "accepted" with a Messaging Service, num_segments as carriers count
them, dates in RFC 2822); ``GET .../Messages/{Sid}.json`` fetches one. Errors use Twilio's JSON body
``{"code", "message", "more_info", "status"}``, which twilio-python turns into ``TwilioRestException(code=...)``:

- 401 / 20003 "Authenticate": HTTP Basic auth missing or not this Account SID and auth token.
- 400 / 21604 "A 'To' phone number is required."; 21211 "The 'To' number X is not a valid phone number." (not
  E.164: + then 2 to 15 digits, no leading 0); 21603 "A 'From' or 'MessagingServiceSid' parameter is required to send
  a message."; 21212 for a From that is not E.164; 21602 "Message body is required."; 21617 "The concatenated message
  body exceeds the 1600 character limit." (Body is counted in characters, i.e. code points).
- 400 / 21610 "Attempt to send to unsubscribed recipient": the recipient texted a stop word (STOP, STOPALL,
  UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE) to that sender through the driver, until they text START, YES or
  UNSTOP (Twilio's default Advanced Opt-Out for long codes; Twilio's own confirmation reply is not modelled).
- 429 / 20429 "Too Many Requests": the sender's rate is exceeded (see below).

The sender rate. Real Twilio does NOT refuse a message over a sender's rate (a UK/US long code sends about 1
message SEGMENT per second): it accepts it (201, "queued") and holds it in that sender's queue; only when a From
number already has more than 10 hours' worth queued does it refuse new ones (400 / 21611), and a queued message that
waits too long fails later (30001 "Queue overflow", or 30036 past its ValidityPeriod) (https://www.twilio.com/docs/
api/errors/30001, /21611). Its 429 / 20429 "Too Many Requests" is for too many concurrent REST requests from the
account, never processed and safe to retry (https://www.twilio.com/docs/api/errors/20429). A queue cannot be seen by
a test, so this fake REFUSES instead, with 429 / 20429: each sender (From, or the MessagingServiceSid) has a token
bucket (``SenderRate``: ``per_second`` 1 and ``burst`` 1 by default, counting messages; ``per_segment=True`` counts
segments as Twilio does, a long message leaving the bucket in debt for as many seconds as it has segments);
``given_429`` counts the refusals. An outbox that paces each sender correctly never sees one, which is what tests of
our pacing assert.

Webhooks, signed with ``X-Twilio-Signature`` by twilio's own ``RequestValidator.compute_signature`` (HMAC-SHA1 with
the auth token over the URL followed by the POST fields sorted by name, base64) so the real validator accepts them:
- ``inbound()`` posts an incoming SMS (From, To, Body, MessageSid, SmsSid, SmsMessageSid, AccountSid, NumSegments,
  NumMedia "0", SmsStatus "received", ApiVersion) to the SMS URL; ``redeliver()`` posts it again with the same
  MessageSid and I-Twilio-Idempotency-Token, as Twilio does when it retries; ``signature="wrong"`` or ``"none"`` makes
  a mis-signed or unsigned one. A TwiML answer's ``<Message>`` elements are recorded as outbound replies.
- ``send_status()`` posts a delivery status callback (MessageSid, MessageStatus sent/delivered/undelivered/failed,
  ErrorCode when undelivered or failed, ...) to the message's StatusCallback; with ``auto_callbacks=True`` every
  accepted message with a StatusCallback gets "sent" then "delivered" on its own.
"""

import asyncio
import base64
import binascii
import itertools
import json
import re
import secrets
import socket
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from twilio.request_validator import RequestValidator

from adapters.bot.sms import segments as sms
from tests.fake_twilio.records import SentSms, WebhookPost
from tests.loopback import LoopbackServer

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fake-twilio-auth-token-0123456789"  # noqa: S105 - not a secret
API_VERSION = "2010-04-01"
MAX_BODY = 1600
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
STATUSES = ("queued", "sending", "sent", "delivered", "undelivered", "failed", "read")
# Error codes a callback carries by default: 30003 "Unreachable destination handset", 30008 "Unknown error".
DEFAULT_ERROR = {"undelivered": 30003, "failed": 30008}

Signature = Literal["valid", "wrong", "none"]


class TwilioError(Exception):
    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


@dataclass
class SenderRate:
    """A token bucket per sender: ``burst`` at once, refilled at ``per_second``; ``per_second`` None disables it.

    It counts messages, or segments with ``per_segment``: a message is admitted while the bucket holds a whole token
    and takes as many as it has segments, so a 3-segment message may leave it owing 2 seconds.
    """

    per_second: float | None = 1.0
    burst: float = 1.0
    per_segment: bool = False


@dataclass
class _Buckets:
    rate: SenderRate
    clock: Callable[[], float]
    given_429: Counter = field(default_factory=Counter)
    refused_at: list[float] = field(default_factory=list)  # seconds after the first message admitted
    _first: float | None = None
    _tokens: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, sender: str, segments: int) -> bool:
        if self.rate.per_second is None:
            return True
        with self._lock:
            now = self.clock()
            tokens, updated = self._tokens.get(sender, (self.rate.burst, now))
            tokens = min(self.rate.burst, tokens + (now - updated) * self.rate.per_second)
            if tokens < 1:
                self._tokens[sender] = (tokens, now)
                self.given_429[sender] += 1
                self.refused_at.append(now - (self._first if self._first is not None else now))
                return False
            self._first = now if self._first is None else self._first
            self._tokens[sender] = (tokens - (segments if self.rate.per_segment else 1), now)
            return True


def _now() -> str:
    return format_datetime(datetime.now(UTC).replace(microsecond=0))


def _sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


class FakeTwilio:
    """The fake REST API in a background thread, plus a driver playing the phones' and carriers' side."""

    def __init__(
        self,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        *,
        rate: SenderRate | None = None,
        clock: Callable[[], float] = time.monotonic,
        auto_callbacks: bool = False,
        sms_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.auto_callbacks = auto_callbacks
        self.sms_url = sms_url
        self._buckets = _Buckets(rate or SenderRate(), clock)
        self._validator = RequestValidator(auth_token)
        self._loopback = LoopbackServer("fake-twilio", host, port)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._tokens = itertools.count(1)
        self._messages: dict[str, SentSms] = {}
        self._inbound: dict[str, tuple[str, dict[str, str], str]] = {}
        self._opted_out: set[tuple[str, str]] = set()
        self.requests: list[tuple[str, str, dict[str, str], int]] = []
        self.webhook_posts: list[WebhookPost] = []
        self._callback_threads: list[threading.Thread] = []

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> "FakeTwilio":
        self._loopback.start(type("Handler", (_Handler,), {"fake": self}))
        return self

    def stop(self) -> None:
        for thread in list(self._callback_threads):
            thread.join(timeout=5)
        self._loopback.stop()

    def __enter__(self) -> "FakeTwilio":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._loopback.port

    @property
    def api_url(self) -> str:
        """What stands for https://api.twilio.com (see adapters.bot.sms.client.twilio_client)."""
        return self._loopback.base_url

    # ----------------------------------------------------------------- readers

    @property
    def messages(self) -> list[SentSms]:
        """Every message accepted, in order (outbound-api and TwiML replies)."""
        with self._lock:
            return list(self._messages.values())

    def messages_to(self, number: str) -> list[SentSms]:
        with self._lock:
            return [m for m in self._messages.values() if m.to == number]

    def message(self, sid: str) -> SentSms:
        with self._lock:
            return self._messages[sid]

    def wait_for_messages(self, number: str, count: int, timeout: float = 5.0) -> list[SentSms]:
        """Block until at least ``count`` messages went to ``number``; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(sent := self.messages_to(number)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(sent)} messages to that number, expected {count} within {timeout}s")
                self._changed.wait(remaining)
            return sent

    def wait_for_posts(self, count: int, kind: str | None = None, timeout: float = 5.0) -> list[WebhookPost]:
        """Block until at least ``count`` webhook posts (of ``kind`` if given) have been answered."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(posts := [p for p in self.webhook_posts if kind is None or p.kind == kind]) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(posts)} webhook posts, expected {count} within {timeout}s")
                self._changed.wait(remaining)
            return posts

    @property
    def given_429(self) -> int:
        return sum(self._buckets.given_429.values())

    @property
    def refused_at(self) -> list[float]:
        """When each refusal came, in seconds after the first message the bucket let through."""
        return list(self._buckets.refused_at)

    @property
    def given_429_by_sender(self) -> dict[str, int]:
        return dict(self._buckets.given_429)

    def opted_out(self, number: str, sender: str) -> bool:
        with self._lock:
            return (number, sender) in self._opted_out

    # ----------------------------------------------------------------- the phones' side (driver)

    def inbound(
        self,
        from_: str,
        to: str,
        body: str,
        *,
        url: str | None = None,
        sid: str | None = None,
        signature: Signature = "valid",
        timeout: float = 5.0,
    ) -> WebhookPost:
        """A phone ``from_`` texts ``body`` to our number ``to``: Twilio POSTs it to the SMS URL, signed."""
        url = url or self.sms_url
        if not url:
            raise ValueError("no SMS webhook URL: pass url= or set sms_url")
        sid = sid or _sid()
        params = {
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": body,
            "To": to,
            "NumSegments": str(sms.segments(body)),
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": from_,
            "ApiVersion": API_VERSION,
        }
        token = f"fake-{next(self._tokens)}-{sid}"
        with self._lock:
            self._inbound[sid] = (url, params, token)
            word = body.strip().upper()
            if word in STOP_WORDS:
                self._opted_out.add((from_, to))
            elif word in START_WORDS:
                self._opted_out.discard((from_, to))
        return self._post("inbound", url, params, token, signature, timeout)

    def redeliver(self, sid: str, *, signature: Signature = "valid", timeout: float = 5.0) -> WebhookPost:
        """Post an inbound message again, same MessageSid and idempotency token, as Twilio retries it."""
        with self._lock:
            url, params, token = self._inbound[sid]
        return self._post("inbound", url, params, token, signature, timeout)

    async def ainbound(self, *args: Any, **kwargs: Any) -> WebhookPost:
        return await asyncio.to_thread(self.inbound, *args, **kwargs)

    async def aredeliver(self, *args: Any, **kwargs: Any) -> WebhookPost:
        return await asyncio.to_thread(self.redeliver, *args, **kwargs)

    # ----------------------------------------------------------------- the carriers' side

    def send_status(
        self,
        sid: str,
        status: str,
        *,
        error_code: int | None = None,
        signature: Signature = "valid",
        timeout: float = 5.0,
    ) -> WebhookPost:
        """The message's status moves to ``status``; Twilio POSTs a status callback to its StatusCallback."""
        if status not in STATUSES:
            raise ValueError(f"unknown message status {status!r}")
        with self._changed:
            message = self._messages[sid]
            if not message.status_callback:
                raise ValueError("that message has no StatusCallback")
            if status in DEFAULT_ERROR:
                error_code = error_code or DEFAULT_ERROR[status]
            message.status = status
            message.statuses.append(status)
            message.error_code = error_code
            message.date_updated = _now()
            if status == "sent":
                message.date_sent = message.date_updated
            params = {
                "SmsSid": sid,
                "SmsStatus": status,
                "MessageStatus": status,
                "To": message.to,
                "MessageSid": sid,
                "AccountSid": self.account_sid,
                "From": message.from_ or "",
                "ApiVersion": API_VERSION,
            }
            if message.messaging_service_sid:
                params["MessagingServiceSid"] = message.messaging_service_sid
            if error_code is not None:
                params["ErrorCode"] = str(error_code)
            url = message.status_callback
            self._changed.notify_all()
        return self._post("status", url, params, f"fake-{next(self._tokens)}-{sid}", signature, timeout)

    async def asend_status(self, *args: Any, **kwargs: Any) -> WebhookPost:
        return await asyncio.to_thread(self.send_status, *args, **kwargs)

    def sign(self, url: str, params: dict[str, str]) -> str:
        """X-Twilio-Signature for a form POST of ``params`` to ``url``, computed by twilio's own validator."""
        return self._validator.compute_signature(url, params)

    def _post(
        self, kind: str, url: str, params: dict[str, str], token: str, signature: Signature, timeout: float
    ) -> WebhookPost:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": token,
        }
        signed: str | None = None
        if signature == "valid":
            signed = self.sign(url, params)
        elif signature == "wrong":
            signed = RequestValidator("not-" + self.auth_token).compute_signature(url, params)
        if signed is not None:
            headers["X-Twilio-Signature"] = signed
        request = urllib.request.Request(  # noqa: S310 - the test's own webhook URL
            url, data=urlencode(params).encode(), method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, content = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, content = exc.code, exc.read().decode("utf-8", "replace")
        post = WebhookPost(kind, url, dict(params), signed, token, status, content)
        with self._changed:
            self.webhook_posts.append(post)
            if kind == "inbound" and 200 <= status < 300:
                self._twiml_replies(params, content)
            self._changed.notify_all()
        return post

    def _twiml_replies(self, inbound: dict[str, str], content: str) -> None:
        """Record each <Message> of a TwiML answer as the reply Twilio would send back."""
        if "<Response" not in content:
            return
        try:
            root = ET.fromstring(content)  # noqa: S314 - the application's own answer
        except ET.ParseError:
            return
        for element in root.iter("Message"):
            text = "".join(element.itertext()) if element.find("Body") is None else element.findtext("Body") or ""
            self._accept(
                to=element.get("to") or inbound["From"],
                from_=element.get("from") or inbound["To"],
                service=None,
                body=text,
                callback=element.get("statusCallback"),
                direction="outbound-reply",
            )

    # ----------------------------------------------------------------- HTTP entry point

    def handle(self, http_method: str, path: str, headers: Any, body: bytes) -> tuple[int, bytes]:
        url = urlsplit(path)
        params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)) if body else {}
        status = 500
        try:
            match = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages(?:/([^/]+))?\.json", url.path)
            if not match:
                raise TwilioError(404, 20404, f"The requested resource {url.path} was not found")
            account, message_sid = match.groups()
            self._authenticate(headers.get("Authorization", ""), account)
            if http_method == "POST" and message_sid is None:
                result, status = self._create(params), 201
            elif http_method == "GET" and message_sid is not None:
                with self._lock:
                    if message_sid not in self._messages:
                        raise TwilioError(404, 20404, f"The requested resource {url.path} was not found")
                    result, status = self._messages[message_sid].as_json(), 200
            else:
                raise TwilioError(405, 20004, "Method not allowed")
        except TwilioError as error:
            result, status = error.body(), error.status
        finally:
            with self._lock:
                self.requests.append((http_method, url.path, params, status))
        return status, json.dumps(result).encode()

    def _authenticate(self, header: str, account: str) -> None:
        scheme, _, encoded = header.partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = password = ""
        if scheme.lower() != "basic" or (user, password) != (self.account_sid, self.auth_token):
            raise TwilioError(401, 20003, "Authenticate")
        if account != self.account_sid:
            raise TwilioError(404, 20404, f"The requested resource /2010-04-01/Accounts/{account} was not found")

    def _create(self, params: dict[str, str]) -> dict[str, Any]:
        to = params.get("To", "")
        from_ = params.get("From") or None
        service = params.get("MessagingServiceSid") or None
        body = params.get("Body", "")
        if not to:
            raise TwilioError(400, 21604, "A 'To' phone number is required.")
        if not E164.match(to):
            raise TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if from_ is None and service is None:
            raise TwilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.")
        if from_ is not None and not E164.match(from_):
            raise TwilioError(
                400,
                21212,
                f"The 'From' number {from_} is not a valid phone number, shortcode, or alphanumeric sender ID.",
            )
        if not body:
            raise TwilioError(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY:
            raise TwilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if from_ is not None and self.opted_out(to, from_):
            raise TwilioError(400, 21610, "Attempt to send to unsubscribed recipient")
        if not self._buckets.admit(from_ or service or "", sms.segments(body)):
            raise TwilioError(429, 20429, "Too Many Requests")
        message = self._accept(to, from_, service, body, params.get("StatusCallback") or None, "outbound-api")
        return message.as_json()

    def _accept(
        self, to: str, from_: str | None, service: str | None, body: str, callback: str | None, direction: str
    ) -> SentSms:
        now = _now()
        message = SentSms(
            sid=_sid(),
            account_sid=self.account_sid,
            to=to,
            from_=from_,
            messaging_service_sid=service,
            body=body,
            encoding=sms.encoding(body),
            segments=sms.segments(body),
            status="accepted" if from_ is None else "queued",
            date_created=now,
            date_updated=now,
            direction=direction,
            status_callback=callback,
        )
        message.statuses.append(message.status)
        with self._changed:
            self._messages[message.sid] = message
            self._changed.notify_all()
        if self.auto_callbacks and callback:
            thread = threading.Thread(target=self._deliver, args=(message.sid,), name="fake-twilio-callbacks")
            self._callback_threads.append(thread)
            thread.start()
        return message

    def _deliver(self, sid: str) -> None:
        for status in ("sent", "delivered"):
            try:
                self.send_status(sid, status)
            except OSError:
                return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    fake: FakeTwilio

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _dispatch(self, http_method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload = self.fake.handle(http_method, self.path, self.headers, body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="Twilio API"')
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from http.server
        pass
