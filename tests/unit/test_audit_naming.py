"""One sentence per fact of a member's history, named two ways: by codes for JSON and CSV,
by the catalogue's titles for a trustee (the web pages and `datatrust audit` as text)."""

import pytest

from domain.kernel.catalogue import load_catalogue
from projections.audit.history import describe
from projections.audit.naming import CODES, Titles

CONSENT = "0a5c1921-0000-4000-8000-000000000000"
LENDER = "6e1d0c1e-0000-4000-8000-000000000000"
NAMES = {LENDER: "Eden Valley Credit Union"}
TITLES = Titles(load_catalogue())


@pytest.mark.parametrize(
    ("what", "details", "coded", "titled"),
    [
        (
            "consent given",
            {
                "consent": CONSENT,
                "purpose": "affordable-credit",
                "organisation": LENDER,
                "via": "paper",
                "categories": ["household-finances", "contact"],
            },
            "Gave consent 0a5c1921 for affordable-credit to Eden Valley Credit Union: household-finances, contact "
            "(via paper).",
            "Gave consent for affordable credit to Eden Valley Credit Union: Household income and outgoings, "
            "How to reach you (name, phone, chat) (on paper).",
        ),
        (
            "consent given",
            {
                "consent": CONSENT,
                "purpose": "service-planning",
                "kind": "social-lender",
                "via": "sms",
                "categories": ["contact"],
            },
            "Gave consent 0a5c1921 for service-planning to every approved social-lender: contact (via sms).",
            "Gave consent for local service planning to every approved social lender: "
            "How to reach you (name, phone, chat) (by SMS).",
        ),
        (
            "consent withdrawn",
            {"consent": CONSENT, "purpose": "affordable-credit"},
            "Withdrew consent 0a5c1921 for affordable-credit.",
            "Withdrew consent for affordable credit.",
        ),
        (
            "consent expired",
            {"consent": CONSENT, "purpose": "grant-making"},
            "Consent 0a5c1921 for grant-making expired.",
            "Consent for community grants expired.",
        ),
        (
            "read",
            {
                "organisation": LENDER,
                "purpose": "affordable-credit",
                "categories": ["household-finances"],
                "refused": ["contact"],
            },
            "Eden Valley Credit Union read household-finances for affordable-credit; refused contact.",
            "Eden Valley Credit Union read Household income and outgoings for affordable credit; "
            "refused How to reach you (name, phone, chat).",
        ),
        (
            "registered",
            {"kind": "individual", "confirmed": True, "channel": "bot"},
            "The individual joined via bot.",
            "The individual joined in the Telegram chat.",
        ),
    ],
)
def test_each_fact_has_one_sentence_named_by_codes_or_by_titles(what, details, coded, titled):
    assert describe(what, details, NAMES) == describe(what, details, NAMES, CODES) == coded
    assert describe(what, details, NAMES, TITLES) == titled
