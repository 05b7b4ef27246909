"""WhatsApp's webhook (Meta's Cloud API): every message to the trust's business number arrives here, signed.

``GET /whatsapp/webhook`` is Meta's verification handshake: ``hub.mode=subscribe`` and our verify token are answered
with ``hub.challenge`` (anything else: 403). ``POST /whatsapp/webhook`` reads only a body whose ``X-Hub-Signature-256``
is Meta's signature under our app secret (anything else gets 403 and changes nothing). Each message changes the
history at most once (its wamid is the request's key, so Meta's redeliveries record nothing again). What this first
step of the WhatsApp channel does, as the SMS one (adapters.bot.sms.webhook) does by text:

- the same STOP words stop the trust's messages on WhatsApp to that member, START words start them again (recorded
  as the member stopping messages, never as withdrawing consent);
- HELP (or INFO) is answered with what the number is for and how to stop messages or withdraw consent;
- any other text (a typed word, a reply button, a list row) is answered with what WhatsApp can do so far.

Meta wants a quick 200 for every valid notification; the replies go separately, through the Cloud API (pywa's
client, ``DATATRUST_WHATSAPP_PHONE_ID`` and ``DATATRUST_WHATSAPP_TOKEN``), and a reply that cannot be sent leaves the
notification acknowledged all the same. Unlike SMS, no carrier confirms a STOP on WhatsApp: the trust does.

The number and the text are personal data: neither is logged."""

import hmac
import json
import logging
import threading
from typing import Any

import httpx
from flask import Blueprint, Response, abort, current_app, request
from pywa import WhatsApp
from pywa.errors import WhatsAppError

from adapters.bot.inbound import HELP_WORDS, START_WORDS, STOP_WORDS, take_once
from adapters.bot.whatsapp.client import signed_by_meta, whatsapp_client
from adapters.outbox import whatsapp_reports
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError
from domain.store.once import AlreadyHandled

log = logging.getLogger(__name__)
blueprint = Blueprint("whatsapp", __name__)

WHATSAPP = "whatsapp"
MEMBER_BY_WHATSAPP = Actor("member", "via whatsapp")
UNDELIVERABLE = 131026  # the number is not a WhatsApp user, or cannot receive this message
REPLY_TIMEOUT = httpx.Timeout(8.0, connect=3.0)  # Meta waits a few seconds for the 200; replies stay brief

STOPPED = (
    "Data trust: you will get no more of the trust's messages on WhatsApp. Your consents are as they were. "
    "Send START to get them again."
)
STARTED = "You will get the data trust's messages here again. Your consents are as they were. Send STOP to stop."
HELP = (
    "Data trust: this WhatsApp number sends members the trust's news. Send STOP to stop messages (your consents "
    "stay as they are). To withdraw a consent, use the trust's chat or ask your caseworker."
)
NOT_YET = (
    "Data trust: on WhatsApp this number can so far only stop (STOP) and start (START) messages. "
    "To give or withdraw consent, use the trust's chat or ask your caseworker. HELP for help."
)

_client_lock = threading.Lock()


def services():  # type: ignore[no-untyped-def]
    return current_app.extensions["datatrust"]


@blueprint.get("/whatsapp/webhook")
def verify():  # type: ignore[no-untyped-def]
    """Meta's handshake: echo the challenge when the mode is subscribe and the verify token is ours."""
    ours = services().settings.whatsapp_verify_token or ""
    given = request.args.get("hub.verify_token", "")
    if not (ours and request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(given, ours)):
        abort(403)
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@blueprint.post("/whatsapp/webhook")
def notified():  # type: ignore[no-untyped-def]
    svc = services()
    body = request.get_data(cache=False)
    if not signed_by_meta(body, request.headers.get("X-Hub-Signature-256"), svc.settings.whatsapp_app_secret or ""):
        abort(403)
    try:
        notification = json.loads(body)
    except ValueError:
        abort(400)
    replies = [r for m in messages(notification, svc.settings.whatsapp_phone_id) if (r := handle(svc, m)) is not None]
    # For the outbox: when members wrote (their 24-hour windows), and the announcements' statuses.
    whatsapp_reports.take_notification(svc, notification, svc.settings.whatsapp_phone_id)
    for wa_id, reply in replies:
        send(wa_id, reply)
    return Response("", status=200)


def messages(notification: Any, phone_id: str | None) -> list[dict[str, Any]]:
    """The users' messages in a notification (those to our business number when its id is set)."""
    found: list[dict[str, Any]] = []
    if not isinstance(notification, dict) or notification.get("object") != "whatsapp_business_account":
        return found
    for entry in _dicts(notification.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if phone_id and metadata.get("phone_number_id") != phone_id:
                continue  # another number of the business account: not the trust's
            found.extend(_dicts(value.get("messages")))
    return found


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def words(message: dict[str, Any]) -> str | None:
    """What the user wrote or chose: a text's body, a reply button's or list row's id, a template button's payload.
    None for anything else (pictures, reactions...), which is only acknowledged."""
    kind = message.get("type")
    content = message.get(kind) if isinstance(kind, str) else None
    if not isinstance(content, dict):
        return None
    if kind == "text":
        said = content.get("body")
    elif kind == "interactive":
        reply = content.get(content.get("type")) if content.get("type") in ("button_reply", "list_reply") else None
        said = reply.get("id") if isinstance(reply, dict) else None
    elif kind == "button":
        said = content.get("payload")
    else:
        said = None
    return said if isinstance(said, str) else None


def handle(svc, message: dict[str, Any]) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """The message's effect, at most once per wamid, and the reply to send (to whom, what), if any."""
    wamid, wa_id, said = message.get("id"), message.get("from"), words(message)
    if not isinstance(wamid, str) or not 0 < len(wamid) <= 180 or not isinstance(wa_id, str) or said is None:
        return None
    try:
        with svc.trust.once(f"whatsapp:{wamid}"):
            reply = answer(svc, wa_id, said)
    except AlreadyHandled:
        return None  # a redelivery of a message already handled: answered the first time
    return wa_id, reply


def answer(svc, wa_id: str, text: str) -> str:  # type: ignore[no-untyped-def]
    """What the text does, and the reply."""
    word = text.strip().upper()
    try:
        member_id = svc.trust.member_for_address(WHATSAPP, f"+{wa_id}")
    except TrustError:
        member_id = None  # not a number in international form: a stranger
    if word in STOP_WORDS and member_id is not None:
        svc.trust.stop_messages(member_id, WHATSAPP, "stop-word", MEMBER_BY_WHATSAPP)
        return STOPPED
    if word in START_WORDS and member_id is not None:
        svc.trust.start_messages(member_id, WHATSAPP, MEMBER_BY_WHATSAPP)
        return STARTED
    take_once(svc.trust)  # a reply only: a redelivery of this message is not answered twice
    if word in STOP_WORDS:
        return STOPPED
    return HELP if word in HELP_WORDS else NOT_YET


def send(wa_id: str, text: str) -> None:
    """Send a reply through the Cloud API; a failure is logged (never the number or the text) and swallowed."""
    client = sender()
    if client is None:
        log.warning("A WhatsApp reply was not sent: set DATATRUST_WHATSAPP_PHONE_ID and DATATRUST_WHATSAPP_TOKEN.")
        return
    try:
        client.send_message(to=wa_id, text=text)
    except WhatsAppError as error:
        log.warning("A WhatsApp reply was not sent: the Cloud API answered error %s.", error.code)
    except Exception as error:  # noqa: BLE001 - the notification is acknowledged whatever happened to the reply
        log.warning("A WhatsApp reply was not sent (%s).", type(error).__name__)


def sender() -> WhatsApp | None:
    """The app's Cloud API client, made on first use (None without a phone id and a token)."""
    extensions = current_app.extensions
    with _client_lock:
        if "whatsapp_client" not in extensions:
            settings = extensions["datatrust"].settings
            extensions["whatsapp_client"] = (
                whatsapp_client(
                    settings.whatsapp_phone_id,
                    settings.whatsapp_token,
                    settings.whatsapp_app_secret,
                    settings.whatsapp_api_url,
                    timeout=REPLY_TIMEOUT,
                )
                if settings.whatsapp_phone_id and settings.whatsapp_token
                else None
            )
        return extensions["whatsapp_client"]
