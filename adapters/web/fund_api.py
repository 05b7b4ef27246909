"""Funds in the organisation API: publish one, list yours, read one. A fund is told to the members it
fits who asked to hear of funds; the funder sees how many were told (withheld below the minimum cell
size) and then the members who chose to share their application pack with it. Another organisation's
fund is answered 404, as if it did not exist."""

from datetime import datetime
from uuid import UUID

from flask import g, jsonify, url_for

from adapters.web import fund_schema
from adapters.web.api import blueprint, member_id_in, organisation_token, problem
from adapters.web.json_body import UnreadableJson, json_body
from adapters.web.pages import services
from domain.funds.commands import told_shown
from domain.kernel.actors import Actor

NOT_FOUND = "No fund of your organisation is known by that id."
KEYS = ("title", "amount_min_pence", "amount_max_pence", "criteria", "closes_at", "published_at")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def shown(found: dict, min_cell: int) -> dict:
    """What the funder may know of its fund: how many were told (or why not), and who shared their pack."""
    told = told_shown(found["told"], min_cell)
    withheld = None if told is not None else f"Fewer than {min_cell} members were told: too few to say how many."
    body = {key: found[key] for key in KEYS}
    shares = [s for s in found.get("shares", []) if s["standing"]]
    return {
        "id": str(found["id"]),
        **body,
        "closes_at": _iso(found["closes_at"]),
        "published_at": _iso(found["published_at"]),
        "told": told,
        "told_withheld": withheld,
        "shared": [{"member_id": str(s["member_id"]), "shared_at": _iso(s["shared_at"])} for s in shares],
    }


def _min_cell() -> int:
    return services().trust.live_rule("min-cell-size").value


def _mine(fund_id: UUID | None) -> dict | None:
    svc = services()
    found = svc.views.fund(fund_id, svc.clock()) if fund_id else None
    return found if found is not None and found["organisation_id"] == g.organisation_id else None


@blueprint.route("/funds", methods=["POST"])
@organisation_token
def publish_fund():  # type: ignore[no-untyped-def]
    svc = services()
    try:
        body = json_body()
    except UnreadableJson as error:
        return problem(400, str(error))
    wrong = fund_schema.problems(fund_schema.publication(svc.catalogue), body)
    if wrong:  # every missing or invalid field at once
        sentences = [sentence[0].upper() + sentence[1:] for sentence in wrong]
        return problem(400, " ".join(sentences), problems=sentences)
    assert isinstance(body, dict)
    fund_id = svc.trust.publish_fund(  # a refusal is a TrustError: 400 with its sentence
        g.organisation_id,
        body["title"],
        body["amount_min_pence"],
        body["amount_max_pence"],
        body.get("criteria") or {},
        datetime.fromisoformat(body["closes_at"].upper()),
        Actor("organisation", f"api token {g.token_id}"),
    )
    response = jsonify(shown(_mine(fund_id), _min_cell()))  # type: ignore[arg-type]
    response.status_code = 201
    response.headers["Location"] = url_for("api.fund", fund_id=str(fund_id))
    return response


@blueprint.route("/funds")
@organisation_token
def funds():  # type: ignore[no-untyped-def]
    svc, least = services(), _min_cell()
    mine = [_mine(found["id"]) for found in svc.views.funds(organisation_id=g.organisation_id)]
    return jsonify({"funds": [shown(found, least) for found in mine if found is not None]})


@blueprint.route("/funds/<fund_id>")
@organisation_token
def fund(fund_id: str):  # type: ignore[no-untyped-def]
    found = _mine(member_id_in(fund_id))  # the same canonical id spelling
    if found is None:
        return problem(404, NOT_FOUND)
    return jsonify(shown(found, _min_cell()))
