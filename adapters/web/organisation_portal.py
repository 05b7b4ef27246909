"""The organisation portal: an organisation signs in with its API token, asks the
community (insight requests), follows the trustees' reviews and reads the anonymised
result. It never sees member ids, names, the panel's roster or another's requests.

The session keeps only the token's id, the organisation's id and a random session
id. Every request checks both ids again (as the API does), so a revoked token or a
suspended organisation is signed out at once, with a sentence saying why; signing
out records the session id as ended, so a copy of the cookie opens nothing."""

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from uuid import UUID

from flask import Blueprint, abort, flash, g, redirect, request, session, url_for

from adapters.web.auth import ABSOLUTE_LIMIT, IDLE_LIMIT
from adapters.web.insight_forms import (
    PortalSignInForm,
    draft_from_form,
    form_data_of,
    problems,
    request_form,
)
from adapters.web.pages import page, parse_uuid, services
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError
from domain.organisations.api_tokens import token_digest

blueprint = Blueprint("organisation", __name__, url_prefix="/organisation")
ENDED = {
    "revoked": "Your token has been revoked, so you were signed out. Ask the trustees for a new token.",
    "suspended": "Your organisation is suspended, so you were signed out. The trustees can tell you why.",
    "not-approved": "Your organisation is not approved, so you were signed out.",
    "expired": "Your session ended after a while without use. Sign in again with your token.",
    "signed-out": "This session was signed out. Sign in again with your token.",
}


def _now() -> float:
    return datetime.now(UTC).timestamp()


def _why_ended(token_id: UUID, organisation_id: UUID) -> str | None:
    """None if the token is live and its organisation approved; else why not."""
    views = services().views
    tokens = {t["token_id"]: t for t in views.api_tokens(organisation_id)}
    if token_id not in tokens or tokens[token_id]["revoked_rec"] is not None:
        return "revoked"
    status = views.organisation(organisation_id)["status"]
    return None if status == "approved" else ("suspended" if status == "suspended" else "not-approved")


@blueprint.before_app_request
def load_organisation() -> None:
    g.organisation = None
    token_id, organisation_id = parse_uuid(session.get("org_token_id")), parse_uuid(session.get("org_id"))
    if token_id is None or organisation_id is None:
        return
    now = _now()
    why = _why_ended(token_id, organisation_id)
    session_id = session.get("org_session")
    if not isinstance(session_id, str) or services().trust.portal_session_ended(session_id):
        why = "signed-out"
    if now - session.get("seen", 0) > IDLE_LIMIT.total_seconds() or (
        now - session.get("started", 0) > ABSOLUTE_LIMIT.total_seconds()
    ):
        why = "expired"
    if why:
        session.clear()
        g.organisation_ended = why
        return
    session["seen"] = now
    g.organisation = services().views.organisation(organisation_id)
    g.organisation_token = token_id


def signed_in_organisation(view: Callable) -> Callable:
    @wraps(view)
    def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
        if g.organisation is None:
            ended = getattr(g, "organisation_ended", None)
            return redirect(url_for("organisation.sign_in", **({"ended": ended} if ended else {})))
        return view(*args, **kwargs)

    return guarded


def acting() -> Actor:
    return Actor("organisation", f"portal token {g.organisation_token}")


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():  # type: ignore[no-untyped-def]
    form = PortalSignInForm()
    if form.validate_on_submit():
        holder = services().views.token_holder(token_digest(form.token.data.strip()))
        if holder is None or holder["revoked_rec"] is not None:
            form.token.errors = ["This token is not valid: it is unknown or has been revoked."]
        elif holder["status"] != "approved":
            form.token.errors = [f"Your organisation is {holder['status']}; it cannot use the portal now."]
        else:
            session.clear()
            now = _now()
            session.permanent = True
            session.update(org_token_id=str(holder["token_id"]), org_id=str(holder["organisation_id"]))
            session.update(started=now, seen=now, org_session=secrets.token_urlsafe(32))
            return redirect(url_for("organisation.requests"))
    ended = ENDED.get(request.args.get("ended") or getattr(g, "organisation_ended", "") or "")
    return page("organisation/sign_in.html", 400 if form.is_submitted() else 200, form=form, ended=ended)


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():  # type: ignore[no-untyped-def]
    if "org_id" in session:  # an organisation's session holds nothing else; a staff session is left alone
        session_id, started = session.get("org_session"), session.get("started", 0)
        if isinstance(session_id, str):
            until = datetime.fromtimestamp(started, UTC) + ABSOLUTE_LIMIT + timedelta(minutes=1)
            services().trust.end_portal_session(session_id, until)
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("organisation.sign_in"))


@blueprint.route("")
@signed_in_organisation
def requests():  # type: ignore[no-untyped-def]
    svc = services()
    mine = svc.views.insight_requests(organisation_id=g.organisation["organisation_id"])
    return page("organisation/requests.html", requests=mine, catalogue=svc.catalogue)


@blueprint.route("/requests/new", methods=["GET", "POST"])
@signed_in_organisation
def ask():  # type: ignore[no-untyped-def]
    svc = services()
    form = request_form(svc.catalogue)
    if form.is_submitted():
        valid = form.validate()
        draft = draft_from_form(form, valid)
        if draft is not None:
            try:
                request_id = svc.trust.submit_insight_request(
                    g.organisation["organisation_id"],
                    draft.title,
                    draft.purpose,
                    draft.questions,
                    draft.criteria,
                    draft.fee_offered_pence,
                    draft.closes_at,
                    acting(),
                )
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                flash("Request sent. The trustees will review it.", "success")
                return redirect(url_for("organisation.request_page", request_id=request_id))
    status = 400 if form.is_submitted() else 200
    return page("organisation/ask.html", status, form=form, problems=problems(form), revising=None)


def _theirs(request_id: UUID) -> dict:
    """The request, if it is this organisation's; otherwise 404 (as if it did not exist)."""
    found = services().views.insight_request(request_id)
    if found is None or found["organisation_id"] != g.organisation["organisation_id"]:
        abort(404)
    return found


@blueprint.route("/requests/<uuid:request_id>")
@signed_in_organisation
def request_page(request_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    return page("organisation/request.html", request=_theirs(request_id), catalogue=svc.catalogue)


@blueprint.route("/requests/<uuid:request_id>/revise", methods=["GET", "POST"])
@signed_in_organisation
def revise(request_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    current = _theirs(request_id)
    if current["status"] != "changes-requested":
        flash("Only a request the trustees asked you to change can be revised.", "error")
        return redirect(url_for("organisation.request_page", request_id=request_id))
    if request.method == "GET":
        form = request_form(svc.catalogue, **form_data_of(current))
    else:
        form = request_form(svc.catalogue)
        form.purpose.data = current["purpose"]  # the purpose stays as sent
    if form.is_submitted():
        valid = form.validate()
        draft = draft_from_form(form, valid)
        if draft is not None:
            try:
                svc.trust.revise_insight_request(request_id, actor=acting(), **draft.revision())
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                flash("Revised request sent. The trustees will review it again.", "success")
                return redirect(url_for("organisation.request_page", request_id=request_id))
    status = 400 if form.is_submitted() else 200
    return page("organisation/ask.html", status, form=form, problems=problems(form), revising=current)
