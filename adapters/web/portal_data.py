"""In the portal, a member shares a category of the data standard: one form for a category of
fields (filled with what they shared last), and for a list (funding history) each record added,
changed or removed, every change a new submission of the whole list. Recorded as the member's
own, via the portal; the domain checks every value and a refused one records nothing."""

from flask import abort, flash, g, redirect, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from adapters.web.forms import ActionForm
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from adapters.web.standard_forms import (
    as_written,
    category_form,
    category_name,
    in_words,
    show_problems,
    written,
)
from domain.kernel.errors import InvalidData, TrustError
from domain.portal.commands import PORTAL_ACTOR


def schema_asked(category: str, entries: bool):  # type: ignore[no-untyped-def]
    """The latest schema of a category asked of this member (a list or not, as the page expects), else 404."""
    standard = services().catalogue.standard
    if category not in standard.schemas or not standard.for_member(category, g.member["kind"]):
        abort(404)
    schema = standard.schema(category)
    if schema.entries != entries:
        abort(404)
    return schema


def share_as_member(form, category: str, values: object, problems_of=lambda p: p) -> bool:  # type: ignore[no-untyped-def]
    try:
        services().trust.share_data(
            g.member["member_id"], category, values, PORTAL_ACTOR, channel="portal", as_written=True
        )
    except InvalidData as error:
        show_problems(form, problems_of(error.problems))
    except TrustError as error:
        form.form_errors.append(f"Nothing was recorded: {error}")
    else:
        return True
    return False


@blueprint.route("/data/<category>", methods=["GET", "POST"])
@signed_in_member
def category(category: str):  # type: ignore[no-untyped-def]
    schema = schema_asked(category, entries=False)
    latest = services().trust.shared_data(g.member["member_id"], [category]).get(category)
    old = services().catalogue.standard.schema(category, latest.version) if latest else None
    filled = (
        {code: as_written(old.fields[code], value) for code, value in latest.values.items() if code in schema.fields}
        if latest and old
        else {}
    )
    form = category_form(schema, data=filled)
    if form.validate_on_submit() and share_as_member(form, category, written(form, schema)):
        flash(f"Thank you: your {category_name(category).lower()} is saved.", "success")
        return redirect(url_for("portal.home"))
    return page(
        "portal/category.html",
        400 if form.is_submitted() else 200,
        form=form,
        schema=schema,
        title=category_name(category),
        fields=[name for name in form._fields if name.startswith("field_")],
    )


@blueprint.route("/data/<category>/records")
@signed_in_member
def records(category: str):  # type: ignore[no-untyped-def]
    return records_page(category, UploadForm() if category == IMPORTABLE else None)


def records_page(category: str, upload, status: int = 200):  # type: ignore[no-untyped-def]
    """The list of records in words (the required fields as columns), each to change or remove."""
    columns = [code for code, spec in schema_asked(category, entries=True).fields.items() if spec.required]
    latest = services().trust.shared_data(g.member["member_id"], [category]).get(category)
    shown = []
    if latest is not None:
        schema = services().catalogue.standard.schema(category, latest.version)
        for record in latest.values:
            fields = [schema.fields[code] for code in columns if code in schema.fields]
            cells = [(spec.label, in_words(spec, record.get(spec.code))) for spec in fields]
            shown.append({"name": record.get("title") or record.get("grant-id"), "cells": cells})
    return page(
        "portal/records.html",
        status,
        title=category_name(category),
        category=category,
        records=shown,
        labels=[services().catalogue.standard.schema(category).fields[code].label for code in columns],
        action=ActionForm(),
        upload=upload,
    )


IMPORTABLE = "funding-history"  # a 360Giving file imports into it


class UploadForm(FlaskForm):
    file = FileField(
        "A 360Giving file (CSV or JSON)",
        validators=[FileRequired("Choose the file to upload.")],
        description="A funder's 360Giving data with your grants in it: only your organisation's rows are used, "
        "matched by the identifier in your profile. At most 256 KB here.",
    )


@blueprint.route("/data/<category>/records/upload", methods=["POST"])
@signed_in_member
def upload(category: str):  # type: ignore[no-untyped-def]
    """A 360Giving file merged into the funding history (by grant id); any bad row refuses the whole
    file, each row's problem shown, nothing recorded."""
    if category != IMPORTABLE:
        abort(404)
    schema_asked(category, entries=True)
    form = UploadForm()
    if form.validate_on_submit():
        sent = form.file.data
        try:
            result = services().trust.import_funding_history(
                g.member["member_id"], sent.read(), sent.filename or "", PORTAL_ACTOR, channel="portal"
            )
        except InvalidData as error:
            form.file.errors = [sentence for _code, sentence in error.problems]
        except TrustError as error:
            form.file.errors = [f"Nothing was recorded: {error}"]
        else:
            flash(result.summary(), "success")
            return redirect(url_for("portal.records", category=category))
    return records_page(category, form, 400)
