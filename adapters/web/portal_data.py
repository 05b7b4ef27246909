"""In the portal, a member shares a category of the data standard: one form for a category of
fields (filled with what they shared last), and for a list (funding history) each record added,
changed or removed, every change a new submission of the whole list. Recorded as the member's
own, via the portal; the domain checks every value and a refused one records nothing."""

from flask import abort, flash, g, redirect, url_for

from adapters.web.forms import ActionForm
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from adapters.web.standard_forms import (
    as_written,
    category_form,
    category_name,
    existing_records,
    in_words,
    one_record,
    show_problems,
    written,
)
from domain.kernel.errors import InvalidData, TrustError
from domain.portal.commands import PORTAL_ACTOR


def _schema(category: str, entries: bool):  # type: ignore[no-untyped-def]
    """The latest schema of a category asked of this member (a list or not, as the page expects), else 404."""
    standard = services().catalogue.standard
    if category not in standard.schemas or not standard.for_member(category, g.member["kind"]):
        abort(404)
    schema = standard.schema(category)
    if schema.entries != entries:
        abort(404)
    return schema


def _share(form, category: str, values: object, problems_of=lambda p: p) -> bool:  # type: ignore[no-untyped-def]
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


def _title(category: str) -> str:
    return category_name(category)


@blueprint.route("/data/<category>", methods=["GET", "POST"])
@signed_in_member
def category(category: str):  # type: ignore[no-untyped-def]
    schema = _schema(category, entries=False)
    latest = services().trust.shared_data(g.member["member_id"], [category]).get(category)
    old = services().catalogue.standard.schema(category, latest.version) if latest else None
    filled = (
        {code: as_written(old.fields[code], value) for code, value in latest.values.items() if code in schema.fields}
        if latest and old
        else {}
    )
    form = category_form(schema, data=filled)
    if form.validate_on_submit() and _share(form, category, written(form, schema)):
        flash(f"Thank you: your {_title(category).lower()} is saved.", "success")
        return redirect(url_for("portal.home"))
    return page(
        "portal/category.html",
        400 if form.is_submitted() else 200,
        form=form,
        schema=schema,
        title=_title(category),
        fields=[name for name in form._fields if name.startswith("field_")],
    )


@blueprint.route("/data/<category>/records")
@signed_in_member
def records(category: str):  # type: ignore[no-untyped-def]
    columns = [code for code, spec in _schema(category, entries=True).fields.items() if spec.required]
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
        title=_title(category),
        category=category,
        records=shown,
        labels=[services().catalogue.standard.schema(category).fields[code].label for code in columns],
        action=ActionForm(),
        upload=upload_form() if category == IMPORTABLE else None,
    )


@blueprint.route("/data/<category>/records/new", methods=["GET", "POST"])
@signed_in_member
def new_record(category: str):  # type: ignore[no-untyped-def]
    return _record_page(category, None)


@blueprint.route("/data/<category>/records/<int:number>", methods=["GET", "POST"])
@signed_in_member
def record(category: str, number: int):  # type: ignore[no-untyped-def]
    return _record_page(category, number)


def _record_page(category: str, number: int | None):  # type: ignore[no-untyped-def]
    """One record added (``number`` None) or changed; the whole list is submitted again."""
    schema = _schema(category, entries=True)
    kept = existing_records(g.member["member_id"], category, schema)
    if number is not None and not 1 <= number <= len(kept):
        abort(404)
    form = category_form(schema, data=kept[number - 1] if number else {})
    if form.validate_on_submit():
        values = written(form, schema)
        changed = [*kept, values] if number is None else [*kept[: number - 1], values, *kept[number:]]
        if _share(form, category, changed, one_record):
            flash("Record added." if number is None else f"Record {number} changed.", "success")
            return redirect(url_for("portal.records", category=category))
    return page(
        "portal/record.html",
        400 if form.is_submitted() else 200,
        form=form,
        schema=schema,
        title=_title(category),
        category=category,
        number=number,
        fields=[name for name in form._fields if name.startswith("field_")],
    )


@blueprint.route("/data/<category>/records/<int:number>/remove", methods=["POST"])
@signed_in_member
def remove_record(category: str, number: int):  # type: ignore[no-untyped-def]
    schema = _schema(category, entries=True)
    kept = existing_records(g.member["member_id"], category, schema)
    form = ActionForm()
    if not 1 <= number <= len(kept) or not form.validate_on_submit():
        abort(404 if form.validate_on_submit() else 400)
    if _share(form, category, [*kept[: number - 1], *kept[number:]]):
        flash(f"Record {number} removed.", "success")
    else:
        flash(" ".join(form.form_errors) or "Nothing was recorded.", "error")
    return redirect(url_for("portal.records", category=category))


IMPORTABLE = "funding-history"


def upload_form():  # type: ignore[no-untyped-def]
    """The 360Giving upload, where the trust can import one (see portal_upload)."""
    return None
