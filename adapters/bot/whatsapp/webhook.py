"""WhatsApp's webhook (Meta's Cloud API): every message to the trust's business number arrives here, signed.

``GET /whatsapp/webhook`` is Meta's verification handshake: ``hub.mode=subscribe`` and our verify token are answered
with ``hub.challenge`` (anything else: 403). ``POST /whatsapp/webhook`` reads only a body whose ``X-Hub-Signature-256``
is Meta's signature under our app secret (anything else gets 403 and changes nothing). Each message changes the
history at most once (its wamid is the message's key, so Meta's redeliveries record nothing again and are not answered
again). Each message is answered by the members' conversation (adapters.conversation), as on Telegram and by SMS:
JOIN, CONSENTS, MYDATA, VOTE, PANEL, LEAVE, FORGET, HELP, with reply buttons or a list where the choices fit
(adapters.bot.whatsapp.render). STOP stops the trust's messages on WhatsApp to that member and START starts them again
(recorded as the member stopping messages, never as withdrawing consent); unlike SMS, no carrier confirms a STOP on
WhatsApp, so the trust does.

Meta wants a quick 200 for every valid notification; the replies go separately, through the Cloud API (pywa's
client, ``DATATRUST_WHATSAPP_PHONE_ID`` and ``DATATRUST_WHATSAPP_TOKEN``), and a reply that cannot be sent leaves the
notification acknowledged all the same. (Replies are sent inside the request, a few at most; moving them to the
outbox would free the webhook sooner.)

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

from adapters.bot.whatsapp import render
from adapters.bot.whatsapp.client import signed_by_meta, whatsapp_client
from adapters.bot.whatsapp.notifications import dicts, values
from adapters.bot.whatsapp.render import Outgoing
from adapters.conversation.channels import WHATSAPP
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.conversation.texts import translator
from adapters.outbox import whatsapp_reports
from domain.kernel.errors import InvalidRequest
from domain.membership.addresses import checked_address

log = logging.getLogger(__name__)
blueprint = Blueprint("whatsapp", __name__)

UNDELIVERABLE = 131026  # the number is not a WhatsApp user, or cannot receive this message
REPLY_TIMEOUT = httpx.Timeout(8.0, connect=3.0)  # Meta waits a few seconds for the 200; replies stay brief

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
    answers = [a for m in messages(notification, svc.settings.whatsapp_phone_id) if (a := handle(svc, m)) is not None]
    # For the outbox: when members wrote (their 24-hour windows), and the announcements' statuses.
    whatsapp_reports.take_notification(svc, notification, svc.settings.whatsapp_phone_id)
    for wa_id, outgoing in answers:
        send(wa_id, outgoing)
    return Response("", status=200)


def messages(notification: Any, phone_id: str | None) -> list[dict[str, Any]]:
    """The users' messages in a notification (those to our business number when its id is set)."""
    return [message for value in values(notification, phone_id) for message in dicts(value.get("messages"))]


def said(message: dict[str, Any]) -> Said | None:
    """What the user wrote (a text's body) or picked (a reply button's or list row's id, a template button's payload).
    None for anything else (pictures, reactions...), which is only acknowledged."""
    wamid, kind = message.get("id"), message.get("type")
    content = message.get(kind) if isinstance(kind, str) else None
    if not isinstance(wamid, str) or not 0 < len(wamid) <= 180 or not isinstance(content, dict):
        return None
    key = f"whatsapp:{wamid}"
    if kind == "text":
        body = content.get("body")
        return Said(key=key, text=body) if isinstance(body, str) else None
    if kind == "interactive":
        reply = content.get(content.get("type")) if content.get("type") in ("button_reply", "list_reply") else None
        picked = reply.get("id") if isinstance(reply, dict) else None
    elif kind == "button":
        picked = content.get("payload")
    else:
        picked = None
    return Said(key=key, choice=picked) if isinstance(picked, str) and picked else None


def handle(svc, message: dict[str, Any]) -> tuple[str, list[Outgoing]] | None:  # type: ignore[no-untyped-def]
    """The message's effect, at most once per wamid, and what to send back (to whom, what), if anything."""
    wa_id, what = message.get("from"), said(message)
    if not isinstance(wa_id, str) or what is None:
        return None
    try:
        address = checked_address(WHATSAPP.network, f"+{wa_id}")
    except InvalidRequest:
        return None  # not a phone number a member could have: nothing recorded, nothing said
    answer = Conversation(svc, WHATSAPP).answer(address, what)
    return wa_id, render.messages(answer, translator(svc.settings.bot_language)("Choose"))


def send(wa_id: str, outgoing: list[Outgoing]) -> None:
    """Send the replies through the Cloud API; a failure is logged (never the number or the text) and swallowed."""
    client = sender()
    if client is None:
        log.warning("A WhatsApp reply was not sent: set DATATRUST_WHATSAPP_PHONE_ID and DATATRUST_WHATSAPP_TOKEN.")
        return
    for message in outgoing:
        try:
            client.send_message(to=wa_id, text=message.text, buttons=message.buttons)
        except WhatsAppError as error:
            log.warning("A WhatsApp reply was not sent: the Cloud API answered error %s.", error.code)
            return
        except Exception as error:  # noqa: BLE001 - the notification is acknowledged whatever happened to the reply
            log.warning("A WhatsApp reply was not sent (%s).", type(error).__name__)
            return


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
