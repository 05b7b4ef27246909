"""Twilio's SMS webhook: every text to the trust's number arrives here, signed.

Only a request Twilio signed (``X-Twilio-Signature``, checked with twilio's RequestValidator
against the URL Twilio was given) is read; anything else gets 403 and changes nothing. Each
message changes the history at most once (its MessageSid is the request's key, so Twilio's
retries and redeliveries record nothing again). What this first step of the SMS channel does:

- the carriers' STOP words stop the trust's messages to that number, START words start them
  again (recorded as the member stopping messages, never as withdrawing consent);
- HELP (or INFO) answers what the number is for and how to stop messages or withdraw consent;
- anything else from a member's number is answered with what this number can do so far.

The number and the text are personal data: neither is logged."""

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from adapters.bot.inbound import HELP_WORDS, START_WORDS, STOP_WORDS, take_once
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError
from domain.store.once import AlreadyHandled

blueprint = Blueprint("sms", __name__)

SMS = "sms"
MEMBER_BY_SMS = Actor("member", "via sms")

STARTED = "You will get the data trust's messages here again. Your consents are as they were. Reply STOP to stop."
HELP = (
    "Data trust: this number sends members the trust's news. Reply STOP to stop messages (your consents "
    "stay as they are). To withdraw a consent, use the trust's chat or ask your caseworker."
)
NOT_YET = (
    "Data trust: by text this number can so far only stop (STOP) and start (START) messages. "
    "To give or withdraw consent, use the trust's chat or ask your caseworker. HELP for help."
)


def services():  # type: ignore[no-untyped-def]
    return current_app.extensions["datatrust"]


def signed_by_twilio(auth_token: str, webhook_url: str) -> bool:
    """The request carries Twilio's signature, under our auth token, of the URL Twilio was given
    (DATATRUST_TWILIO_WEBHOOK_URL, required to turn SMS on) and these fields. Never the address the
    request says it came to: behind a proxy, which ends TLS and may rewrite the host, that is not the
    one Twilio signed, and a request signed for another address is refused whatever Host it carries."""
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(signature) and RequestValidator(auth_token).validate(webhook_url, request.form, signature)


@blueprint.post("/sms/twilio")
def inbound():  # type: ignore[no-untyped-def]
    svc = services()
    if not signed_by_twilio(svc.settings.twilio_auth_token or "", svc.settings.twilio_webhook_url or ""):
        abort(403)
    sid, number, text = request.form.get("MessageSid", ""), request.form.get("From", ""), request.form.get("Body", "")
    if not sid.startswith(("SM", "MM")):
        abort(400)
    try:
        with svc.trust.once(f"twilio:{sid}"):
            reply = answer(svc, number, text)
    except AlreadyHandled:
        reply = None  # a retry of a message already handled: answered the first time
    return twiml(reply)


def answer(svc, number: str, text: str) -> str | None:  # type: ignore[no-untyped-def]
    """What the text does, and the reply (None: no reply, as after STOP, when carriers answer)."""
    word = text.strip().upper()
    try:
        member_id = svc.trust.member_for_address(SMS, number)
    except TrustError:
        member_id = None  # not a number in international form: a stranger
    if word in STOP_WORDS and member_id is not None:
        svc.trust.stop_messages(member_id, SMS, "stop-word", MEMBER_BY_SMS)
        return None
    if word in START_WORDS and member_id is not None:
        started = svc.trust.start_messages(member_id, SMS, MEMBER_BY_SMS)
        return STARTED if started else HELP  # (not stopped: what the number is for)
    take_once(svc.trust)  # a reply only: a retry of this message is not answered twice
    if word in STOP_WORDS:
        return None
    return HELP if word in HELP_WORDS else NOT_YET


def twiml(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply is not None:
        response.message(reply)  # each at most two segments: tests/unit/test_sms_replies.py
    return Response(str(response), mimetype="application/xml")
