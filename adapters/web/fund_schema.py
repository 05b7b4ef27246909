"""The JSON shapes of funds in the organisation API: one schema for the OpenAPI document and for
checking what is sent (with the insight requests' checker), so the two never disagree."""

from adapters.web import insight_schema
from domain.funds.criteria import POSTCODE_AREAS, SIZES
from domain.kernel.catalogue import Catalogue


def _codes(values: list[str] | tuple[str, ...], what: str) -> dict:
    return {
        "type": "array",
        "maxItems": len(values),
        "uniqueItems": True,
        "items": {"type": "string", "enum": sorted(values)},
        "description": f"The {what} the fund is for; none (or an empty list): any.",
    }


def criteria(catalogue: Catalogue) -> dict:
    profile = catalogue.standard.schema("organisation-profile").fields
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "sectors": _codes(profile["sector"].choices, "sectors (SIC 2007 sections)"),
            "areas": _codes(sorted(POSTCODE_AREAS), "postcode areas (the letters of a district: CA for CA11)"),
            "legal_forms": _codes(profile["legal-form"].choices, "legal forms"),
            "sizes": _codes(SIZES, "size bands by staff (micro: under 10, small: under 50, medium: under 250)"),
        },
    }


def publication(catalogue: Catalogue) -> dict:
    pence = {"type": "integer", "minimum": 100, "maximum": 10**13}
    return {
        "type": "object",
        "required": ["title", "amount_min_pence", "amount_max_pence", "closes_at"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "amount_min_pence": {**pence, "description": "The smallest award, in pence."},
            "amount_max_pence": {**pence, "description": "The largest award, in pence."},
            "criteria": criteria(catalogue),
            "closes_at": {"type": "string", "format": "date-time", "description": "With its zone (RFC 3339)."},
        },
    }


def fund(catalogue: Catalogue) -> dict:
    shape = publication(catalogue)
    return {
        "type": "object",
        "required": ["id", *shape["required"], "criteria", "published_at", "told", "told_withheld", "shared"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            **shape["properties"],
            "published_at": {"type": "string", "format": "date-time"},
            "told": {
                "type": ["integer", "null"],
                "description": "How many members the trust told of the fund; null when fewer than the minimum cell "
                "size (told_withheld says why).",
            },
            "told_withheld": {"type": ["string", "null"]},
            "shared": {
                "type": "array",
                "description": "The members who chose to share their application pack with you, and whose consent "
                "stands now: read each pack at /api/v1/members/{member_id}/pack?purpose=funding-applications.",
                "items": {
                    "type": "object",
                    "required": ["member_id", "shared_at"],
                    "properties": {
                        "member_id": {"type": "string", "format": "uuid"},
                        "shared_at": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    }


problems = insight_schema.problems
