"""In the portal, the records of a list (funding history) one by one: each added, changed or
removed, every change a new submission of the whole list, as the member's own via the portal."""

from flask import abort, flash, g, redirect, url_for

from adapters.web.forms import ActionForm
from adapters.web.pages import page
from adapters.web.portal import blueprint, signed_in_member
from adapters.web.portal_data import schema_asked, share_as_member
from adapters.web.standard_forms import category_form, category_name, existing_records, one_record, written


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
    schema = schema_asked(category, entries=True)
    kept = existing_records(g.member["member_id"], category, schema)
    if number is not None and not 1 <= number <= len(kept):
        abort(404)
    form = category_form(schema, data=kept[number - 1] if number else {})
    if form.validate_on_submit():
        values = written(form, schema)
        changed = [*kept, values] if number is None else [*kept[: number - 1], values, *kept[number:]]
        if share_as_member(form, category, changed, one_record):
            flash("Record added." if number is None else f"Record {number} changed.", "success")
            return redirect(url_for("portal.records", category=category))
    return page(
        "portal/record.html",
        400 if form.is_submitted() else 200,
        form=form,
        schema=schema,
        title=category_name(category),
        category=category,
        number=number,
        fields=[name for name in form._fields if name.startswith("field_")],
    )


@blueprint.route("/data/<category>/records/<int:number>/remove", methods=["POST"])
@signed_in_member
def remove_record(category: str, number: int):  # type: ignore[no-untyped-def]
    schema = schema_asked(category, entries=True)
    kept = existing_records(g.member["member_id"], category, schema)
    form = ActionForm()
    if not 1 <= number <= len(kept) or not form.validate_on_submit():
        abort(404 if form.validate_on_submit() else 400)
    if share_as_member(form, category, [*kept[: number - 1], *kept[number:]]):
        flash(f"Record {number} removed.", "success")
    else:
        flash(" ".join(form.form_errors) or "Nothing was recorded.", "error")
    return redirect(url_for("portal.records", category=category))
