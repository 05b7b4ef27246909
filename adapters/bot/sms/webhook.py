"""Twilio's SMS webhook: every text to the trust's number arrives here, signed, and is answered
by the members' conversation (adapters.conversation) in the TwiML response.

Only a request Twilio signed (``X-Twilio-Signature``, checked with twilio's RequestValidator
against the URL Twilio was given) is read; anything else gets 403 and changes nothing. Each
message changes the history at most once (its MessageSid is the message's key, so Twilio's
retries and redeliveries record nothing and are not answered again). Everything a member can do
in the Telegram chat they can do here, in the same words: JOIN, CONSENTS, MYDATA, VOTE, PANEL,
LEAVE, FORGET, HELP, TERMS, with numbered choices ("1 I agree"). The carriers' STOP words stop
the trust's messages to that number and START words start them again (recorded as the member
stopping messages, never as withdrawing consent); after a STOP the carrier answers, not us.

A number that is not in international form (a short code, a name) is answered with nothing and
changes nothing. The number and the text are personal data: neither is logged."""

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from adapters.bot.sms import render
from adapters.conversation.channels import SMS
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from domain.kernel.errors import InvalidRequest
from domain.membership.addresses import checked_address

blueprint = Blueprint("sms", __name__)


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
    if not sid.startswith(("SM", "MM")) or len(sid) > 64:
        abort(400)
    try:
        address = checked_address(SMS.network, number)
    except InvalidRequest:
        return twiml([])  # not a phone number a member could have: nothing to say, nothing recorded
    return twiml(render.texts(Conversation(svc, SMS).answer(address, Said(key=f"twilio:{sid}", text=text))))


def twiml(texts: list[str]) -> Response:
    response = MessagingResponse()
    for text in texts:
        response.message(text)  # each at most two segments: adapters.bot.sms.render
    return Response(str(response), mimetype="application/xml")
