"""Individuals who shared their well-being answers and agreed to compare them with their area's."""

from uuid import UUID

from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF

PURPOSE = "wellbeing-comparison"
CATEGORIES = ["profile", "wellbeing"]


def agree(trust, member: UUID, categories: list[str] = CATEGORIES) -> UUID:  # type: ignore[no-untyped-def]
    return trust.grant_consent(member, PURPOSE, categories, Audience(kind="trust"), MEMBER_THEMSELF)


def individual(trust, n: int, area: str = "CA1", agrees: bool = True, **answers) -> UUID:  # type: ignore[no-untyped-def]
    """A member who joined by themself in ``area`` and shared the four answers (life satisfaction
    5 + n % 5, worthwhile 7, happiness 6, anxiety 2 + n % 4, unless ``answers`` says otherwise)."""
    member = trust.register_member(f"Neighbour {n}", MEMBER_THEMSELF, channel="bot", profile={"area": area})
    values = {"life-satisfaction": 5 + n % 5, "worthwhile": 7, "happiness": 6, "anxiety": 2 + n % 4, **answers}
    trust.share_data(member, "wellbeing", values, MEMBER_THEMSELF, "bot")
    if agrees:
        agree(trust, member)
    return member


def neighbours(trust, how_many: int, area: str = "CA1") -> list[UUID]:  # type: ignore[no-untyped-def]
    return [individual(trust, n, area) for n in range(how_many)]
