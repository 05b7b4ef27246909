"""The trustees' audit questions as forms, on either time axis, with CSV downloads.

They ask the same read models as `datatrust audit ...`, so the web and the CLI
give the same answers about the same history."""

import csv
import io
from datetime import datetime
from uuid import UUID

from flask import Blueprint, Response, abort, request

from adapters.web.auth import requires
from adapters.web.forms import audit_form
from adapters.web.pages import page, services
from adapters.web.staff_reads import record_reads
from adapters.web.timefields import moment
from domain.kernel.errors import TrustError

blueprint = Blueprint("audit", __name__, url_prefix="/trustee/audit")

QUESTIONS = {
    "who-could-see": "Who could see a member's data?",
    "what-could-see": "What could an organisation see?",
    "history": "A member's history",
    "who-read": "Who read a member's data?",
    "explain": "Explain one decision",
}


def _organisation_choices() -> list[tuple[str, str]]:
    return [("", "Choose an organisation")] + [
        (str(o["organisation_id"]), o["name"]) for o in services().views.organisations()
    ]


def answer(question: str, form) -> tuple[list[dict], list[str]]:  # type: ignore[no-untyped-def]
    """(rows, columns) for the question; raises TrustError for a bad question."""
    svc = services()
    views = svc.views
    now = svc.clock()
    if question == "who-could-see":
        at = moment(form.at.data) or now
        rows = views.who_could_see(views.find_member(form.member.data), at, form.axis.data)
        flat = [
            {
                "organisation": r["organisation"],
                "kind": r["kind"],
                "purpose": c["purpose"],
                "categories": c["categories"],
                "consent_id": c["consent_id"],
                "valid_from": c["valid_from"],
                "valid_to": c["valid_to"],
            }
            for r in rows
            for c in r["consents"]
        ]
        return flat, ["organisation", "kind", "purpose", "categories", "consent_id", "valid_from", "valid_to"]
    if question == "what-could-see":
        start = moment(form.start.data) or now
        rows = views.what_could_see(UUID(form.organisation.data), start, moment(form.end.data), form.axis.data)
        record_reads((r["member_id"] for r in rows), "audit-what-could-see", "trustee")  # the answer names them
        return rows, ["member", "member_id", "category", "purpose", "consent_id", "valid_from", "valid_to"]
    if question == "history":
        rows = views.history(views.find_member(form.member.data))
        return rows, ["recorded_at", "effective_at", "what", "text", "actor"]
    if question == "who-read":
        rows = views.who_read(views.find_member(form.member.data))
        return rows, ["recorded_at", "reader", "text"]
    if question == "explain":
        at = moment(form.at.data) or now
        one = views.explain(
            UUID(form.organisation.data), views.find_member(form.member.data), form.category.data, at, form.axis.data
        )
        record_reads([one["member_id"]], "audit-explain", "trustee")
        return [one], ["organisation", "member", "category", "at", "axis", "allowed", "consent_ids", "reasons"]
    abort(404)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    text = str(value)
    # A spreadsheet must never run a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(rows: list[dict], columns: list[str], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"},
    )


@blueprint.route("")
@requires("trustee")
def index():  # type: ignore[no-untyped-def]
    return page("audit/index.html", questions=QUESTIONS)


@blueprint.route("/<question>")
@requires("trustee")
def ask(question: str):  # type: ignore[no-untyped-def]
    if question not in QUESTIONS:
        abort(404)
    categories = list(services().catalogue.categories.items())
    asked = bool(request.args)
    form = audit_form(question, _organisation_choices(), categories, request.args if asked else None)
    rows, columns, status = None, [], 200
    if asked:
        if form.validate():
            try:
                rows, columns = answer(question, form)
            except TrustError as error:
                form.form_errors.append(str(error))
                status = 400
            except ValueError:
                form.form_errors.append("Choose an organisation from the list.")
                status = 400
        else:
            status = 400
    if rows is not None and request.args.get("format") == "csv":
        return csv_download(rows, columns, question)
    return page(
        "audit/question.html",
        status,
        form=form,
        question=question,
        title=QUESTIONS[question],
        rows=rows,
        columns=columns,
    )


@blueprint.route("/late-facts")
@requires("trustee")
def late_facts():  # type: ignore[no-untyped-def]
    rows = services().views.late_facts()
    record_reads((r["member_id"] for r in rows if r["member"]), "audit-late-facts", "trustee")
    columns = [
        "fact",
        "member",
        "organisation",
        "consent_id",
        "effective_at",
        "recorded_at",
        "late_by_seconds",
        "recorded_by",
        "evidence_ref",
        "window",
    ]
    if request.args.get("format") == "csv":
        return csv_download(rows, columns, "late-facts")
    return page("audit/late_facts.html", rows=rows)
