"""A fake of Meta's WhatsApp Cloud API (the Graph API ``/messages`` edge) on 127.0.0.1, plus a webhook driver.

    with FakeWhatsApp(templates=[ApprovedTemplate("renewal", "en_GB", body_params=1)]) as fake:
        wa = whatsapp_client(fake.phone_number_id, fake.token, fake.app_secret, api_url=fake.api_url)
        mary = fake.contact("Mary")
        fake.user_sends_text(mary, "hello")        # opens the 24-hour customer service window
        wa.send_message(mary.wa_id, "Welcome")     # accepted: {"messages": [{"id": "wamid..."}]}
        fake.push(webhook_url)                     # statuses (sent, delivered / failed) and user messages, signed

Sending: ``POST /v{version}/{phone-number-id}/messages`` with ``Authorization: Bearer <token>`` and a JSON body
(``messaging_product: "whatsapp"``, ``recipient_type``, ``to``, ``type`` text | interactive | template). Errors
answer in the Graph API shape ``{"error": {"message": "(#code) title", "type": "OAuthException", "code": ...,
"error_data": {"messaging_product": "whatsapp", "details": ...}, "fbtrace_id": ...}}``.

What the fake enforces, as Meta documents it (developers.facebook.com/documentation/business-messaging/whatsapp/
support/error-codes and the messages reference):
- a wrong or missing token: 401, code 190;
- text body at most 4096 characters (400, code 100, as Graph reports a too-long param);
- interactive body at most 1024; reply buttons 1 to 3, title 1 to 20, ids unique and at most 256; lists: 1 to 10
  sections, at most 10 rows in total, row title 1 to 24, row id unique and at most 200, description at most 72,
  button label 1 to 20: 400, code 131009 "Parameter value is not valid" with Meta's details text;
- templates: name and language among the approved ones (404, code 132001), the body parameter count (400, 132000);
- the throughput per phone number id (default 80 messages a second, sliding one-second window): 400, code 130429
  "Rate limit hit";
- the 24-hour customer service window: a free-form (text/interactive) message to a user who has not written in the
  last 24 hours is ACCEPTED (200 with a wamid) and then reported ``failed`` with error 131047 "Re-engagement
  message" in the status webhook; templates go outside the window. A number that is not a WhatsApp user fails the
  same way with 131026.
The clock is the test's: pass ``clock=FakeClock()`` and ``advance()`` it.
"""

import hashlib
import hmac
import itertools
import json
import re
import secrets
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_whatsapp.records import ApprovedTemplate, FakeContact, SentMessage, WebhookDelivery
from tests.loopback import LoopbackServer

DEFAULT_TOKEN = "EAAFakeWhatsAppCloudApiTokenForTests0123456789"  # noqa: S105 - not a secret
DEFAULT_APP_SECRET = "fake-whatsapp-app-secret-0123456789abcdef"  # noqa: S105 - not a secret
DEFAULT_PHONE_NUMBER_ID = "106540352242922"
DEFAULT_DISPLAY_PHONE_NUMBER = "15550783881"
DEFAULT_WABA_ID = "102290129340398"
DEFAULT_MPS = 80
SERVICE_WINDOW = 24 * 60 * 60
MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_HEADER_FOOTER = 60
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_SECTIONS = 10
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_ID = 200
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
FREE_FORM = frozenset({"text", "interactive"})
SUPPORTED = FREE_FORM | {"template"}
ERROR_DOCS = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
SEND_FAILURES = {
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    ),
    131026: ("Message undeliverable", "Message Undeliverable."),
}


class FakeClock:
    """Seconds since the epoch that only move when the test says so."""

    def __init__(self, start: float | None = None):
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class GraphError(Exception):
    """An error answer of the Graph API."""

    def __init__(self, status: int, code: int, title: str, details: str | None = None, *, subcode: int | None = None):
        super().__init__(title)
        self.status, self.code, self.title, self.details, self.subcode = status, code, title, details, subcode

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": f"(#{self.code}) {self.title}", "type": "OAuthException", "code": self.code}
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["fbtrace_id"] = secrets.token_urlsafe(16)
        return {"error": error}


def _invalid(details: str) -> GraphError:
    return GraphError(400, 131009, "Parameter value is not valid", details)


def _missing(details: str) -> GraphError:
    return GraphError(400, 131008, "Required parameter is missing", details)


def _length(value: Any, low: int, high: int, what: str) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise _invalid(f"{what} length invalid. Min length: {low}, Max length: {high}")


class FakeWhatsApp:
    """The fake Cloud API: an HTTP server in a thread, plus a Python API to play the users' side and Meta's webhooks."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        app_secret: str = DEFAULT_APP_SECRET,
        phone_number_id: str = DEFAULT_PHONE_NUMBER_ID,
        display_phone_number: str = DEFAULT_DISPLAY_PHONE_NUMBER,
        waba_id: str = DEFAULT_WABA_ID,
        templates: Iterable[ApprovedTemplate] = (),
        mps: int = DEFAULT_MPS,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.token = token
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.waba_id = waba_id
        self.clock = clock
        self.templates: list[ApprovedTemplate] = list(templates)
        self._phone_numbers: dict[str, str] = {phone_number_id: display_phone_number}
        self._mps: dict[str, int] = {phone_number_id: mps}
        self._default_mps = mps
        self._admitted: dict[str, deque[float]] = {}
        self._loopback = LoopbackServer("fake-whatsapp", host, port)
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._contacts: dict[str, FakeContact] = {}
        self._last_inbound: dict[tuple[str, str], float] = {}
        self._sent: list[SentMessage] = []
        self._by_wamid: dict[str, SentMessage] = {}
        self._pending: list[bytes] = []
        self._notifications: dict[str, bytes] = {}
        self.requests: list[tuple[str, Any]] = []
        self.deliveries: list[WebhookDelivery] = []
        self.given_130429 = 0

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> "FakeWhatsApp":
        self._loopback.start(type("Handler", (_Handler,), {"fake": self}))
        return self

    def stop(self) -> None:
        self._loopback.stop()

    def __enter__(self) -> "FakeWhatsApp":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """The Graph API base (scheme, host, port) to use instead of https://graph.facebook.com."""
        return self._loopback.base_url

    # ----------------------------------------------------------------- set-up

    def phone_number(self, phone_number_id: str, display_phone_number: str, *, mps: int | None = None) -> None:
        """Another business phone number on the account."""
        with self._lock:
            self._phone_numbers[phone_number_id] = display_phone_number
            self._mps[phone_number_id] = self._default_mps if mps is None else mps

    def set_throughput(self, mps: int, phone_number_id: str | None = None) -> None:
        with self._lock:
            self._mps[phone_number_id or self.phone_number_id] = mps

    def approve(self, template: ApprovedTemplate) -> None:
        with self._lock:
            self.templates.append(template)

    def contact(self, name: str, wa_id: str | None = None) -> FakeContact:
        """A WhatsApp user (a UK mobile number in digits unless given)."""
        with self._lock:
            contact = FakeContact(wa_id or f"4477009{next(self._ids):05d}", name)
            self._contacts[contact.wa_id] = contact
            return contact

    # ----------------------------------------------------------------- the users' side (queued webhooks)

    def user_sends_text(self, contact: FakeContact, text: str, *, phone_number_id: str | None = None) -> str:
        """The user writes to the business: opens the 24-hour window and queues the message notification."""
        return self._inbound(contact, phone_number_id, {"type": "text", "text": {"body": text}})

    def user_presses(self, contact: FakeContact, message: SentMessage, button_id: str) -> str:
        """The user taps a reply button of ``message`` (an interactive ``button_reply``)."""
        titles = dict(message.buttons)
        if button_id not in titles:
            raise ValueError("no such reply button on that message")
        reply = {"type": "button_reply", "button_reply": {"id": button_id, "title": titles[button_id]}}
        return self._inbound(contact, message.phone_number_id, {"type": "interactive", "interactive": reply}, message)

    def user_picks(self, contact: FakeContact, message: SentMessage, row_id: str) -> str:
        """The user picks a row of the list ``message`` (an interactive ``list_reply``)."""
        rows = {
            r["id"]: r
            for s in message.payload.get("interactive", {}).get("action", {}).get("sections", [])
            for r in s["rows"]
        }
        if row_id not in rows:
            raise ValueError("no such row on that message")
        picked = {k: rows[row_id][k] for k in ("id", "title", "description") if k in rows[row_id]}
        reply = {"type": "list_reply", "list_reply": picked}
        return self._inbound(contact, message.phone_number_id, {"type": "interactive", "interactive": reply}, message)

    def user_taps_template_button(self, contact: FakeContact, message: SentMessage, payload: str, text: str) -> str:
        """The user taps a quick-reply button of a template (type ``button``)."""
        if message.type != "template":
            raise ValueError("not a template message")
        button = {"type": "button", "button": {"payload": payload, "text": text}}
        return self._inbound(contact, message.phone_number_id, button, message)

    def user_reads(self, message: SentMessage) -> None:
        """The user opens the message: a ``read`` status is queued."""
        with self._lock:
            self._status(message, "read")

    def _inbound(
        self,
        contact: FakeContact,
        phone_number_id: str | None,
        content: dict[str, Any],
        replying: SentMessage | None = None,
    ) -> str:
        with self._lock:
            phone_number_id = phone_number_id or self.phone_number_id
            now = self.clock()
            wamid = self._wamid()
            message: dict[str, Any] = {"from": contact.wa_id, "id": wamid, "timestamp": str(int(now))}
            if replying is not None:
                message["context"] = {"from": self._phone_numbers[phone_number_id], "id": replying.wamid}
            message.update(content)
            value = {"contacts": [contact.as_contact()], "messages": [message]}
            body = self._notification(phone_number_id, value)
            self._last_inbound[(phone_number_id, contact.wa_id)] = now
            self._notifications[wamid] = body
            self._pending.append(body)
            return wamid

    # ----------------------------------------------------------------- webhook driver

    def notification(self, value: dict[str, Any], phone_number_id: str | None = None) -> bytes:
        """A raw notification body in Meta's shape around ``value`` (contacts/messages/statuses)."""
        return self._notification(phone_number_id or self.phone_number_id, value)

    def _notification(self, phone_number_id: str, value: dict[str, Any]) -> bytes:
        metadata = {"display_phone_number": self._phone_numbers[phone_number_id], "phone_number_id": phone_number_id}
        change = {"value": {"messaging_product": "whatsapp", "metadata": metadata, **value}, "field": "messages"}
        envelope = {"object": "whatsapp_business_account", "entry": [{"id": self.waba_id, "changes": [change]}]}
        return json.dumps(envelope).encode()

    def sign(self, body: bytes, secret: str | None = None) -> str:
        """``X-Hub-Signature-256``: sha256= and the hex HMAC-SHA256 of the raw body under the app secret."""
        key = (self.app_secret if secret is None else secret).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Notifications queued for the webhook, decoded."""
        with self._lock:
            return [json.loads(body) for body in self._pending]

    def push(self, url: str, timeout: float = 5.0) -> list[int]:
        """POST the queued notifications in order, signed; returns the statuses.

        A notification answered 2xx is done; otherwise it stays queued and pushing stops (Meta retries later).
        """
        statuses: list[int] = []
        while True:
            with self._lock:
                if not self._pending:
                    return statuses
                body = self._pending[0]
            status = self.post(url, body, timeout=timeout)
            statuses.append(status)
            if not 200 <= status < 300:
                return statuses
            with self._lock:
                if self._pending and self._pending[0] is body:
                    self._pending.pop(0)

    def redeliver(self, url: str, wamid: str, timeout: float = 5.0) -> int:
        """POST again, byte for byte and signed, the notification that carried the user's message ``wamid``."""
        with self._lock:
            body = self._notifications[wamid]
        return self.post(url, body, timeout=timeout)

    def post(self, url: str, body: bytes, *, signature: str | None = "valid", timeout: float = 5.0) -> int:
        """POST ``body`` and return the HTTP status (0 when nothing answered).

        ``signature`` "valid" signs it with the app secret, None sends no header, anything else is sent as the header.
        """
        header = self.sign(body) if signature == "valid" else signature
        request = urllib.request.Request(  # noqa: S310 - the test's own webhook URL
            url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        if header is not None:
            request.add_header("X-Hub-Signature-256", header)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:  # refused, reset or timed out: no answer, so Meta will retry
            status = 0
        with self._lock:
            self.deliveries.append(WebhookDelivery(url, body, header, status))
        return status

    @staticmethod
    def verify(url: str, verify_token: str, challenge: str | None = None, timeout: float = 5.0) -> tuple[int, str]:
        """Meta's GET handshake: hub.mode=subscribe, hub.verify_token, hub.challenge; returns (status, body).

        Meta accepts the endpoint when it answers 200 with the challenge as the whole body.
        """
        challenge = challenge or str(secrets.randbelow(10**9))
        query = urllib.parse.urlencode(
            {"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": challenge}
        )
        separator = "&" if "?" in url else "?"
        try:
            with urllib.request.urlopen(f"{url}{separator}{query}", timeout=timeout) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    # ----------------------------------------------------------------- readers

    def messages_to(self, contact: FakeContact | str) -> list[SentMessage]:
        wa_id = contact.wa_id if isinstance(contact, FakeContact) else _digits(contact)
        with self._lock:
            return [m for m in self._sent if m.to == wa_id]

    def message(self, wamid: str) -> SentMessage:
        with self._lock:
            return self._by_wamid[wamid]

    @property
    def sent(self) -> list[SentMessage]:
        with self._lock:
            return list(self._sent)

    def in_window(self, contact: FakeContact, phone_number_id: str | None = None) -> bool:
        with self._lock:
            last = self._last_inbound.get((phone_number_id or self.phone_number_id, contact.wa_id))
            return last is not None and self.clock() - last < SERVICE_WINDOW

    # ----------------------------------------------------------------- HTTP entry point

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, bytes]:
        url = urlsplit(path)
        try:
            token = _bearer(headers.get("Authorization")) or parse_qs(url.query).get("access_token", [None])[0]
            if token != self.token:
                raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")
            match = re.fullmatch(r"/v\d+\.\d+/([^/]+)/messages", url.path)
            if method != "POST" or not match or match.group(1) not in self._phone_numbers:
                object_id = url.path.strip("/").split("/")[1] if url.path.count("/") >= 2 else url.path
                raise GraphError(
                    400,
                    100,
                    f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, cannot be "
                    "loaded due to missing permissions, or does not support this operation.",
                    subcode=33,
                )
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                raise GraphError(400, 100, "Invalid parameter", "The request body is not valid JSON.") from None
            with self._lock:
                self.requests.append((url.path, data))
            return 200, json.dumps(self._send(match.group(1), data)).encode()
        except GraphError as error:
            return error.status, json.dumps(error.body()).encode()

    def _send(self, phone_number_id: str, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise GraphError(400, 100, "Invalid parameter", "The request body must be a JSON object.")
        if data.get("messaging_product") != "whatsapp":
            raise GraphError(400, 100, "Invalid parameter", "The parameter messaging_product is required.")
        to = data.get("to")
        if not to or not isinstance(to, str):
            raise _missing("The parameter to is required.")
        if data.get("recipient_type", "individual") != "individual":
            raise _invalid("Param recipient_type must be individual.")
        typ = data.get("type", "text")
        if typ not in SUPPORTED:
            raise GraphError(400, 131051, "Unsupported message type", f"Message type {typ} is not supported here.")
        content = data.get(typ)
        if not isinstance(content, dict):
            raise _missing(f"The parameter {typ} is required.")
        if typ == "text":
            _check_text(content)
        elif typ == "interactive":
            _check_interactive(content)
        with self._lock:
            if typ == "template":
                self._check_template(content)
            self._admit(phone_number_id)
            wa_id = _digits(to)
            message = SentMessage(self._wamid(), phone_number_id, wa_id, typ, data, self.clock())
            self._sent.append(message)
            self._by_wamid[message.wamid] = message
            if wa_id not in self._contacts:
                self._status(message, "failed", 131026)
            elif typ in FREE_FORM and not self.in_window(self._contacts[wa_id], phone_number_id):
                self._status(message, "failed", 131047)
            else:
                self._status(message, "sent")
                self._status(message, "delivered")
            return {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": wa_id}],
                "messages": [{"id": message.wamid}],
            }

    def _check_template(self, template: dict[str, Any]) -> None:
        name = template.get("name")
        language = template.get("language") or {}
        code = language.get("code") if isinstance(language, dict) else None
        if not name or not code:
            raise _missing("The parameters template.name and template.language.code are required.")
        approved = next((t for t in self.templates if (t.name, t.language) == (name, code)), None)
        if approved is None:
            raise GraphError(
                404,
                132001,
                "Template name does not exist in the translation",
                f"template name ({name}) does not exist in {code}",
            )
        given = sum(
            len(c.get("parameters") or [])
            for c in template.get("components") or []
            if str(c.get("type", "")).lower() == "body"
        )
        if given != approved.body_params:
            raise GraphError(
                400,
                132000,
                "Number of parameters does not match the expected number of params",
                f"body: number of localizable_params ({given}) does not match the expected number of params "
                f"({approved.body_params})",
            )

    def _admit(self, phone_number_id: str) -> None:
        now = self.clock()
        sent = self._admitted.setdefault(phone_number_id, deque())
        while sent and sent[0] <= now - 1.0:
            sent.popleft()
        if len(sent) >= self._mps[phone_number_id]:
            self.given_130429 += 1
            raise GraphError(
                400,
                130429,
                "Rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number in a short "
                "period of time",
            )
        sent.append(now)

    def _status(self, message: SentMessage, status: str, error_code: int | None = None) -> None:
        entry: dict[str, Any] = {
            "id": message.wamid,
            "status": status,
            "timestamp": str(int(self.clock())),
            "recipient_id": message.to,
        }
        contact = self._contacts.get(message.to)
        if contact is not None:
            entry["recipient_user_id"] = contact.user_id
        if error_code is not None:
            title, details = SEND_FAILURES[error_code]
            error = {
                "code": error_code,
                "title": title,
                "message": title,
                "error_data": {"details": details},
                "href": ERROR_DOCS,
            }
            entry["errors"] = [error]
            message.errors.append(error)
        elif status == "sent":
            category = "utility" if message.type == "template" else "service"
            entry["conversation"] = {"id": secrets.token_hex(16), "origin": {"type": category}}
            entry["pricing"] = {"billable": message.type == "template", "pricing_model": "PMP", "category": category}
        message.statuses.append(status)
        # pywa 4.5 (which follows the webhook reference with business-scoped user ids) reads the recipient from a
        # ``contacts`` array beside ``statuses``.
        recipient = contact.as_contact() if contact is not None else {"wa_id": message.to, "user_id": ""}
        recipient.pop("profile", None)
        value = {"contacts": [recipient], "statuses": [entry]}
        self._pending.append(self._notification(message.phone_number_id, value))

    def _wamid(self) -> str:
        return "wamid.HBgM" + secrets.token_hex(16).upper()


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _bearer(header: str | None) -> str | None:
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def _check_text(text: dict[str, Any]) -> None:
    body = text.get("body")
    if not isinstance(body, str) or not body:
        raise _missing("The parameter text['body'] is required.")
    if len(body) > MAX_TEXT:
        raise GraphError(
            400, 100, "Invalid parameter", f"Param text['body'] must be at most {MAX_TEXT} characters long."
        )


def _check_interactive(interactive: dict[str, Any]) -> None:
    kind = interactive.get("type")
    body = (interactive.get("body") or {}).get("text")
    if body is None:
        raise _missing("The parameter interactive['body'] is required.")
    _length(body, 1, MAX_INTERACTIVE_BODY, "Body text")
    for part in ("header", "footer"):
        if part in interactive and (interactive[part] or {}).get("type", "text") == "text":
            _length(interactive[part].get("text"), 1, MAX_HEADER_FOOTER, f"{part.capitalize()} text")
    action = interactive.get("action") or {}
    if kind == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= MAX_BUTTONS:
            raise _invalid(f"Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: {MAX_BUTTONS}")
        ids = []
        for button in buttons:
            reply = button.get("reply") or {}
            _length(reply.get("title"), 1, MAX_BUTTON_TITLE, "Button title")
            _length(reply.get("id"), 1, MAX_BUTTON_ID, "Button id")
            ids.append(reply["id"])
        if len(set(ids)) != len(ids):
            raise _invalid("Button ids must be unique.")
    elif kind == "list":
        _length(action.get("button"), 1, MAX_LIST_BUTTON, "Button text")
        sections = action.get("sections") or []
        if not 1 <= len(sections) <= MAX_SECTIONS:
            raise _invalid(f"Invalid sections count. Min allowed sections: 1, Max allowed sections: {MAX_SECTIONS}")
        rows = [row for section in sections for row in section.get("rows") or []]
        if len(rows) > MAX_ROWS:
            raise _invalid(f"Total row count exceed max allowed count: {MAX_ROWS}")
        if len(sections) > 1 and not all(section.get("title") for section in sections):
            raise _missing("Section title is required when there is more than one section.")
        for row in rows:
            _length(row.get("title"), 1, MAX_ROW_TITLE, "Row title")
            _length(row.get("id"), 1, MAX_ROW_ID, "Row id")
            if "description" in row:
                _length(row["description"], 0, MAX_ROW_DESCRIPTION, "Row description")
        if len({row["id"] for row in rows}) != len(rows):
            raise _invalid("Row ids must be unique.")
    else:
        raise _invalid(f"Interactive type {kind} is not supported here.")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    fake: FakeWhatsApp

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload = self.fake.handle(method, self.path, self.headers, body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from http.server
        pass
