"""The organisation API against its own OpenAPI document, with schemathesis.

Requests are generated from /api/v1/openapi.json (valid ones, and ones the document
forbids) and sent to the WSGI app with a live token of an approved social lender.
Every response must be documented and match its schema, and no request may fail
(500). Every read of a real member is recorded as an access attempt (allowed or
refused) and returns only the categories that member's consent allows; requests
that never reach a member are refused as the document says (400, 401, 403) and
record nothing."""

import csv
import io
import json
from datetime import UTC, datetime
from uuid import UUID

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import func, select

from domain.kernel.actors import Actor
from domain.trust import CONFIRMATION_WAYS, Audience
from projections.consent.tables import access_attempts
from tests.conftest import TRUSTEE

LIST, READ = "/api/v1/members", "/api/v1/members/{member_id}"
PACK = "/api/v1/members/{member_id}/pack"  # the same read, every category at once (JSON or CSV)
INSIGHT, INSIGHT_ONE = "/api/v1/insight-requests", "/api/v1/insight-requests/{request_id}"
STANDARD = "/api/v1/standard"
FUNDS, FUND_ONE = "/api/v1/funds", "/api/v1/funds/{fund_id}"
SIGNED = datetime(2026, 2, 27, tzinfo=UTC)
CASEWORKER, SECOND = Actor("caseworker", "reg"), Actor("caseworker", "cass")
CATALOGUE_CATEGORIES = {"contact", "profile", "household-finances", "housing", "wellbeing", "panel-answers"}
SHARED = {"contact", "household-finances"}  # what the sharing member allows social lenders, for affordable credit
API_FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


@pytest.fixture
def members(web_services, lender) -> dict:
    """Members whose reads tell consent apart: name -> member id."""
    trust = web_services.trust
    lender_id = lender[0]

    def member(name: str, confirmed: bool = True) -> UUID:
        member_id = trust.register_member(
            name, CASEWORKER, channel="paper", evidence_ref="PF-1", effective_at=SIGNED, contact="07700 900000"
        )
        if confirmed:
            trust.confirm_member(member_id, SECOND, CONFIRMATION_WAYS[1])
        return member_id

    def consent(member_id: UUID, purpose: str, categories: list[str], audience: Audience) -> UUID:
        return trust.grant_consent(
            member_id, purpose, categories, audience, CASEWORKER, collected_via="paper", evidence_ref="PF-1"
        )

    sharing = member("Sharing Member")
    consent(sharing, "affordable-credit", sorted(SHARED), Audience(kind="social-lender"))
    named = member("Named Lender Only")
    consent(named, "affordable-credit", ["profile"], Audience(organisation_id=lender_id))
    researcher_only = member("Research Only")
    consent(researcher_only, "research", ["profile", "wellbeing"], Audience(kind="researcher"))
    unconfirmed = member("Not Confirmed Yet", confirmed=False)
    consent(unconfirmed, "affordable-credit", ["contact"], Audience(kind="social-lender"))
    withdrawn = member("Withdrew")
    revoked = consent(withdrawn, "affordable-credit", ["contact"], Audience(kind="social-lender"))
    trust.revoke_consent(revoked, CASEWORKER, evidence_ref="WD-1")
    other = trust.register_organisation("Another Lender", "social-lender", TRUSTEE)
    elsewhere = member("Other Lender Only")
    consent(elsewhere, "affordable-credit", ["contact"], Audience(organisation_id=other))
    return {
        "sharing": sharing,
        "named": named,
        "researcher_only": researcher_only,
        "unconfirmed": unconfirmed,
        "withdrawn": withdrawn,
        "elsewhere": elsewhere,
    }


def allowed(members: dict, member_id: UUID, purpose: str) -> set[str]:
    """What the lender may see of a member, for a purpose (what consent says)."""
    if purpose != "affordable-credit":
        return set()
    return {members["sharing"]: SHARED, members["named"]: {"profile"}}.get(member_id, set())


def attempts(services) -> list:
    with services.views.reading() as conn:
        return conn.execute(select(access_attempts).order_by(access_attempts.c.recorded_at)).all()


def attempt_count(services) -> int:
    with services.views.reading() as conn:
        return conn.execute(select(func.count()).select_from(access_attempts)).scalar()


def _json(content: bytes) -> dict:
    try:
        body = json.loads(content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _mutates(case, location: ParameterLocation) -> bool:
    data = case.meta.phase.data if case.meta is not None else None
    return any(m.parameter_location == location for m in getattr(data, "mutations", ()))


def call(case, operation, services, members: dict, headers: dict | None):  # type: ignore[no-untyped-def]
    """Send one case, validate it against the document, and check what it recorded."""
    before = attempt_count(services)
    # A well-formed insight request may still break the trust's rules (a closing time already past,
    # quotas the catalogue's profile cannot meet): 400 with the trust's sentence, as the document says.
    # So may a well-formed fund (a closing date past, criteria fitting fewer than the minimum cell size).
    excluded = (
        [positive_data_acceptance] if operation.path in (INSIGHT, FUNDS) and case.method.upper() == "POST" else []
    )
    response = case.call_and_validate(headers=headers, excluded_checks=excluded)
    status, body = response.status_code, _json(response.content)
    grew = attempt_count(services) - before
    assert status != 500
    if status == 401:
        assert headers is None, "a live token was refused"
    if operation.path in (INSIGHT, INSIGHT_ONE):
        # Insight requests are never reads of a member; the lender's are its own (an unknown id is 404).
        assert grew == 0, "an insight request call recorded a read of a member"
        if status == 201:
            assert body["status"] == "submitted" and body["result"] is None
        if operation.path == INSIGHT_ONE:
            assert status in (200, 401, 403, 404), status
        return status
    if operation.path == STANDARD:
        assert grew == 0 and status == 200, "the data standard is public and reads nobody"
        return status
    if operation.path in (FUNDS, FUND_ONE):
        # Funds are never reads of a member: publishing one tells members; the lender's are its own.
        assert grew == 0, "a fund call recorded a read of a member"
        if operation.path == FUND_ONE:
            assert status in (200, 401, 403, 404), status
        return status
    if operation.path == LIST:
        assert grew == 0, "listing members is not a read of their data"
        if status == 200:
            for listed in body["members"]:
                categories = set(listed["categories"])
                assert categories, listed
                assert categories <= allowed(members, UUID(listed["member_id"]), body["purpose"]), listed
        return status
    # Reading one member: recorded, allowed or refused, and never more than consent allows.
    # A refusal never says whether the id is a member's: a recorded one is told by the store.
    if status == 200 or (status == 403 and grew == 1):
        assert grew == 1, f"a read of a member was not recorded once ({status})"
        row = attempts(services)[-1]
        if _content_type(response).startswith("text/csv"):  # a pack as a spreadsheet
            body = {"access_id": str(row.attempt_id), **_pack_csv(response.text)}
        assert status == 403 or str(row.attempt_id) == body["access_id"]
        assert row.member_id == UUID(case.path_parameters["member_id"])
        may_see = allowed(members, row.member_id, row.purpose)
        assert set(row.granted) <= may_see, "access granted beyond consent"
        if status == 200:
            assert set(body["fields"]) == set(body["consents"]) == set(row.granted)
            assert set(body["fields"]) <= may_see, "data returned without consent"
            assert {r["category"] for r in body.get("rows", [])} <= may_see, "a pack row without consent"
        else:
            assert set(body) == {"error"} and row.granted == {}
    else:
        assert grew == 0, f"refused ({status}) but recorded"
        assert status in (400, 401, 403), status
        if status == 403:  # refused before reaching a member: so not one of the trust's members
            assert str(case.path_parameters["member_id"]) not in {str(m) for m in members.values()}
    return status


def _content_type(response) -> str:  # type: ignore[no-untyped-def]
    found = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
    return found[0] if isinstance(found, list) else found


def _pack_csv(text: str) -> dict:
    rows = list(csv.DictReader(io.StringIO(text)))
    categories = {r["category"] for r in rows}
    return {"fields": categories, "consents": categories, "rows": rows}


def exchanges(operation, mode: GenerationMode, token: str, services, members: dict):  # type: ignore[no-untyped-def]
    """A hypothesis test: requests generated for one operation, sent, validated and checked."""

    @API_FUZZ
    @given(case=operation.as_strategy(generation_mode=mode), real=st.sampled_from([None, *sorted(members.values())]))
    def exchange(case, real):  # type: ignore[no-untyped-def]
        if real is not None and mode is GenerationMode.POSITIVE:
            # Real members, so that reads reach consent (random ids never do).
            if operation.path in (READ, PACK):
                case.path_parameters["member_id"] = str(real)
            elif "after" in case.query:
                case.query["after"] = str(real)
        # The document's security scheme makes schemathesis invent a token: send the real one,
        # unless this case is about a broken Authorization header.
        header_broken = mode is GenerationMode.NEGATIVE and _mutates(case, ParameterLocation.HEADER)
        headers = None if header_broken else {"Authorization": f"Bearer {token}"}
        status = call(case, operation, services, members, headers)
        event(f"{operation.path} {mode.value} -> {status}")

    return exchange


def test_the_api_conforms_to_its_openapi_document(app, web_services, lender, members):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = lender[1]
    operations = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations[operation.path] = operation
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if operation.path == STANDARD and mode is GenerationMode.NEGATIVE:
                continue  # it takes no parameter, body or token: there is nothing to send wrong
            exchanges(operation, mode, token, web_services, members)()
    assert set(operations) == {LIST, READ, PACK, INSIGHT, INSIGHT_ONE, STANDARD, FUNDS, FUND_ONE}
    # And every member, for every purpose: each read is recorded and shows only what consent allows.
    auth = {"Authorization": f"Bearer {token}"}
    read, pack, listing = operations[READ], operations[PACK], operations[LIST]
    for purpose in sorted(_document(app)["paths"][LIST]["get"]["parameters"][0]["schema"]["enum"]):
        assert call(listing.Case(query={"purpose": purpose}), listing, web_services, members, auth) == 200
        for name, member_id in members.items():
            case = read.Case(path_parameters={"member_id": str(member_id)}, query={"purpose": purpose})
            status = call(case, read, web_services, members, auth)
            assert status == (200 if allowed(members, member_id, purpose) else 403), (name, purpose)
            for fmt in ("json", "csv"):
                query = {"purpose": purpose, "format": fmt}
                case = pack.Case(path_parameters={"member_id": str(member_id)}, query=query)
                assert call(case, pack, web_services, members, auth) == status, (name, purpose, fmt)
    assert {row.member_id for row in attempts(web_services)} == set(members.values())


def _document(app) -> dict:
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _parameter(document: dict, path: str, name: str) -> dict:
    [found] = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


# Once failed: the document said any string, the server refused unknown categories.
def test_the_document_names_the_categories(app, lender, members):
    token = lender[1]
    validator = jsonschema_rs.validator_for(_parameter(_document(app), READ, "categories"), validate_formats=True)
    client = app.test_client()
    rejected = []
    for categories in ("replace", "contact,secrets", "Contact"):
        response = client.get(
            f"/api/v1/members/{members['sharing']}",
            query_string={"purpose": "affordable-credit", "categories": categories},
            headers={"Authorization": f"Bearer {token}"},
        )
        if validator.is_valid(categories) and response.status_code == 400:
            rejected.append(categories)
    assert rejected == [], "values the document allows, refused as malformed"


# Once failed: ids were accepted in any spelling uuid.UUID reads.
def test_ids_the_document_forbids_are_refused(app, lender, members):
    token = lender[1]
    document = _document(app)
    uuid_only = jsonschema_rs.validator_for(_parameter(document, LIST, "after"), validate_formats=True)
    assert _parameter(document, READ, "member_id") == _parameter(document, LIST, "after")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    some = members["sharing"]
    accepted = []
    for spelling in ("", f"{{{some}}}", f"urn:uuid:{some}", some.hex, str(some).upper()):
        if uuid_only.is_valid(spelling):
            continue
        response = client.get(LIST, query_string={"purpose": "affordable-credit", "after": spelling}, headers=auth)
        if response.status_code != 400:
            accepted.append((f"after={spelling}", response.status_code))
        if spelling:
            response = client.get(f"{LIST}/{spelling}", query_string={"purpose": "affordable-credit"}, headers=auth)
            if response.status_code == 200:
                accepted.append((f"member_id={spelling}", response.status_code))
    assert accepted == [], "ids the document forbids, accepted"
