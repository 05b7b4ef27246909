"""A fund's amounts in words, as the portal and the trustees' pages show them."""

from domain.funds.commands import pounds
from domain.reports.figures import size_words


def amounts(fund: dict) -> str:
    low, high = fund["amount_min_pence"], fund["amount_max_pence"]
    return pounds(low) if low == high else f"{pounds(low)} to {pounds(high)}"


def criteria_words(catalogue, criteria: dict) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each criterion as (what, the values it takes in words); "Any" where the fund names none."""
    profile = catalogue.standard.schema("organisation-profile").fields
    named = (
        ("Sector", [profile["sector"].choice_label(code) for code in criteria.get("sectors", [])]),
        ("Postcode area", list(criteria.get("areas", []))),
        ("Legal form", [profile["legal-form"].choice_label(code) for code in criteria.get("legal_forms", [])]),
        ("Size", [size_words(code) for code in criteria.get("sizes", [])]),
    )
    return [(what, ", ".join(values) or "Any") for what, values in named]
