"""Trustee pages: the dashboard (with the latest daily digest), organisations, their
approval and API tokens."""

from datetime import UTC, datetime
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, url_for

from adapters.web.auth import requires
from adapters.web.digests import latest_shown, scheduler_shown
from adapters.web.forms import (
    ActionForm,
    ApprovalForm,
    ConfirmForm,
    ReasonForm,
    SuspendForm,
    TokenForm,
    organisation_form,
)
from adapters.web.one_time import hold, no_store, take
from adapters.web.pages import acting_as, page, services
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("trustees", __name__, url_prefix="/trustee")


@blueprint.route("")
@requires("trustee")
def dashboard():  # type: ignore[no-untyped-def]
    svc = services()
    now = svc.clock()
    summary = svc.views.dashboard(now)
    scheduler = scheduler_shown(svc.views.scheduler_status(datetime.now(UTC)))  # the lease runs on real time
    outside_notice = svc.views.consents_outside_notice(svc.catalogue, now)
    return page(
        "trustees/dashboard.html",
        summary=summary,
        catalogue=svc.catalogue,
        digest=latest_shown(),
        scheduler=scheduler,
        outside_notice=outside_notice,
    )


@blueprint.route("/organisations", methods=["GET", "POST"])
@requires("trustee")
def organisations():  # type: ignore[no-untyped-def]
    svc = services()
    form = organisation_form(svc.catalogue)
    status = 200
    if form.validate_on_submit():
        try:
            organisation_id = svc.trust.register_organisation(
                form.name.data, form.kind.data, acting_as("trustee"), org_id=form.org_id.data
            )
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Organisation registered. It sees nothing until approved.", "success")
            return redirect(url_for("trustees.organisation", organisation_id=organisation_id))
    if form.is_submitted():
        status = 400
    return page(
        "trustees/organisations.html",
        status,
        form=form,
        organisations=svc.views.organisations(),
        catalogue=svc.catalogue,
    )


def _organisation_page(organisation_id: UUID, status: int = 200, **forms):  # type: ignore[no-untyped-def]
    svc = services()
    try:
        organisation = svc.views.organisation(organisation_id)
    except NotFound:
        abort(404)
    defaults = dict(
        approval=ApprovalForm(),
        reason=ReasonForm(),
        suspension=SuspendForm(),
        token=TokenForm(),
        action=ActionForm(),
        revoke=ConfirmForm(),
    )
    defaults.update(forms)
    return page(
        "trustees/organisation.html",
        status,
        organisation=organisation,
        tokens=svc.views.api_tokens(organisation_id),
        catalogue=svc.catalogue,
        **defaults,
    )


@blueprint.route("/organisations/<uuid:organisation_id>")
@requires("trustee")
def organisation(organisation_id: UUID):  # type: ignore[no-untyped-def]
    issued = take("api-token", organisation_id=organisation_id)
    if issued is None:
        return _organisation_page(organisation_id)
    return no_store(_organisation_page(organisation_id, new_token=issued["token"]))


def _act(organisation_id: UUID, form, name: str, command, done: str):  # type: ignore[no-untyped-def]
    if form.validate_on_submit():
        try:
            result = command(form)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            if done:
                flash(done, "success")
            return result or redirect(url_for("trustees.organisation", organisation_id=organisation_id))
    return _organisation_page(organisation_id, 400, **{name: form})


def _confirmed(form) -> bool:  # type: ignore[no-untyped-def]
    """A destructive form acts only with its box ticked; without it, one sentence and nothing changed."""
    if form.validate_on_submit():
        return True
    if form.confirm.errors and not form.form_errors:
        form.form_errors.append(form.confirm.errors[0])
    form.confirm.errors = []  # said once, above the table (each row has its own box)
    return False


@blueprint.route("/organisations/<uuid:organisation_id>/approve", methods=["POST"])
@requires("trustee")
def approve(organisation_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        organisation_id,
        ApprovalForm(),
        "approval",
        lambda f: trust.approve_organisation(
            organisation_id, f.agreement_ref.data, f.agreement_date.data, acting_as("trustee")
        ),
        "Organisation approved under the agreement.",
    )


@blueprint.route("/organisations/<uuid:organisation_id>/suspend", methods=["POST"])
@requires("trustee")
def suspend(organisation_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        organisation_id,
        SuspendForm(),
        "suspension",
        lambda f: trust.suspend_organisation(organisation_id, f.reason.data, acting_as("trustee")),
        "Organisation suspended: from now it can see nothing, and its tokens are refused.",
    )


@blueprint.route("/organisations/<uuid:organisation_id>/reinstate", methods=["POST"])
@requires("trustee")
def reinstate(organisation_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        organisation_id,
        ReasonForm(),
        "reason",
        lambda f: trust.reinstate_organisation(organisation_id, f.reason.data, acting_as("trustee")),
        "Organisation reinstated.",
    )


@blueprint.route("/organisations/<uuid:organisation_id>/tokens", methods=["POST"])
@requires("trustee")
def issue_token(organisation_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust

    def issue(form):  # type: ignore[no-untyped-def]
        _token_id, token = trust.issue_api_token(organisation_id, form.label.data, acting_as("trustee"))
        hold("api-token", {"organisation_id": str(organisation_id), "token": token})  # shown once, after the redirect

    return _act(organisation_id, TokenForm(), "token", issue, "")


@blueprint.route("/organisations/<uuid:organisation_id>/tokens/<uuid:token_id>/revoke", methods=["POST"])
@requires("trustee")
def revoke_token(organisation_id: UUID, token_id: UUID):  # type: ignore[no-untyped-def]
    if not any(t["token_id"] == token_id for t in services().views.api_tokens(organisation_id)):
        abort(404)
    form = ConfirmForm()
    if not _confirmed(form):
        return _organisation_page(organisation_id, 400, revoke=form, revoking=token_id)
    trust = services().trust
    return _act(
        organisation_id,
        form,
        "revoke",
        lambda f: trust.revoke_api_token(token_id, acting_as("trustee")),
        "Token revoked: it is refused from now on.",
    )
