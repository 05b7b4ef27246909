"""Caseworkers enter a category of the data standard from a signed paper form, and issue a member
their one-time link to the portal (shown once, like the staff's sign-in links). Routes of the
casework blueprint (/members/...), kept here so casework.py stays about registrations and consents."""

from uuid import UUID

from flask import abort, flash, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import DateField

from adapters.web.auth import requires
from adapters.web.casework import _form_failed, _member_or_404, blueprint
from adapters.web.forms import SIGNED_ON, ActionForm, reference_field
from adapters.web.one_time import hold
from adapters.web.pages import acting_as, page, services
from adapters.web.staff_reads import shows_member
from adapters.web.standard_forms import (
    category_form,
    category_name,
    existing_records,
    one_record,
    problems_with,
    show_problems,
    written,
)
from adapters.web.timefields import start_of
from domain.kernel.errors import InvalidData, TrustError


class PaperDataForm(FlaskForm):
    form_ref = reference_field("Paper form reference")
    signed_on = DateField("Date the form was signed", validators=SIGNED_ON)


def _category_for(card: dict, category: str):  # type: ignore[no-untyped-def]
    """The latest schema of a category asked of this member's kind, else 404."""
    standard = services().catalogue.standard
    if category not in standard.schemas or not standard.for_member(category, card["kind"]):
        abort(404)
    return standard.schema(category)


@blueprint.route("/<uuid:member_id>/data/<category>", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-data")
def paper_data(member_id: UUID, category: str):  # type: ignore[no-untyped-def]
    """A category from a signed paper form; for a list (funding history), one more record."""
    svc = services()
    card = _member_or_404(member_id)
    schema = _category_for(card, category)
    form = category_form(schema, PaperDataForm)
    if form.is_submitted():
        valid = form.validate()  # the reference and the date, beside their fields
        values = written(form, schema)
        sent = [*existing_records(member_id, category, schema), values] if schema.entries else values
        problems = problems_with(schema, sent)  # every problem at once, the data's with the form's
        show_problems(form, one_record(problems) if schema.entries else problems)
        if valid and not problems and _record(form, member_id, category, sent):
            flash(f"{category_name(category)} recorded from form {form.form_ref.data}.", "success")
            return redirect(url_for("casework.member", member_id=member_id))
    return page(
        "casework/data.html",
        _form_failed(form),
        form=form,
        member=card,
        schema=schema,
        title=category_name(category),
        about=svc.catalogue.categories[category],
        fields=[name for name in form._fields if name.startswith("field_")],
    )


def _record(form, member_id: UUID, category: str, sent: object) -> bool:  # type: ignore[no-untyped-def]
    try:
        services().trust.share_data(
            member_id,
            category,
            sent,
            acting_as("caseworker"),
            channel="paper",
            evidence_ref=form.form_ref.data,
            effective_at=start_of(form.signed_on.data),
            as_written=True,
        )
    except InvalidData as error:
        show_problems(form, one_record(error.problems))
    except TrustError as error:
        form.form_errors.append(f"Nothing was recorded: {error}")
    else:
        return True
    return False


@blueprint.route("/<uuid:member_id>/portal-link", methods=["POST"])
@requires("caseworker")
def portal_link(member_id: UUID):  # type: ignore[no-untyped-def]
    """A new one-time link to the member's portal, shown once on the member's page."""
    _member_or_404(member_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issued = services().trust.issue_member_sign_in_link(member_id, acting_as("caseworker"))
    except TrustError as error:
        flash(str(error), "error")
    else:
        url = url_for("portal.sign_in", token=issued.token, _external=True)
        hold("member-link", {"member_id": str(member_id), "url": url, "expires_at": issued.expires_at})
    return redirect(url_for("casework.member", member_id=member_id))
