"""Twilio's delivery status callbacks for the announcements sent by SMS (adapters.outbox.sms asks
for them at DATATRUST_TWILIO_STATUS_URL, by default the SMS webhook's URL + "/status").

Only a request Twilio signed (``X-Twilio-Signature``, checked with twilio's RequestValidator
against that configured URL, never the one a request names) is read; anything else gets 403 and
records nothing. A final status (delivered, undelivered, failed) is recorded once against the
delivery whose MessageSid it names; a redelivered callback changes nothing. The number in the
callback is personal data: it is neither read nor logged."""

from flask import Blueprint, Response, abort, current_app, request

from adapters.bot.sms.webhook import signed_by_twilio

blueprint = Blueprint("sms_status", __name__)
SMS = "sms"


@blueprint.post("/sms/twilio/status")
def status():  # type: ignore[no-untyped-def]
    svc = current_app.extensions["datatrust"]
    settings = svc.settings
    if not signed_by_twilio(settings.twilio_auth_token or "", settings.sms_status_url or ""):
        abort(403)
    sid, reported = request.form.get("MessageSid", ""), request.form.get("MessageStatus", "")
    if not sid.startswith(("SM", "MM")) or len(sid) > 64 or not reported:
        abort(400)
    svc.trust.record_delivery_report(SMS, sid, reported, request.form.get("ErrorCode") or None)
    return Response("", status=204)
