"""The members' web portal: a member signs in with a one-time link (never a password), then
shares their data, changes their consents and sees who could and did read what.

The link (from a caseworker) opens a page with one button: only pressing it uses the link, so a
mail scanner fetching the address does not use it up. The session keeps the member's id, a
random session id and its times, as the organisation portal does; every request checks them
again, so a member who left or was erased, a session past its time, or one signed out (its id
recorded as ended on the server: domain.portal) opens nothing, even from a copy of the cookie."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import Blueprint, flash, g, redirect, request, session, url_for

from adapters.web.auth import ABSOLUTE_LIMIT, IDLE_LIMIT
from adapters.web.forms import ActionForm
from adapters.web.one_time import no_store
from adapters.web.pages import page, parse_uuid, services
from adapters.web.standard_forms import category_name, shared_in_words
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("portal", __name__, url_prefix="/portal")
ENDED = {
    "signed-out": "This session was signed out. Ask for a new sign-in link to come back.",
    "expired": "Your session ended after a while without use. Ask for a new sign-in link to come back.",
    "left": "Your membership has ended, so the portal is closed to you.",
}
CURRENT = ("active", "unconfirmed")


def _now() -> float:
    return datetime.now(UTC).timestamp()


@blueprint.before_app_request
def load_member() -> None:
    g.member = None
    member_id = parse_uuid(session.get("member_id"))
    if member_id is None:
        return
    now, session_id = _now(), session.get("member_session")
    why = None
    if not isinstance(session_id, str) or services().trust.member_session_ended(session_id):
        why = "signed-out"
    elif now - session.get("seen", 0) > IDLE_LIMIT.total_seconds() or (
        now - session.get("started", 0) > ABSOLUTE_LIMIT.total_seconds()
    ):
        why = "expired"
    else:
        try:
            card = services().views.member_card(member_id)
        except NotFound:
            card = None
        if card is None or card["status"] not in CURRENT:
            why = "left"
    if why:
        session.clear()
        g.member_ended = why
        return
    session["seen"] = now
    g.member = card


def signed_in_member(view: Callable) -> Callable:
    @wraps(view)
    def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
        if g.member is None:
            ended = getattr(g, "member_ended", None)
            return redirect(url_for("portal.signed_out", **({"ended": ended} if ended else {})))
        return view(*args, **kwargs)

    return guarded


@blueprint.route("/sign-in")
def signed_out():  # type: ignore[no-untyped-def]
    ended = ENDED.get(request.args.get("ended") or getattr(g, "member_ended", "") or "")
    return page("portal/sign_in.html", ended=ended)


@blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def sign_in(token: str):  # type: ignore[no-untyped-def]
    """GET: one button to sign in (the link is not used yet); POST: the link used, the session begun."""
    form = ActionForm()
    if form.validate_on_submit():
        try:
            begun = services().trust.sign_in_member_with_link(token)
        except TrustError as error:
            return no_store(page("portal/link_used.html", 404, message=str(error)))
        session.clear()
        now = _now()
        session.permanent = True
        session.update(member_id=str(begun.member_id), member_session=begun.session_id, started=now, seen=now)
        return redirect(url_for("portal.home"))
    return no_store(page("portal/sign_in_link.html", 400 if form.is_submitted() else 200, form=form))


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():  # type: ignore[no-untyped-def]
    form = ActionForm()
    if "member_id" in session and form.validate_on_submit():  # a staff or organisation session is left alone
        session_id, started = session.get("member_session"), session.get("started", 0)
        member_id = parse_uuid(session.get("member_id"))
        if isinstance(session_id, str) and member_id is not None:
            until = datetime.fromtimestamp(started, UTC) + ABSOLUTE_LIMIT + timedelta(minutes=1)
            services().trust.end_member_session(member_id, session_id, until)
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("portal.signed_out"))


@blueprint.route("")
@signed_in_member
def home():  # type: ignore[no-untyped-def]
    svc = services()
    standard = svc.catalogue.standard
    member_id = g.member["member_id"]
    return page(
        "portal/home.html",
        shared=shared_in_words(standard, svc.catalogue, svc.trust.shared_data(member_id)),
        categories={c: category_name(c) for c in standard.schemas if standard.for_member(c, g.member["kind"])},
        catalogue=svc.catalogue,
    )
