"""Signing in and out, one-time sign-in links, and who may open which page.

A session carries the account id, the account's epoch when it began, when it
began and when it was last used. Every request checks the account again, so a
disabled account, a new password or signing out ends the session at once (the
account's epoch moves on); sessions also end after 30 idle minutes and after 8
hours in all. A browser that signed in keeps a device cookie, so its sign-ins are
counted apart from a stranger's guesses (domain.store.credentials.sign_in_guessers)."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from adapters.web.forms import SetPasswordForm, SignInForm
from adapters.web.pages import page, parse_uuid, services
from domain.kernel.errors import TrustError
from domain.store.credentials import TooManyAttempts

IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=8)
DEVICE_COOKIE = "datatrust_device"
DEVICE_LIFETIME = timedelta(days=365)
SAFE_NEXT = re.compile(r"^/(?!/)[\x21-\x5b\x5d-\x7e]*$")  # one local path, printable ASCII, no backslash

blueprint = Blueprint("auth", __name__)


def _now() -> float:
    return datetime.now(UTC).timestamp()


@blueprint.before_app_request
def load_staff() -> None:
    g.staff = None
    account_id = parse_uuid(session.get("account_id"))
    if account_id is None:
        return
    now = _now()
    expired = now - session.get("seen", 0) > IDLE_LIMIT.total_seconds() or (
        now - session.get("started", 0) > ABSOLUTE_LIMIT.total_seconds()
    )
    account = services().views.session_account(account_id)
    if expired or account is None or account["status"] != "active" or account["epoch"] != session.get("epoch"):
        session.clear()
        g.session_ended = True
        return
    session["seen"] = now
    g.staff = account


def home_for(roles: list[str]) -> str:
    return url_for("trustees.dashboard") if "trustee" in roles else url_for("casework.find")


def requires(role: str) -> Callable:
    """Signed-in staff holding ``role``; others are sent to sign in, or refused (403)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
            if g.staff is None:
                ended = {"ended": 1} if getattr(g, "session_ended", False) else {}
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?"), **ended))
            if role not in g.staff["roles"]:
                abort(403)
            return view(*args, **kwargs)

        guarded.required_role = role  # type: ignore[attr-defined]
        return guarded

    return decorate


def _safe_next(target: str | None) -> str | None:
    """A page of this site to return to, else None: never another site (``//host``,
    ``/\\host``) and never a character that could break out of the Location header."""
    if not target or not SAFE_NEXT.match(target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _begin_session(signed_in, response):  # type: ignore[no-untyped-def]
    session.clear()
    now = _now()
    session.permanent = True
    session.update(account_id=str(signed_in.account_id), epoch=signed_in.epoch, started=now, seen=now)
    response.set_cookie(
        DEVICE_COOKIE,
        signed_in.device,
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        path=url_for("auth.sign_in"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    if g.staff is None:
        return redirect(url_for("auth.sign_in"))
    return redirect(home_for(g.staff["roles"]))


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():  # type: ignore[no-untyped-def]
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            signed_in = services().trust.sign_in(
                form.username.data, form.password.data, request.remote_addr or "?", request.cookies.get(DEVICE_COOKIE)
            )
        except TooManyAttempts as error:
            form.form_errors.append(str(error))
            body, status = page("sign_in.html", 429, form=form)
            return body, status, {"Retry-After": str(error.retry_after)}
        except TrustError as error:
            form.form_errors.append(str(error))
            return page("sign_in.html", 401, form=form)
        back_to = _safe_next(request.args.get("next")) or home_for(list(signed_in.roles))
        return _begin_session(signed_in, redirect(back_to))
    elif form.is_submitted():
        status = 400
    ended = getattr(g, "session_ended", False) or request.args.get("ended") == "1"
    return page("sign_in.html", status, form=form, ended=ended)


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():  # type: ignore[no-untyped-def]
    if g.staff is not None:  # ended on the server too: a copy of the cookie opens nothing
        services().trust.sign_out(g.staff["account_id"], session["epoch"])
    session.clear()
    return redirect(url_for("auth.sign_in", signed_out=1))


@blueprint.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):  # type: ignore[no-untyped-def]
    """A one-time link: choose a password, and be signed in."""
    svc = services()
    try:
        account = svc.trust.account_for_link(token)
    except TrustError as error:
        return page("link_used.html", 404, message=str(error))
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            signed_in = svc.trust.set_password_with_link(token, form.password.data)
        except TrustError as error:
            form.password.errors.append(str(error))
            status = 400
        else:
            return _begin_session(signed_in, redirect(home_for(list(signed_in.roles))))
    elif form.is_submitted():
        status = 400
    return page("welcome.html", status, form=form, username=account.username)
