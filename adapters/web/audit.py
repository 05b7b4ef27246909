"""The trustees' audit questions as forms, on either time axis, with CSV downloads.

They ask the same read models as `datatrust audit ...`, so the web and the CLI
give the same answers about the same history."""

import csv
import io
from datetime import date, datetime, time, timedelta
from uuid import UUID

from flask import Blueprint, Response, abort, request

from adapters.web.auth import requires
from adapters.web.forms import audit_form
from adapters.web.pages import page, services
from adapters.web.staff_reads import record_reads
from adapters.web.timefields import moment
from domain.kernel.errors import TrustError
from projections.audit import words
from projections.core.wording import LOCAL

blueprint = Blueprint("audit", __name__, url_prefix="/trustee/audit")


@blueprint.app_template_filter("category_title")
def _category_title(code: str) -> str:
    return words.category_title(services().catalogue, code)


@blueprint.app_template_filter("purpose_title")
def _purpose_title(code: str) -> str:
    return words.purpose_title(services().catalogue, code)


blueprint.add_app_template_filter(words.day, "audit_day")

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


def answer(question: str, form) -> tuple[list[dict], list[str], dict]:  # type: ignore[no-untyped-def]
    """(rows, columns, words) for the question: rows and columns for the CSV (codes and
    ids, as `datatrust audit --json`), words for the page (names and titles first).
    Raises TrustError for a bad question. A page that names a member records the read first."""
    svc = services()
    views = svc.views
    now = svc.clock()
    if question == "who-could-see":
        at = moment(form.at.data) or now
        member_id = views.find_member(form.member.data)
        rows = views.who_could_see(member_id, at, form.axis.data)
        record_reads([member_id], "audit-who-could-see", "trustee")  # the page names them
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
        member = views.member_named(member_id)
        said = words.who_could_see_in_words(svc.catalogue, member, rows, at)
        return (
            flat,
            ["organisation", "kind", "purpose", "categories", "consent_id", "valid_from", "valid_to"],
            {"member": member, "at": at, "axis": words.AXIS_WORDS[form.axis.data], "sentence": said["sentence"]},
        )
    if question == "what-could-see":
        start = moment(form.start.data) or now
        end = moment(form.end.data)
        organisation_id = UUID(form.organisation.data)
        rows = views.what_could_see(organisation_id, start, end, form.axis.data)
        record_reads((r["member_id"] for r in rows), "audit-what-could-see", "trustee")  # the answer names them
        organisation = dict(_organisation_choices()).get(str(organisation_id), "")
        members = len({r["member_id"] for r in rows})
        return (
            rows,
            ["member", "member_id", "category", "purpose", "consent_id", "valid_from", "valid_to"],
            {
                "organisation": organisation,
                "start": start,
                "end": end,
                "members": members,
                "axis": words.AXIS_WORDS[form.axis.data],
                "sentence": words.what_could_see_sentence(organisation, members, start, end),
            },
        )
    if question == "history":
        member_id = views.find_member(form.member.data)
        rows = views.history(member_id)
        record_reads([member_id], "audit-history", "trustee")
        return (
            rows,
            ["recorded_at", "effective_at", "what", "text", "actor"],
            {"member": views.member_named(member_id), "facts": views.history_in_words(member_id, svc.catalogue)},
        )
    if question == "who-read":
        member_id = views.find_member(form.member.data)
        rows = views.who_read(member_id)
        record_reads([member_id], "audit-who-read", "trustee")
        who = views.actor_words()
        return (
            rows,
            ["recorded_at", "reader", "text"],
            {
                "member": views.member_named(member_id),
                "readers": [who(r["actor"]) if r["staff"] else r["reader"] for r in rows],
                "texts": [r["text"] for r in views.who_read(member_id, svc.catalogue)],  # in titles, not codes
            },
        )
    if question == "explain":
        at = moment(form.at.data) or now
        one = views.explain(
            UUID(form.organisation.data), views.find_member(form.member.data), form.category.data, at, form.axis.data
        )
        record_reads([one["member_id"]], "audit-explain", "trustee")
        said = views.explain_in_words(one, svc.catalogue)
        return (
            [one],
            ["organisation", "member", "category", "at", "axis", "allowed", "consent_ids", "reasons"],
            {**said, "answer": one, "member": views.member_named(one["member_id"])},
        )
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
    rows, columns, said, status = None, [], {}, 200
    if asked:
        if form.validate():
            try:
                rows, columns, said = answer(question, form)
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
        said=said,
        asks_member="member" in form,
    )


@blueprint.route("/members")
@requires("trustee")
def find_member():  # type: ignore[no-untyped-def]
    """A trustee finds the member they are auditing by name or code (a staff read, like a caseworker's search)."""
    text = request.args.get("q", "")[:200]
    found = services().views.search_members(text) if text.strip() else None
    record_reads((m["member_id"] for m in found or ()), "audit-search", "trustee")
    return page("audit/find.html", q=text, found=found, questions=MEMBER_QUESTIONS)


MEMBER_QUESTIONS = {q: QUESTIONS[q] for q in ("who-could-see", "history", "who-read", "explain")}
LATE_FACTS_PER_PAGE = 20


def _late_facts_filter(args) -> tuple[dict, list[str]]:  # type: ignore[no-untyped-def]
    """The filter the trustee chose, and a sentence for each thing in it that cannot be understood."""
    errors = []
    kind = args.get("kind", "")
    if kind and kind not in words.FACT_KINDS:
        errors.append(f"There is no kind of late fact called {kind[:40]!r}; choose one from the list.")
        kind = ""
    chosen = {"kind": kind, "with_reads": args.get("with_reads") == "yes", "start": None, "end": None}
    for name, label in (("start", "Recorded from"), ("end", "Recorded until")):
        try:
            day = date.fromisoformat(args[name]) if args.get(name) else None
        except ValueError:
            errors.append(f"{label}: {args[name][:40]!r} is not a date; write it like 2026-03-02.")
            continue
        if day is not None:
            chosen[name] = datetime.combine(day + timedelta(days=1 if name == "end" else 0), time(), LOCAL)
    if chosen["start"] and chosen["end"] and chosen["end"] <= chosen["start"]:
        errors.append("Recorded until must be on or after Recorded from.")
    try:
        chosen["page"] = int(args.get("page", "1"))
        if chosen["page"] < 1:
            raise ValueError
    except ValueError:
        errors.append("The page number must be a whole number, 1 or more.")
        chosen["page"] = 1
    return chosen, errors


@blueprint.route("/late-facts")
@requires("trustee")
def late_facts():  # type: ignore[no-untyped-def]
    svc = services()
    if request.args.get("format") == "csv":
        rows = svc.views.late_facts()
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
        return csv_download(rows, columns, "late-facts")
    chosen, errors = _late_facts_filter(request.args)
    if errors:  # nothing read, nothing recorded
        return page("audit/late_facts.html", 400, errors=errors, chosen=chosen, kinds=words.FACT_KINDS, shown=None)
    report = svc.views.late_facts_in_words(svc.catalogue)
    matching = words.choose_late_facts(report, chosen["kind"], chosen["with_reads"], chosen["start"], chosen["end"])
    pages = max(1, -(-len(matching) // LATE_FACTS_PER_PAGE))
    number = min(chosen["page"], pages)
    shown = matching[(number - 1) * LATE_FACTS_PER_PAGE : number * LATE_FACTS_PER_PAGE]
    record_reads({m for e in shown for m in e["member_ids"]}, "audit-late-facts", "trustee")  # the page names them
    filters = {k: v for k, v in request.args.items() if k in ("kind", "with_reads", "start", "end") and v}
    return page(
        "audit/late_facts.html",
        errors=[],
        chosen=chosen,
        kinds=words.FACT_KINDS,
        shown=shown,
        total=len(report),
        matching=len(matching),
        number=number,
        pages=pages,
        filters=filters,
    )
