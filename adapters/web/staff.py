"""Trustees manage staff accounts: open, change roles, disable, enable, new link."""

from datetime import datetime
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, request, url_for

from adapters.web.auth import requires
from adapters.web.forms import AccountForm, ActionForm, ConfirmForm, RolesForm
from adapters.web.one_time import hold, no_store, take
from adapters.web.pages import acting_as, page, services
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("staff", __name__, url_prefix="/trustee/staff")


def sign_in_url(token: str) -> str:
    return url_for("auth.welcome", token=token, _external=True)


def _hold_link(account_id: UUID, username: str, issued) -> None:  # type: ignore[no-untyped-def]
    """The new link, for the page the form redirects to: shown there once, never again."""
    link = {"username": username, "url": sign_in_url(issued.token), "expires_at": issued.expires_at}
    hold("sign-in-link", {"account_id": str(account_id), **link})


def _link_shown(**expected) -> dict | None:
    link = take("sign-in-link", **expected)
    if link is not None and isinstance(link.get("expires_at"), str):
        link["expires_at"] = datetime.fromisoformat(link["expires_at"])
    return link


@blueprint.route("", methods=["GET", "POST"])
@requires("trustee")
def accounts():  # type: ignore[no-untyped-def]
    svc = services()
    form = AccountForm()
    if form.validate_on_submit():
        try:
            opened = svc.trust.open_staff_account(form.username.data, form.roles.data, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            _hold_link(opened.account_id, opened.username, opened)
            flash(f"Account opened for {opened.username}.", "success")
            return redirect(url_for("staff.accounts"))
    if form.is_submitted():
        return page("staff/accounts.html", 400, form=form, accounts=svc.views.staff(), link=None, action=ActionForm())
    link = _link_shown()
    shown = page("staff/accounts.html", form=form, accounts=svc.views.staff(), link=link, action=ActionForm())
    return no_store(shown) if link else shown


def _account_or_404(account_id: UUID) -> dict:
    try:
        return services().views.staff_account(account_id)
    except NotFound:
        abort(404)


@blueprint.route("/<uuid:account_id>", methods=["GET", "POST"])
@requires("trustee")
def account(account_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    row = _account_or_404(account_id)
    form = RolesForm(data={"roles": row["roles"]}) if request.method == "GET" else RolesForm()
    status = 200
    if form.validate_on_submit():
        try:
            svc.trust.change_staff_roles(account_id, form.roles.data, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Roles changed.", "success")
            return redirect(url_for("staff.account", account_id=account_id))
    if form.is_submitted():
        status = 400
    link = _link_shown(account_id=account_id) if status == 200 else None
    shown = page(
        "staff/account.html", status, account=row, form=form, action=ActionForm(), disabling=ConfirmForm(), link=link
    )
    return no_store(shown) if link else shown


def _action(account_id: UUID, command, done: str, form=None):  # type: ignore[no-untyped-def]
    row = _account_or_404(account_id)
    form = form or ActionForm()
    if form.validate_on_submit():
        try:
            result = command()
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            if result is not None:  # a new sign-in link: shown once, on the page redirected to
                _hold_link(account_id, row["username"], result)
            if done:
                flash(done, "success")
            return redirect(url_for("staff.account", account_id=account_id))
    forms = {"disabling": form, "action": ActionForm()} if isinstance(form, ConfirmForm) else {"action": form}
    forms.setdefault("disabling", ConfirmForm())
    return page(
        "staff/account.html", 400, account=row, form=RolesForm(data={"roles": row["roles"]}), link=None, **forms
    )


@blueprint.route("/<uuid:account_id>/disable", methods=["POST"])
@requires("trustee")
def disable(account_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _action(
        account_id,
        lambda: trust.disable_staff_account(account_id, acting_as("trustee")),
        "Account disabled: it was signed out everywhere at once.",
        ConfirmForm(),
    )


@blueprint.route("/<uuid:account_id>/enable", methods=["POST"])
@requires("trustee")
def enable(account_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _action(account_id, lambda: trust.enable_staff_account(account_id, acting_as("trustee")), "Account enabled.")


@blueprint.route("/<uuid:account_id>/sign-in-link", methods=["POST"])
@requires("trustee")
def new_link(account_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _action(account_id, lambda: trust.issue_sign_in_link(account_id, acting_as("trustee")), "")
