"""The JSON shapes of insight requests in the organisation API: one schema, used both
in the OpenAPI document and to check what is sent, so the two never disagree.

The checker reads the small part of JSON Schema these shapes use (type, required,
properties, items, lengths, bounds, enum, uniqueItems, date-time)."""

import re
from datetime import datetime

from domain.insight.checks import MAX_QUOTAS
from domain.kernel.catalogue import Catalogue

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
KIND_NAMES = ("single", "multiple", "scale", "text")
STATUS_NAMES = ("submitted", "changes-requested", "approved", "rejected", "panel-drawn", "closed")


def panel_purposes(catalogue: Catalogue) -> list[str]:
    return sorted(code for code, purpose in catalogue.purposes.items() if getattr(purpose, "panels", False))


def _text(most: int) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": most}


def submission(catalogue: Catalogue) -> dict:
    attributes = sorted(catalogue.profile)
    question = {
        "type": "object",
        "required": ["kind", "text"],
        "properties": {
            "kind": {"type": "string", "enum": list(KIND_NAMES)},
            "text": _text(500),
            "options": {
                "type": "array",
                "maxItems": 12,
                "items": _text(100),
                "description": "The choices (single, multiple) or the scale's points; none for text.",
            },
        },
    }
    quota = {
        "type": "object",
        "required": ["attribute", "value", "minimum", "maximum"],
        "properties": {
            "attribute": {"type": "string", "enum": attributes},
            "value": _text(40),
            "minimum": {"type": "integer", "minimum": 0, "maximum": 10000},
            "maximum": {"type": "integer", "minimum": 0, "maximum": 10000},
        },
    }
    return {
        "type": "object",
        "required": ["title", "purpose", "questions", "criteria", "fee_offered_pence", "closes_at"],
        "properties": {
            "title": _text(200),
            "purpose": {"type": "string", "enum": panel_purposes(catalogue)},
            "questions": {"type": "array", "minItems": 1, "maxItems": 5, "items": question},
            "criteria": {
                "type": "object",
                "required": ["size"],
                "properties": {
                    "size": {"type": "integer", "minimum": 1, "maximum": 10000},
                    "quotas": {"type": "array", "maxItems": MAX_QUOTAS, "items": quota},
                    "breakdown": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"type": "string", "enum": attributes},
                    },
                    "one_per_household": {
                        "type": "boolean",
                        "default": True,
                        "description": "At most one member of a household (as the trust records them) on the panel.",
                    },
                },
            },
            "fee_offered_pence": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
            "closes_at": {"type": "string", "format": "date-time", "description": "With its zone (RFC 3339)."},
        },
    }


CELL = {
    "type": "object",
    "properties": {"count": {"type": ["integer", "null"]}, "share": {"type": ["number", "null"]}},
}


def request_summary() -> dict:
    return {
        "type": "object",
        "required": ["id", "title", "purpose", "status", "fee_offered_pence", "closes_at", "submitted_at"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "title": {"type": "string"},
            "purpose": {"type": "string"},
            "status": {"type": "string", "enum": list(STATUS_NAMES)},
            "fee_offered_pence": {"type": "integer"},
            "closes_at": {"type": "string", "format": "date-time"},
            "submitted_at": {"type": "string", "format": "date-time"},
        },
    }


def request_detail() -> dict:
    summary = request_summary()
    return {
        "type": "object",
        "required": [*summary["required"], "questions", "criteria", "reviews", "result", "free_text"],
        "properties": {
            **summary["properties"],
            "questions": {"type": "array", "items": {"type": "object"}},
            "criteria": {"type": "object"},
            "reviews": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["decision", "reason", "at"],
                    "properties": {
                        "decision": {"type": "string", "enum": ["approve", "changes", "reject"]},
                        "reason": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                    },
                },
            },
            "result": {
                "type": ["object", "null"],
                "description": "The anonymised release once closed: per question, overall and per breakdown "
                "attribute, counts and shares; a suppressed cell has count and share null.",
            },
            "free_text": {
                "type": ["object", "null"],
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "The free-text answers a trustee reviewed and released, per question code.",
            },
        },
    }


# The checker


def _is(kind: str, value: object) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return {"string": str, "object": dict, "array": list, "boolean": bool}[kind] is type(value)


def problems(schema: dict, value: object, where: str = "the body") -> list[str]:
    """Every way ``value`` breaks ``schema``, one sentence each (all the missing fields in one);
    none if it fits. Inside a value of the wrong kind, nothing more is looked for."""
    kind = schema.get("type")
    if kind and not _is(kind, value):
        return [f"{where} must be {'an' if kind[0] in 'aeiou' else 'a'} {kind}."]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where} must be one of: {', '.join(map(str, schema['enum']))}."]
    if isinstance(value, str):
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            return [f"{where} must be {schema.get('minLength', 0)} to {schema['maxLength']} characters."]
        if schema.get("format") == "date-time" and not _date_time(value):
            return [f"{where} must be a date and time with its zone, e.g. 2026-04-01T17:00:00+01:00."]
    if isinstance(value, int) and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        return [f"{where} must be from {schema['minimum']} to {schema['maximum']}."]
    found: list[str] = []
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            return [f"{where} must have {schema.get('minItems', 0)} to {schema['maxItems']} items."]
        if schema.get("uniqueItems") and len(set(map(repr, value))) < len(value):
            return [f"{where} must not list an item twice."]
        for number, item in enumerate(value):
            found.extend(problems(schema.get("items", {}), item, f"{where}[{number}]"))
    if isinstance(value, dict):
        missing = [f"'{name}'" for name in schema.get("required", ()) if name not in value]
        if missing:
            names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
            found.append(f"{where} needs {names}.")
        for name, inner in schema.get("properties", {}).items():
            if name in value:
                found.extend(problems(inner, value[name], f"'{name}'" if where == "the body" else f"{where}.{name}"))
    return found


def _date_time(text: str) -> bool:
    if not RFC3339.match(text):
        return False
    try:
        datetime.fromisoformat(text.upper())
    except ValueError:
        return False
    return True
