"""An application pack in the organisation API: everything a funder, social lender or investor may
see of an organisation-member for a purpose (contact, organisation profile, funding history, and
any other category the consents allow) in one call, recorded as one access to every category.

JSON by default; ``?format=csv`` (or ``Accept: text/csv``) gives a spreadsheet, one row per field
(per record, for funding history) with its category, field code, label and value as a person reads
it (money in pounds, a choice in words: Field.words). A cell a spreadsheet would run as a formula is quoted."""

from flask import Response, jsonify, request

from adapters.web.api import _purpose, blueprint, consented_read, organisation_token, permitted_fields, problem
from adapters.web.audit import csv_download
from adapters.web.pages import services
from domain.kernel.catalogue import Catalogue

COLUMNS = ["category", "record", "field", "label", "value"]


def _wants_csv() -> bool:
    fmt = request.args.get("format")
    if fmt is not None:
        return fmt == "csv"
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


@blueprint.route("/members/<member_ref>/pack")
@organisation_token
def application_pack(member_ref: str):  # type: ignore[no-untyped-def]
    purpose = _purpose()
    if request.args.get("format") not in (None, "json", "csv"):
        return problem(400, "'format' is json (the default) or csv.")
    svc = services()
    found = consented_read(member_ref, purpose, list(svc.catalogue.categories))
    if isinstance(found, Response):
        return found
    member_id, outcome = found
    personal, shared = svc.trust.held_data(member_id, outcome.granted)
    fields = permitted_fields(personal or {}, shared, sorted(outcome.granted))
    rows = pack_rows(svc.catalogue, fields)
    if _wants_csv():
        return csv_download(rows, COLUMNS, f"pack-{member_id}")
    return jsonify(
        {
            "member_id": str(member_id),
            "purpose": purpose,
            "access_id": str(outcome.attempt_id),
            "fields": fields,
            "rows": rows,
            "consents": {c: str(cid) for c, cid in sorted(outcome.granted.items())},
            "withheld": list(outcome.refused),
        }
    )


def pack_rows(catalogue: Catalogue, fields: dict) -> list[dict]:
    """The pack as rows: one per field (per record of a category of records), labelled."""
    rows: list[dict] = []
    for category, held in fields.items():
        before = len(rows)
        if category == "contact":
            for code, label in (("name", "Name"), ("contact", "Contact")):
                rows.append(_row(category, "", code, label, held.get(code)))
        elif category == "profile":
            for code, answer in sorted(held.items()):
                question = catalogue.profile.get(code)
                label = question.short_label if question else code
                shown = question.choice_label(answer) if question else answer
                rows.append(_row(category, "", code, label, shown))
        elif held is not None:
            schema = catalogue.standard.schema(category, held["version"])
            values = held["fields"]
            records = values if isinstance(values, list) else [values]
            for number, record in enumerate(records, start=1):
                which = str(record.get(schema.identifier) or number) if schema.entries else ""
                for code, value in record.items():
                    spec = schema.fields.get(code)
                    label, words = (spec.label, spec.words(value)) if spec else (code, str(value))
                    rows.append(_row(category, which, code, label, words))
        if len(rows) == before:  # consent allows it, but the trust holds nothing of it yet
            rows.append(_row(category, "", "", "Nothing shared yet", None))
    return rows


def _row(category: str, record: str, field: str, label: str, value: object) -> dict:
    return {"category": category, "record": record, "field": field, "label": label, "value": value}
