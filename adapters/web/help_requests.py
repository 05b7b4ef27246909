"""The caseworkers' queue of members who asked the trust for a person (/ask in the chat):
oldest first, each with the member's words, the channel they wrote on and how to reach them;
"Mark as handled" with an optional note (post/redirect/get). Opening the queue shows personal
data, so each member listed is a staff read, recorded before the page is sent."""

from uuid import UUID

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from adapters.web.auth import requires
from adapters.web.pages import acting_as, page, services
from adapters.web.staff_reads import record_reads
from domain.help.commands import MAX_MESSAGE
from domain.kernel.errors import TrustError

blueprint = Blueprint("help_requests", __name__, url_prefix="/members")
NETWORK_NAMES = {"telegram": "Telegram", "sms": "SMS", "whatsapp": "WhatsApp"}
PAGE = "help-queue"  # the staff read recorded (domain.staff.reads.PAGES)


class HandledForm(FlaskForm):
    request = IntegerField("Request", validators=[InputRequired("Say which request was handled.")])
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=MAX_MESSAGE, message=f"A note is at most {MAX_MESSAGE:,} characters.")],
    )


def ways_to_reach(personal: dict) -> list[str]:
    """How a caseworker can get back to the member, from what the trust holds (opened for this page)."""
    ways = []
    if personal.get("sms_number"):
        ways.append(f"text or call {personal['sms_number']}")
    if personal.get("whatsapp_number"):
        ways.append(f"WhatsApp {personal['whatsapp_number']}")
    if personal.get("contact"):
        ways.append(f"contact given: {personal['contact']}")
    return ways


@blueprint.app_context_processor
def open_help_count() -> dict:
    """The count beside "Asked for help" in a caseworker's navigation."""
    staff = g.get("staff")
    if not staff or "caseworker" not in staff["roles"]:
        return {}
    return {"open_help_count": services().views.open_help_count()}


@blueprint.route("/asked-for-help")
@requires("caseworker")
def queue():  # type: ignore[no-untyped-def]
    svc = services()
    showing = "handled" if request.args.get("show") == "handled" else "open"
    requests = svc.views.help_requests(showing)
    record_reads((r["member_id"] for r in requests), PAGE)
    for r in requests:
        r["reach"] = ways_to_reach(svc.trust.member_personal_data(r["member_id"]) or {})
    return page(
        "casework/help_requests.html", requests=requests, showing=showing, networks=NETWORK_NAMES, limit=MAX_MESSAGE
    )


@blueprint.route("/<uuid:member_id>/asked-for-help", methods=["POST"])
@requires("caseworker")
def handled(member_id: UUID):  # type: ignore[no-untyped-def]
    form = HandledForm()
    if not form.validate_on_submit():
        problems = [message for field in form for message in field.errors] or ["The form had expired; try again."]
        flash("Nothing was recorded: " + " ".join(problems), "error")
        return redirect(url_for("help_requests.queue"))
    try:
        services().trust.mark_help_handled(member_id, form.request.data, acting_as("caseworker"), form.note.data)
    except TrustError as error:
        flash(f"Nothing was recorded: {error}", "error")
    else:
        flash("Marked as handled." + (" Your note is kept with the request." if form.note.data else ""), "success")
    return redirect(url_for("help_requests.queue"))
