"""Trustee pages for insight requests: review, draw the panel, the roster, close,
release the free text, payments and the income they bring."""

from datetime import datetime
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_wtf import FlaskForm

from adapters.web.auth import requires
from adapters.web.channels import told
from adapters.web.forms import ActionForm
from adapters.web.insight_forms import (
    STATUSES,
    NearestQuotasForm,
    PaymentForm,
    ReviewForm,
    free_text_form,
    pence,
    pounds,
    released_texts,
)
from adapters.web.pages import acting_as, page, services
from adapters.web.timefields import moment
from domain.insight.sortition import QuotasCannotBeMet
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("insight", __name__, url_prefix="/trustee/insight")
BEFORE_THE_DRAW = ("submitted", "changes-requested", "approved")  # the pool is shown live until a draw records it
blueprint.add_app_template_filter(pounds, "pounds")


@blueprint.route("")
@requires("trustee")
def requests():  # type: ignore[no-untyped-def]
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    found = services().views.insight_requests(status=status)
    return page("insight/requests.html", requests=found, status=status, statuses=STATUSES)


def _request_or_404(request_id: UUID) -> dict:
    found = services().views.insight_request(request_id)
    if found is None:
        abort(404)
    draw = found.get("draw")
    if draw and isinstance(draw.get("at"), str):  # kept as text in the read model
        found["draw"] = {**draw, "at": datetime.fromisoformat(draw["at"])}
    return found


def _request_page(request_id: UUID, status: int = 200, **extra):  # type: ignore[no-untyped-def]
    svc = services()
    forms = dict(review=ReviewForm(), action=ActionForm(), payment=PaymentForm(), check=None, nearest=None)
    forms.update(quotas=NearestQuotasForm(), reserves=None)
    forms.update(extra)
    found = _request_or_404(request_id)
    pool = svc.trust.panel_pool_size(request_id) if found["status"] in BEFORE_THE_DRAW else None
    no_rerun = svc.trust.why_no_rerun(request_id) if found.get("draw") else None
    return page(
        "insight/request.html",
        status,
        request=found,
        pool=pool,
        no_rerun=no_rerun,
        panel=_reserves(svc, request_id),
        catalogue=svc.catalogue,
        now=svc.clock(),
        **forms,
    )


@blueprint.route("/<uuid:request_id>")
@requires("trustee")
def request_page(request_id: UUID):  # type: ignore[no-untyped-def]
    return _request_page(request_id)


def _act(request_id: UUID, form, name: str, command, done: str):  # type: ignore[no-untyped-def]
    """Run ``command(form)`` if the form is sound; the domain's refusal is shown on the page."""
    _request_or_404(request_id)
    if form.validate_on_submit():
        try:
            command(form)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash(done, "success")
            return redirect(url_for("insight.request_page", request_id=request_id))
    return _request_page(request_id, 400, **{name: form})


@blueprint.route("/<uuid:request_id>/review", methods=["POST"])
@requires("trustee")
def review(request_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        request_id,
        ReviewForm(),
        "review",
        lambda f: trust.review_insight_request(request_id, f.decision.data, f.reason.data, acting_as("trustee")),
        "Decision recorded. The organisation sees it with your reason.",
    )


def _reserves(svc, request_id: UUID) -> dict:  # type: ignore[no-untyped-def]
    """The panel's reserves, replacements and quota changes, each member by reference code."""
    return svc.views.panel_reserves(request_id)


def _nearest(request_id: UUID, form: FlaskForm, quotas: NearestQuotasForm | None = None):  # type: ignore[no-untyped-def]
    """The page after quotas no panel can meet: the trust's sentence and the nearest quotas that can be."""
    nearest = None
    try:
        nearest = services().trust.nearest_quotas(request_id)
    except TrustError as error:
        form.form_errors.append(str(error))
    if nearest is not None and nearest.needed:
        quotas = quotas or NearestQuotasForm()
        quotas.proposal.data = nearest.proposal
    return _request_page(request_id, 400, action=form, nearest=nearest, quotas=quotas or NearestQuotasForm())


@blueprint.route("/<uuid:request_id>/draw", methods=["POST"])
@requires("trustee")
def draw(request_id: UUID):  # type: ignore[no-untyped-def]
    _request_or_404(request_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services().trust.draw_panel(request_id, acting_as("trustee"))
        except QuotasCannotBeMet as error:
            form.form_errors.append(str(error))
            return _nearest(request_id, form)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Panel drawn. {told('the members drawn', 'they are invited')}", "success")
            return redirect(url_for("insight.request_page", request_id=request_id))
    return _request_page(request_id, 400, action=form)


@blueprint.route("/<uuid:request_id>/quotas", methods=["POST"])
@requires("trustee")
def accept_quotas(request_id: UUID):  # type: ignore[no-untyped-def]
    _request_or_404(request_id)
    form = NearestQuotasForm()
    if form.validate_on_submit():
        try:
            services().trust.accept_nearest_quotas(request_id, form.proposal.data, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
            return _nearest(request_id, ActionForm(), form)
        flash("The nearest quotas are now the request's; your decision is recorded. Draw the panel.", "success")
        return redirect(url_for("insight.request_page", request_id=request_id))
    return _request_page(request_id, 400, quotas=form)


@blueprint.route("/<uuid:request_id>/reserves", methods=["POST"])
@requires("trustee")
def invite_reserves(request_id: UUID):  # type: ignore[no-untyped-def]
    _request_or_404(request_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            done = services().trust.replace_members_who_left(request_id, acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            filled = sum(1 for r in done if r.reserve)
            if not done:
                flash("No panel member has left without their seat being dealt with; nothing was recorded.", "warning")
            else:
                empty = len(done) - filled
                flash(
                    f"{filled} seat{'' if filled == 1 else 's'} filled from the reserves"
                    + (f"; {empty} left empty: no reserve keeps every quota met." if empty else ".")
                    + (f" {told('the reserves invited', 'they are invited')}" if filled else ""),
                    "success",
                )
            return redirect(url_for("insight.request_page", request_id=request_id))
    return _request_page(request_id, 400, reserves=form)


@blueprint.route("/<uuid:request_id>/rerun", methods=["POST"])
@requires("trustee")
def rerun(request_id: UUID):  # type: ignore[no-untyped-def]
    _request_or_404(request_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            check = services().trust.rerun_panel_draw(request_id)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            return _request_page(request_id, check=check)
    return _request_page(request_id, 400, action=form)


@blueprint.route("/<uuid:request_id>/close", methods=["POST"])
@requires("trustee")
def close(request_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        request_id,
        ActionForm(),
        "action",
        lambda f: trust.close_insight_request(request_id, acting_as("trustee")),
        "Panel closed. The anonymised result is recorded; review the free text before releasing it.",
    )


@blueprint.route("/<uuid:request_id>/payments", methods=["POST"])
@requires("trustee")
def payment(request_id: UUID):  # type: ignore[no-untyped-def]
    trust = services().trust
    return _act(
        request_id,
        PaymentForm(),
        "payment",
        lambda f: trust.record_payment(request_id, pence(f.amount.data), f.reference.data, acting_as("trustee")),
        "Payment recorded.",
    )


@blueprint.route("/<uuid:request_id>/roster")
@requires("trustee")
def roster(request_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    found = _request_or_404(request_id)
    typed = (request.args.get("as_of") or "")[:40]
    problem, as_of = None, None
    try:
        as_of = moment(typed)
    except TrustError as error:
        problem = str(error)
    rows = [] if problem else svc.views.panel_roster(request_id, as_of)
    for row in rows:
        if "reference_code" not in row:
            try:
                row["reference_code"] = svc.views.member_card(row["member_id"]).get("reference_code")
            except NotFound:
                row["reference_code"] = None
    return page("insight/roster.html", 400 if problem else 200, request=found, rows=rows, typed=typed, problem=problem)


@blueprint.route("/<uuid:request_id>/free-text", methods=["GET", "POST"])
@requires("trustee")
def free_text(request_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    found = _request_or_404(request_id)
    try:
        texts = svc.trust.free_text_for_review(request_id)
    except TrustError as error:  # not closed yet: the trust's sentence, and no form
        status = 400 if request.method == "POST" else 200
        return page("insight/free_text.html", status, request=found, texts={}, form=None, problem=str(error))
    form = free_text_form(texts)
    if form.validate_on_submit():
        try:
            svc.trust.release_free_text(request_id, released_texts(form, texts), acting_as("trustee"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Free text released to the organisation.", "success")
            return redirect(url_for("insight.request_page", request_id=request_id))
    status = 400 if form.is_submitted() else 200
    return page("insight/free_text.html", status, request=found, texts=texts, form=form, problem=None)


@blueprint.route("/income")
@requires("trustee")
def income():  # type: ignore[no-untyped-def]
    return page("insight/income.html", report=services().views.income_report())
