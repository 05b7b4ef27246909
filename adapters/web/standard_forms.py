"""Forms made from the trust's data standard: one field per field of a category's latest schema
(its label, the question as the hint, a choice as a list in words, yes/no as two radios, money in
pounds, the unit shown, required fields marked), for the caseworkers' paper forms and the members'
portal alike. The domain checks the values (``trust.share_data(..., as_written=True)``); its
problems go beside their fields and at the top, with what was typed kept."""

import re
from uuid import UUID

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from adapters.web.forms import options
from adapters.web.pages import services
from domain.kernel.errors import InvalidData
from domain.kernel.standard import Field, Schema
from projections.core.wording import LOCAL

RECORD = re.compile(r"^Record \d+: ")
YES_NO = [("yes", "Yes"), ("no", "No")]


def category_name(category: str) -> str:
    """A category's short name for headings and links ("funding-history" -> "Funding history");
    the catalogue's sentence about it is shown beside it."""
    return category.replace("-", " ").capitalize()


def name_of(code: str) -> str:
    """A field's code as a form field's name (codes have hyphens: "org-id" -> "field_org_id")."""
    return "field_" + code.replace("-", "_")


def _hint(field: Field) -> str:
    extra = {"money": "In pounds and pence, e.g. 1250.50.", "date": "For example 25/3/2024."}.get(field.type, "")
    if field.unit and field.unit.lower() not in field.asked.lower():
        extra = f"In {field.unit}."
    elif field.unit:
        extra = ""
    if field.type == "percentage":
        extra = "A percentage, from 0 to 100."
    return " ".join(part for part in (field.asked if field.asked != field.label else "", extra) if part)


def _label(field: Field) -> str:
    named = field.unit and field.unit.lower() not in field.label.lower()  # not "Bedrooms (bedrooms)"
    unit = {"money": " (£)", "percentage": " (%)"}.get(field.type, f" ({field.unit})" if named else "")
    return f"{field.label}{unit}{' (required)' if field.required else ''}"


def form_field(field: Field):  # type: ignore[no-untyped-def]
    """The WTForms field for one field of the standard; every value is checked by the domain."""
    label, hint = _label(field), _hint(field)
    if field.type == "choice":
        choices = [("", "Not given")] + [(c, field.choice_label(c)) for c in field.choices]
        return SelectField(label, choices=options(choices), description=hint, validate_choice=False, default="")
    if field.type == "yes-no":
        return RadioField(label, choices=options(YES_NO), description=hint, validate_choice=False)
    return StringField(label, description=hint, render_kw={"autocomplete": "off"})


def category_form(schema: Schema, base: type = FlaskForm, data: dict | None = None):  # type: ignore[no-untyped-def]
    """A form of the schema's fields (on top of ``base``'s own, e.g. a paper form's reference),
    filled with ``data`` (field code -> text as written) when shown, else with what was sent."""
    fields = {name_of(code): form_field(spec) for code, spec in schema.fields.items()}
    form_class = type(f"{schema.category.title().replace('-', '')}Form", (base,), fields)
    given = {name_of(code): text for code, text in (data or {}).items()}
    return form_class(data=given) if data is not None else form_class()


def written(form, schema: Schema) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The values typed, by field code (left blank: left out)."""
    values = {}
    for code in schema.fields:
        text = form[name_of(code)].data
        if isinstance(text, str) and text.strip():
            values[code] = text.strip()
    return values


def show_problems(form, problems: list[tuple[str | None, str]]) -> None:  # type: ignore[no-untyped-def]
    """Each problem beside its field (and so in the summary at the top); one about no field at the top."""
    for code, sentence in problems:
        name = name_of(code) if code else None
        if name is not None and name in form:
            form[name].errors = [*form[name].errors, sentence]
        else:
            form.form_errors.append(sentence)


def problems_with(schema: Schema, values: object) -> list[tuple[str | None, str]]:
    """What the standard would refuse in ``values`` (as written), to show beside the form's own
    problems all at once; the domain checks again when they are recorded."""
    try:
        schema.clean(values, services().clock().astimezone(LOCAL).date(), typed=False)
    except InvalidData as error:
        return error.problems
    return []


def one_record(problems: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """Problems with a list of records, for a form of one record: without "Record 3: " before each."""
    return [(code, RECORD.sub("", sentence, count=1)) for code, sentence in problems]


def as_written(field: Field, value: object) -> str:
    """A stored value as a person would type it again (to fill a form for a change)."""
    if field.type == "money" and isinstance(value, int):
        return f"{value / 100:.2f}"
    if field.type == "yes-no":
        return "yes" if value else "no"
    return "" if value is None else str(value)


def in_words(field: Field, value: object) -> str:
    """A stored value as the member or a caseworker reads it."""
    return "Not given" if value is None else field.words(value)


def existing_records(member_id: UUID, category: str, schema) -> list[dict]:  # type: ignore[no-untyped-def]
    """The records of a category of entries shared so far, as a person would write them again."""
    latest = services().trust.shared_data(member_id, [category]).get(category)
    if latest is None or not isinstance(latest.values, list):
        return []
    old = services().catalogue.standard.schema(category, latest.version)
    return [
        {code: as_written(old.fields[code], value) for code, value in record.items() if code in schema.fields}
        for record in latest.values
    ]


def shared_in_words(standard, catalogue, submissions: dict) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each category shared (latest first in catalogue order): its title, version, date, channel and
    its values in words (a list of records for a category of entries)."""
    shown = []
    for category, submission in submissions.items():
        schema = standard.schema(category, submission.version)
        records = submission.values if isinstance(submission.values, list) else [submission.values]
        rows = [
            [(spec.label, in_words(spec, record[code])) for code, spec in schema.fields.items() if code in record]
            for record in records
        ]
        shown.append(
            {
                "category": category,
                "title": category_name(category),
                "about": catalogue.categories.get(category, ""),
                "submission": submission,
                "entries": schema.entries,
                "records": rows,
            }
        )
    return shown
