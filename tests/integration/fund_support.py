"""A funder and the social businesses who asked to hear of funds, for the funds tests."""

from datetime import UTC, datetime
from itertools import count
from uuid import UUID

from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE

CAFE = {"legal-form": "co-operative", "sector": "I", "area": "CA11", "employees": 4}
CLOSES = datetime(2026, 4, 30, 17, 0, tzinfo=UTC)
CAFES_IN_CA = {"sectors": ["I"], "areas": ["CA"]}
PACK = ("contact", "funding-history", "organisation-profile")  # what a reply lets the funder read
_NUMBERS = count(20_000_000)  # company numbers, one each


def approved_funder(trust, clock, name: str = "Cumbria Community Foundation", kind: str = "funder") -> UUID:
    funder = trust.register_organisation(name, kind, TRUSTEE)
    trust.approve_organisation(funder, "DSA-7", clock().date(), TRUSTEE)
    return funder


def business(trust, name: str, agrees: bool = True, **profile) -> UUID:  # type: ignore[no-untyped-def]
    """A social business that joined by itself and shared its profile; with ``agrees``, it asked to hear of funds."""
    member = trust.register_member(name, MEMBER_THEMSELF, channel="web", kind="organisation-member")
    values = {**CAFE, "org-id": f"GB-COH-{next(_NUMBERS)}", **profile}
    trust.share_data(member, "organisation-profile", values, MEMBER_THEMSELF, "portal")
    if agrees:
        trust.grant_consent(member, "fund-news", ["organisation-profile"], Audience(kind="trust"), MEMBER_THEMSELF)
    return member


def cafes(trust, how_many: int, area: str = "CA11") -> list[UUID]:
    return [business(trust, f"Cafe {n} {area}", area=area) for n in range(1, how_many + 1)]
