"""The organisation API: JSON, one bearer token per organisation.

Every read of a member's data is recorded as an access attempt with the consent
it relied on; a read with no consent behind it gets 403 and is recorded as
refused. A revoked token (401) or a suspended organisation (403) is refused at
once: both are checked against the read models on every request."""

import re
from functools import wraps
from uuid import UUID

from flask import Blueprint, Response, g, jsonify, request

from adapters.web.openapi import document
from adapters.web.pages import services
from domain.kernel.actors import Actor
from domain.kernel.errors import NotFound, TrustError
from domain.organisations.api_tokens import token_digest

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_TOKEN = 200
CANONICAL_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def member_id_in(text: str | None) -> UUID | None:
    """A member id exactly as the API hands them out (36 characters), else None."""
    return UUID(text) if text and CANONICAL_UUID.match(text) else None


def problem(status: int, message: str, **extra) -> Response:  # type: ignore[no-untyped-def]
    response = jsonify({"error": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="datatrust"'
    return response


def organisation_token(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
        scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN:
            return problem(401, "Send the organisation's API token as 'Authorization: Bearer <token>'.")
        holder = services().views.token_holder(token_digest(token))
        if holder is None or holder["revoked_rec"] is not None:
            return problem(401, "This token is not valid: it is unknown or has been revoked.")
        if holder["status"] != "approved":
            return problem(403, f"The organisation is {holder['status']}; it may not read member data now.")
        g.organisation_id = holder["organisation_id"]
        g.token_id = holder["token_id"]
        return view(*args, **kwargs)

    return guarded


def _purpose() -> str:
    purpose = request.args.get("purpose", "")
    services().catalogue.readable_purpose(purpose)  # unknown, or only released as panel results -> 400
    return purpose


@blueprint.errorhandler(TrustError)
def refused(error: TrustError):  # type: ignore[no-untyped-def]
    return problem(404 if isinstance(error, NotFound) else 400, str(error))


@blueprint.route("/standard")
def standard():  # type: ignore[no-untyped-def]
    """The trust's data standard: every category's fields, by version (public, like the API's description)."""
    catalogue = services().catalogue
    return jsonify({"categories": catalogue.standard.published(catalogue.categories)})


@blueprint.route("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(document(services().catalogue))


@blueprint.route("/members")
@organisation_token
def visible_members():  # type: ignore[no-untyped-def]
    purpose = _purpose()
    after_text = request.args.get("after")
    after = member_id_in(after_text)
    if after_text is not None and after is None:
        return problem(400, "'after' must be a member id from the previous page's 'next'.")
    svc = services()
    page, next_after = svc.views.visible_members(g.organisation_id, purpose, svc.clock(), after)
    return jsonify(
        {
            "purpose": purpose,
            "members": [{"member_id": str(m["member_id"]), "categories": m["categories"]} for m in page],
            "next": str(next_after) if next_after else None,
        }
    )


def permitted_fields(personal: dict, shared: dict, categories: list[str]) -> dict:
    """The member's data in the categories allowed: a shared category as its latest submission
    (fields, schema version, when shared); None where the trust holds nothing yet."""
    fields: dict = {}
    for category in categories:
        if category == "contact":
            fields["contact"] = {"name": personal.get("name"), "contact": personal.get("contact")}
        elif category == "profile":
            fields["profile"] = personal.get("profile", {})
        elif category in shared:
            fields[category] = shared[category].as_json()
        else:
            fields[category] = None
    return fields


NO_CONSENT = "No consent allows this organisation to read this member's data for this purpose."


def consented_read(member_ref: str, purpose: str, categories: list[str]):  # type: ignore[no-untyped-def]
    """Record the organisation's read of ``categories`` of a member as one access: (member id, the
    outcome) when consent allows any of them, else the refusal (403), the same for every reason."""
    svc = services()
    member_id = member_id_in(member_ref)
    # One answer, byte for byte, whether the id is unknown, or a member (current, left or
    # erased) without consent: the API never tells who is a member. The refused read of
    # a real member is still recorded in their history.
    refusal = problem(403, NO_CONSENT)
    if member_id is None:
        return refusal
    actor = Actor("organisation", f"api token {g.token_id}")
    try:
        outcome = svc.trust.record_access(g.organisation_id, member_id, purpose, categories, actor)
    except NotFound:
        return refusal
    if not outcome.granted:
        return refusal
    return member_id, outcome


@blueprint.route("/members/<member_ref>")
@organisation_token
def read_member(member_ref: str):  # type: ignore[no-untyped-def]
    purpose = _purpose()
    svc = services()
    wanted = [c for c in (request.args.get("categories") or "").split(",") if c.strip()]
    categories = [c.strip() for c in wanted] or list(svc.catalogue.categories)
    svc.catalogue.check_categories(categories)
    found = consented_read(member_ref, purpose, categories)
    if isinstance(found, Response):
        return found
    member_id, outcome = found
    personal, shared = svc.trust.held_data(member_id, outcome.granted)
    return jsonify(
        {
            "member_id": str(member_id),
            "purpose": purpose,
            "access_id": str(outcome.attempt_id),
            "fields": permitted_fields(personal or {}, shared, sorted(outcome.granted)),
            "consents": {c: str(cid) for c, cid in sorted(outcome.granted.items())},
            "withheld": list(outcome.refused),
        }
    )
