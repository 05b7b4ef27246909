"""Caseworker pages: paper registrations, finding members, signed requests."""

from datetime import datetime
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, request, url_for

from adapters.web.auth import requires
from adapters.web.forms import (
    ActionForm,
    ConfirmInPersonForm,
    HouseholdForm,
    TermsOnPaperForm,
    WithdrawalForm,
    consent_form,
    member_form,
    options,
    profile_answers,
    profile_form,
    ticked_consents,
)
from adapters.web.one_time import no_store, take
from adapters.web.pages import acting_as, page, parse_uuid, services
from adapters.web.staff_reads import record_reads, shows_member
from adapters.web.standard_forms import category_name, shared_in_words
from adapters.web.timefields import start_of
from domain.kernel.errors import NotFound, TrustError
from domain.trust import CONFIRMATION_WAYS, Audience, Ticked

blueprint = Blueprint("casework", __name__, url_prefix="/members")
IN_PERSON = CONFIRMATION_WAYS[1]


def audience(choice: str) -> Audience:
    kind, _, value = (choice or "").partition(":")
    if kind == "org" and parse_uuid(value):
        return Audience(organisation_id=UUID(value))
    return Audience(kind=value)


def consent_summary(consent: dict) -> str:
    title = services().catalogue.purposes[consent["purpose"]].title
    given = f"{consent['given_at']:%d %b %Y}"
    return f"{title}: {', '.join(consent['categories'])} for {consent['audience']} (given {given})"


def _member_or_404(member_id: UUID) -> dict:
    try:
        return services().views.member_card(member_id)
    except NotFound:
        abort(404)


def _form_failed(form, status: int = 400):  # type: ignore[no-untyped-def]
    return status if form.is_submitted() else 200


@blueprint.route("")
@requires("caseworker")
def find():  # type: ignore[no-untyped-def]
    text = (request.args.get("q") or "")[:200]
    found = services().views.search_members(text) if text.strip() else None
    record_reads((m["member_id"] for m in found or ()), "search")
    return page("casework/find.html", q=text, found=found)


@blueprint.route("/pending")
@requires("caseworker")
def pending():  # type: ignore[no-untyped-def]
    waiting = services().views.pending_confirmation()
    record_reads((m["member_id"] for m in waiting), "pending")
    return page("casework/pending.html", members=waiting)


@blueprint.route("/new", methods=["GET", "POST"])
@requires("caseworker")
def register():  # type: ignore[no-untyped-def]
    svc = services()
    form = member_form(svc.catalogue, svc.views.organisations())
    if form.is_submitted():
        valid = form.validate()
        answers = profile_answers(form, svc.catalogue)  # these add their errors beside the fields
        consents = ticked_consents(form, svc.catalogue)
        if valid and not any(field.errors for field in form):
            member_id = _register(form, answers, consents)
            if member_id is not None:
                return redirect(url_for("casework.member", member_id=member_id))
    return page("casework/register.html", _form_failed(form), form=form, catalogue=svc.catalogue)


def _register(form, answers: dict, consents: list[dict]) -> UUID | None:  # type: ignore[no-untyped-def]
    """The member and every consent ticked on the same signed form: recorded together, or not at all."""
    svc = services()
    try:
        member_id = svc.trust.record_paper_form(
            form.name.data,
            acting_as("caseworker"),
            form_ref=form.form_ref.data,
            signed_at=start_of(form.signed_on.data),
            profile=answers,
            contact=form.contact.data or None,
            ticked=[Ticked(t["purpose"], tuple(t["categories"]), audience(t["audience"])) for t in consents],
        )
    except TrustError as error:
        form.form_errors.append(f"Nothing was recorded: {error}")
        return None
    given = f" with {len(consents)} consent{'s' if len(consents) != 1 else ''}" if consents else ""
    flash(f"Member registered{given}. They stay unconfirmed until they confirm.", "success")
    return member_id


@blueprint.route("/<uuid:member_id>")
@requires("caseworker")
@shows_member("member")
def member(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    personal = svc.trust.member_personal_data(member_id) or {}
    consents = svc.views.consents(member_id, svc.clock())
    return member_page(card, personal, consents)


def link_shown(member_id: UUID) -> dict | None:
    """The member's new portal link (casework_data.portal_link), for the page the form redirected
    to: shown there once."""
    link = take("member-link", member_id=member_id)
    if link is not None and isinstance(link.get("expires_at"), str):
        link["expires_at"] = datetime.fromisoformat(link["expires_at"])
    return link


def member_page(card: dict, personal: dict, consents: list[dict]):  # type: ignore[no-untyped-def]
    """The member's page: who they are, their consents, what they shared (the latest of each category,
    in words), and a portal link when one was just issued (shown once, never kept by the browser)."""
    svc = services()
    standard = svc.catalogue.standard
    link = link_shown(card["member_id"])
    shown = page(
        "casework/member.html",
        member=card,
        contact=personal.get("contact"),
        household=personal.get("household"),
        consents=consents,
        catalogue=svc.catalogue,
        terms=svc.views.member_terms(card["member_id"]),
        shared=shared_in_words(standard, svc.catalogue, svc.trust.shared_data(card["member_id"])),
        categories={c: category_name(c) for c in standard.schemas if standard.for_member(c, card["kind"])},
        link=link,
        link_form=ActionForm(),
    )
    return no_store(shown) if link else shown


@blueprint.route("/<uuid:member_id>/withdraw", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-withdraw")
def withdraw(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    active = [c for c in svc.views.consents(member_id, svc.clock()) if c["ended_at"] is None]
    form = WithdrawalForm()
    form.consent.choices = options((str(c["consent_id"]), consent_summary(c)) for c in active)
    if request.method == "GET" and request.args.get("consent"):
        form.consent.data = request.args["consent"]
    if form.validate_on_submit():
        try:
            svc.trust.revoke_consent(
                UUID(form.consent.data),
                acting_as("caseworker"),
                effective_at=start_of(form.signed_on.data, form.signed_time.data),
                evidence_ref=form.form_ref.data,
            )
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Withdrawal recorded. No organisation can rely on this consent any more.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page("casework/withdraw.html", _form_failed(form), form=form, member=card, active=active)


@blueprint.route("/<uuid:member_id>/profile", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-profile")
def profile(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    form = profile_form(svc.catalogue)
    if form.validate_on_submit():
        answers = profile_answers(form, svc.catalogue)
        if not form.errors:
            try:
                svc.trust.update_profile(
                    member_id,
                    answers,
                    acting_as("caseworker"),
                    effective_at=start_of(form.signed_on.data),
                    evidence_ref=form.form_ref.data or None,
                )
            except TrustError as error:
                form.form_errors.append(str(error))
            else:
                flash("Profile change recorded.", "success")
                return redirect(url_for("casework.member", member_id=member_id))
    elif form.is_submitted():
        profile_answers(form, svc.catalogue)
    return page("casework/profile.html", _form_failed(form), form=form, member=card, catalogue=svc.catalogue)


@blueprint.route("/<uuid:member_id>/household", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-household")
def household(member_id: UUID):  # type: ignore[no-untyped-def]
    """Who the member lives with, among the trust's members: a panel takes at most one of a household."""
    svc = services()
    card = _member_or_404(member_id)
    form = HouseholdForm()
    if form.validate_on_submit():
        try:
            housemate = None if form.alone.data else svc.trust.member_for_code(form.housemate.data)
            svc.trust.record_household(member_id, housemate, acting_as("caseworker"))
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Household recorded. A community panel takes at most one member of a household.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page("casework/household.html", _form_failed(form), form=form, member=card)


@blueprint.route("/<uuid:member_id>/confirm", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-confirm")
def confirm(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    form = ConfirmInPersonForm()
    if form.validate_on_submit():
        try:
            svc.trust.confirm_member(member_id, acting_as("caseworker"), IN_PERSON)
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Membership confirmed. Their consents now take effect.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page("casework/confirm.html", _form_failed(form), form=form, member=card)


@blueprint.route("/<uuid:member_id>/terms", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-terms")
def terms(member_id: UUID):  # type: ignore[no-untyped-def]
    """The member's agreement to the latest membership terms, from a signed paper form."""
    svc = services()
    card = _member_or_404(member_id)
    latest = svc.catalogue.latest_terms
    form = TermsOnPaperForm()
    if form.validate_on_submit():
        try:
            agreed = svc.trust.agree_to_terms(
                member_id,
                latest,
                acting_as("caseworker"),
                effective_at=start_of(form.signed_on.data),
                evidence_ref=form.form_ref.data,
            )
        except TrustError as error:
            form.form_errors.append(f"Nothing was recorded: {error}")
        else:
            done = "recorded" if agreed else "already recorded; nothing was changed"
            flash(f"Agreement to version {latest} of the membership terms {done}.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page(
        "casework/terms.html",
        _form_failed(form),
        form=form,
        member=card,
        latest=latest,
        text=svc.catalogue.terms[latest],
        terms=svc.views.member_terms(member_id),
    )


@blueprint.route("/<uuid:member_id>/consents/new", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-consent")
def add_consent(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    form = consent_form(svc.catalogue, svc.views.organisations(), request.values.get("purpose"))
    if form.validate_on_submit():
        try:
            svc.trust.grant_consent(
                member_id,
                form.purpose.data,
                form.categories.data,
                audience(form.audience.data),
                acting_as("caseworker"),
                collected_via="paper",
                evidence_ref=form.form_ref.data,
                effective_at=start_of(form.signed_on.data),
            )
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Consent recorded.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page("casework/add_consent.html", _form_failed(form), form=form, member=card)
