"""Trustees manage staff accounts: open, change roles, disable, enable, new link."""

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, request, url_for

from adapters.web.auth import requires
from adapters.web.forms import AccountForm, ActionForm, RolesForm
from adapters.web.pages import acting_as, page, services
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("staff", __name__, url_prefix="/trustee/staff")


def sign_in_url(token: str) -> str:
    return url_for("auth.welcome", token=token, _external=True)


@blueprint.route("", methods=["GET", "POST"])
@requires("trustee")
def accounts():  # type: ignore[no-untyped-def]
    svc = services()
    form = AccountForm()
    link = None
    status = 200
    if form.validate_on_submit():
        try:
            opened = svc.trust.open_staff_account(form.username.data, form.roles.data, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            link = {"username": opened.username, "url": sign_in_url(opened.token), "expires_at": opened.expires_at}
            form = AccountForm(formdata=None)
    if form.is_submitted() and link is None:
        status = 400
    return page("staff/accounts.html", status, form=form, accounts=svc.views.staff(), link=link, action=ActionForm())


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
    return page("staff/account.html", status, account=row, form=form, action=ActionForm(), link=None)


def _action(account_id: UUID, command, done: str):  # type: ignore[no-untyped-def]
    row = _account_or_404(account_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            result = command()
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            if result is not None:
                link = {"username": row["username"], "url": sign_in_url(result.token), "expires_at": result.expires_at}
                return page(
                    "staff/account.html",
                    account=row,
                    form=RolesForm(data={"roles": row["roles"]}),
                    action=ActionForm(),
                    link=link,
                )
            flash(done, "success")
            return redirect(url_for("staff.account", account_id=account_id))
    return page(
        "staff/account.html", 400, account=row, form=RolesForm(data={"roles": row["roles"]}), action=form, link=None
    )


@blueprint.route("/<uuid:account_id>/disable", methods=["POST"])
@requires("trustee")
def disable(account_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _action(
        account_id,
        lambda: trust.disable_staff_account(account_id, acting_as("trustee")),
        "Account disabled: it was signed out everywhere at once.",
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
