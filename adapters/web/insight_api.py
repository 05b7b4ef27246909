"""Insight requests in the organisation API: send one, list yours, read one (with its
result once closed). Same bearer token as the rest of the API; another organisation's
request is answered 404, as if it did not exist."""

from datetime import datetime
from uuid import UUID

from flask import g, jsonify, url_for

from adapters.web.api import blueprint, member_id_in, organisation_token, problem
from adapters.web.insight_forms import Draft, criteria_of, questions_of
from adapters.web.insight_schema import problems as shape_problems
from adapters.web.insight_schema import submission
from adapters.web.json_body import UnreadableJson, json_body
from adapters.web.pages import services
from domain.kernel.actors import Actor

NOT_FOUND = "No insight request of your organisation is known by that id."


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def summary(found: dict) -> dict:
    return {
        "id": str(found["id"]),
        "title": found["title"],
        "purpose": found["purpose"],
        "status": found["status"],
        "fee_offered_pence": found["fee_offered_pence"],
        "closes_at": _iso(found["closes_at"]),
        "submitted_at": _iso(found["submitted_at"]),
    }


def detail(found: dict) -> dict:
    """What the organisation may know of its request: never member ids, the roster or the draw."""
    return {
        **summary(found),
        "questions": [
            {"code": q["code"], "kind": q["kind"], "text": q["text"], "options": list(q.get("options") or ())}
            for q in found["questions"]
        ],
        "criteria": found["criteria"],
        "reviews": [{"decision": r["decision"], "reason": r["reason"], "at": _iso(r["at"])} for r in found["reviews"]],
        "result": found["result"],
        "free_text": found["free_text"],
    }


def draft_from_json(body: dict) -> Draft:
    criteria = body["criteria"]
    rows = [{"kind": q["kind"], "text": q["text"], "options": q.get("options") or []} for q in body["questions"]]
    return Draft(
        title=body["title"],
        purpose=body["purpose"],
        questions=questions_of(rows),
        criteria=criteria_of(
            criteria["size"],
            criteria.get("quotas") or [],
            criteria.get("breakdown") or [],
            criteria.get("one_per_household", True),
        ),
        fee_offered_pence=body["fee_offered_pence"],
        closes_at=datetime.fromisoformat(body["closes_at"].upper()),
    )


@blueprint.route("/insight-requests", methods=["POST"])
@organisation_token
def submit_insight_request():  # type: ignore[no-untyped-def]
    svc = services()
    try:
        body = json_body()
    except UnreadableJson as error:
        return problem(400, str(error))
    wrong = shape_problems(submission(svc.catalogue), body)
    if wrong:  # every missing or invalid field at once, not one per try
        sentences = [sentence[0].upper() + sentence[1:] for sentence in wrong]
        return problem(400, " ".join(sentences), problems=sentences)
    draft = draft_from_json(body)
    request_id = svc.trust.submit_insight_request(  # a refusal is a TrustError: 400 with its sentence
        g.organisation_id,
        draft.title,
        draft.purpose,
        draft.questions,
        draft.criteria,
        draft.fee_offered_pence,
        draft.closes_at,
        Actor("organisation", f"api token {g.token_id}"),
    )
    response = jsonify(detail(svc.views.insight_request(request_id)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.insight_request", request_id=str(request_id))
    return response


@blueprint.route("/insight-requests")
@organisation_token
def insight_requests():  # type: ignore[no-untyped-def]
    mine = services().views.insight_requests(organisation_id=g.organisation_id)
    return jsonify({"requests": [summary(found) for found in mine]})


@blueprint.route("/insight-requests/<request_id>")
@organisation_token
def insight_request(request_id: str):  # type: ignore[no-untyped-def]
    wanted: UUID | None = member_id_in(request_id)  # the same canonical id spelling
    found = services().views.insight_request(wanted) if wanted else None
    if found is None or found["organisation_id"] != g.organisation_id:
        return problem(404, NOT_FOUND)
    return jsonify(detail(found))
