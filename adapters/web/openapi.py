"""The OpenAPI 3.1 document of the organisation API (served at /api/v1/openapi.json)."""

from adapters.web import fund_schema, insight_schema
from domain.kernel.catalogue import Catalogue

CANONICAL = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {"type": "string"},
            "description": "An insight request that does not fit its shape: every problem found, one sentence each "
            "(the error says them all).",
        },
    },
}


def _responses(ok: dict, *codes: int) -> dict:
    words = {
        400: "The request is malformed (unknown purpose or category, bad page marker), or the trust refuses it.",
        401: "No token, an unknown token or a revoked token.",
        403: (
            "The organisation is suspended, or no consent allows the read: the same answer whether or not "
            "the id is a member's (a member's refusal is recorded in their history)."
        ),
        404: "No such insight request or fund of this organisation.",
    }
    responses = {"201" if ok.get("created") else "200": {k: v for k, v in ok.items() if k != "created"}}
    for code in codes:
        responses[str(code)] = {
            "description": words[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return responses


def _json(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def insight_paths(catalogue: Catalogue) -> dict:
    """Insight requests: ask the trust's members a few questions, receive anonymous counts."""
    request_id = {
        "name": "request_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid", "pattern": CANONICAL},
    }
    listing = {
        "type": "object",
        "required": ["requests"],
        "properties": {"requests": {"type": "array", "items": {"$ref": "#/components/schemas/InsightRequestSummary"}}},
    }
    return {
        "/api/v1/insight-requests": {
            "post": {
                "operationId": "submitInsightRequest",
                "summary": "Ask the community: send an insight request for the trustees to review",
                "requestBody": {"required": True, "content": _json("InsightRequestSubmission")},
                "responses": _responses(
                    {
                        "created": True,
                        "description": "Received; the trustees review it.",
                        "content": _json("InsightRequest"),
                    },
                    400,
                    401,
                    403,
                ),
            },
            "get": {
                "operationId": "listInsightRequests",
                "summary": "Your organisation's insight requests, newest first",
                "responses": _responses(
                    {"description": "Every request.", "content": {"application/json": {"schema": listing}}}, 401, 403
                ),
            },
        },
        "/api/v1/insight-requests/{request_id}": {
            "get": {
                "operationId": "readInsightRequest",
                "summary": "One of your requests: status, reasons and, once closed, the anonymised result",
                "parameters": [request_id],
                "responses": _responses(
                    {"description": "The request.", "content": _json("InsightRequest")}, 401, 403, 404
                ),
            }
        },
    }


def fund_paths() -> dict:
    """Funds: publish one to the members it fits who asked to hear of funds; see how many were told
    and who chose to share their application pack with you."""
    fund_id = {
        "name": "fund_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid", "pattern": CANONICAL},
    }
    listing = {
        "type": "object",
        "required": ["funds"],
        "properties": {"funds": {"type": "array", "items": {"$ref": "#/components/schemas/Fund"}}},
    }
    return {
        "/api/v1/funds": {
            "post": {
                "operationId": "publishFund",
                "summary": "Publish a fund: the trust tells the members it fits who asked to hear of funds "
                "(refused if fewer than the minimum cell size fit: it would single them out)",
                "requestBody": {"required": True, "content": _json("FundPublication")},
                "responses": _responses(
                    {
                        "created": True,
                        "description": "Published; the members it fits are told.",
                        "content": _json("Fund"),
                    },
                    400,
                    401,
                    403,
                ),
            },
            "get": {
                "operationId": "listFunds",
                "summary": "Your organisation's funds, newest first",
                "responses": _responses(
                    {"description": "Every fund.", "content": {"application/json": {"schema": listing}}}, 401, 403
                ),
            },
        },
        "/api/v1/funds/{fund_id}": {
            "get": {
                "operationId": "readFund",
                "summary": "One of your funds: how many were told, and the members who shared their pack with you",
                "parameters": [fund_id],
                "responses": _responses({"description": "The fund.", "content": _json("Fund")}, 401, 403, 404),
            }
        },
    }


def pack_path(purpose: dict) -> dict:
    """An application pack: every category consent allows, in one recorded read (JSON or CSV)."""
    member_id = {
        "name": "member_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid", "pattern": CANONICAL},
    }
    fmt = {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "json (the default) or csv; 'Accept: text/csv' also gives CSV.",
        "schema": {"type": "string", "enum": ["json", "csv"]},
    }
    csv_body = {
        "type": "string",
        "description": "A header row (category, record, field, label, value), then one row per field (per record "
        "for funding history), values as a person reads them; a cell starting =, +, - or @ is quoted with '.",
    }
    return {
        "get": {
            "operationId": "readApplicationPack",
            "summary": "An organisation-member's application pack: contact, organisation profile, funding history "
            "and any other category consent allows, in one read (recorded as one access)",
            "parameters": [member_id, purpose, fmt],
            "responses": _responses(
                {
                    "description": "The permitted categories, labelled rows of them, and the consents relied on.",
                    "content": {**_json("MemberPack"), "text/csv": {"schema": csv_body}},
                },
                400,
                401,
                403,
            ),
        }
    }


def pack_schema() -> dict:
    row = {
        "type": "object",
        "required": ["category", "record", "field", "label", "value"],
        "properties": {
            "category": {"type": "string"},
            "record": {"type": "string", "description": "A record's grant id (or number); empty for one-off fields."},
            "field": {"type": "string"},
            "label": {"type": "string"},
            "value": {"type": ["string", "null"], "description": "As a person reads it: money in pounds, words."},
        },
    }
    return {
        "type": "object",
        "required": ["member_id", "purpose", "access_id", "fields", "rows", "consents", "withheld"],
        "properties": {
            "member_id": {"type": "string", "format": "uuid"},
            "purpose": {"type": "string"},
            "access_id": {"type": "string", "format": "uuid"},
            "fields": {"$ref": "#/components/schemas/MemberData/properties/fields"},
            "rows": {"type": "array", "items": row},
            "consents": {"type": "object", "additionalProperties": {"type": "string", "format": "uuid"}},
            "withheld": {"type": "array", "items": {"type": "string"}},
        },
    }


def document(catalogue: Catalogue) -> dict:
    purpose = {
        "name": "purpose",
        "in": "query",
        "required": True,
        "description": (
            "Why the organisation reads the data; one of the trust's purposes. Purposes answered by "
            "panels (community insight) are never read member by member, only as anonymised results; "
            "purposes used only inside the trust (benchmarking, news of funds) are never read by an organisation."
        ),
        "schema": {"type": "string", "enum": sorted(catalogue.readable_purposes())},
    }
    categories = sorted(catalogue.categories)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "datatrust organisation API",
            "version": "1.0.0",
            "description": (
                "Read what the trust's members allow your organisation to see. Every read of a member is "
                "recorded with the consent it relied on and shown to the member; a read without consent is "
                "refused (403) and recorded too. Use HTTPS and keep the token secret."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"organisationToken": []}],
        "paths": {
            "/api/v1/members": {
                "get": {
                    "operationId": "listVisibleMembers",
                    "summary": "Members and the data categories the organisation may see now, for a purpose",
                    "parameters": [
                        purpose,
                        {
                            "name": "after",
                            "in": "query",
                            "required": False,
                            "description": "The 'next' value of the previous page.",
                            "schema": {"type": "string", "format": "uuid", "pattern": CANONICAL},
                        },
                    ],
                    "responses": _responses(
                        {
                            "description": "One page (up to 500 members).",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MemberList"}}},
                        },
                        400,
                        401,
                        403,
                    ),
                }
            },
            "/api/v1/standard": {
                "get": {
                    "operationId": "readDataStandard",
                    "summary": "The trust's data standard: each category's fields, by version",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "Every category members share, with each published version's fields "
                            "(type, label, question, required, unit, bounds, choices).",
                            "content": {"application/json": {"schema": {"type": "object", "required": ["categories"]}}},
                        }
                    },
                }
            },
            **insight_paths(catalogue),
            **fund_paths(),
            "/api/v1/members/{member_id}": {
                "get": {
                    "operationId": "readMember",
                    "summary": "Read one member's data in the categories consent allows (recorded)",
                    "parameters": [
                        {
                            "name": "member_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid", "pattern": CANONICAL},
                        },
                        purpose,
                        {
                            "name": "categories",
                            "in": "query",
                            "required": False,
                            "description": "The categories wanted, comma-separated; default: all. "
                            "Categories without consent are withheld (and recorded as refused).",
                            "style": "form",
                            "explode": False,
                            "schema": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "string", "enum": categories},
                            },
                        },
                    ],
                    "responses": _responses(
                        {
                            "description": "The permitted fields, and the consents relied on.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MemberData"}}},
                        },
                        400,
                        401,
                        403,
                    ),
                }
            },
            "/api/v1/members/{member_id}/pack": pack_path(purpose),
        },
        "components": {
            "securitySchemes": {"organisationToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": ERROR,
                "InsightRequestSubmission": insight_schema.submission(catalogue),
                "InsightRequestSummary": insight_schema.request_summary(),
                "InsightRequest": insight_schema.request_detail(),
                "FundPublication": fund_schema.publication(catalogue),
                "Fund": fund_schema.fund(catalogue),
                "MemberList": {
                    "type": "object",
                    "required": ["purpose", "members", "next"],
                    "properties": {
                        "purpose": {"type": "string"},
                        "members": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["member_id", "categories"],
                                "properties": {
                                    "member_id": {"type": "string", "format": "uuid"},
                                    "categories": {"type": "array", "items": {"type": "string", "enum": categories}},
                                },
                            },
                        },
                        "next": {"type": ["string", "null"], "format": "uuid"},
                    },
                },
                "Shared": {
                    "type": "object",
                    "required": ["version", "shared_at", "fields"],
                    "properties": {
                        "version": {"type": "string", "description": "The standard's version it was shared under."},
                        "shared_at": {"type": "string", "format": "date-time"},
                        "fields": {
                            "description": "The values by field code (money in whole pence; a category of "
                            "records, such as funding-history, is a list of them).",
                            "type": ["object", "array"],
                        },
                    },
                },
                "MemberPack": pack_schema(),
                "MemberData": {
                    "type": "object",
                    "required": ["member_id", "purpose", "access_id", "fields", "consents", "withheld"],
                    "properties": {
                        "member_id": {"type": "string", "format": "uuid"},
                        "purpose": {"type": "string"},
                        "access_id": {"type": "string", "format": "uuid"},
                        "fields": {
                            "type": "object",
                            "description": "Each permitted category: contact and profile as held; a category of the "
                            "data standard (GET /api/v1/standard) as the member's latest submission, or null "
                            "where they have shared nothing yet.",
                            "properties": {
                                category: {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Shared"}]}
                                for category in catalogue.standard.schemas
                            },
                        },
                        "consents": {"type": "object", "additionalProperties": {"type": "string", "format": "uuid"}},
                        "withheld": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    }
