"""A co-op year for the surplus tests: members who were active at the end of 2025, income the
trust recorded in 2025, a split ballot on the surplus's uses and a vote on the dividend rule."""

from datetime import UTC, datetime, timedelta

from domain.kernel.actors import Actor
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.insight_support import council, submit
from tests.support import FakeClock

MEMBER = Actor("member", "via bot")
USES = ["Dividends", "Community projects", "Reinvest"]
PROJECTS = ["Eden Valley food bank", "Penrith skate park"]
IN_2025 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
START_2025 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
AFTER_2025 = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def clock_in_2025() -> FakeClock:
    """The trust's clock from January 2025, so the year's members and income come before its end."""
    return FakeClock(START_2025)


def income_recorded(trust, clock, pence: int) -> None:
    """An insight request paid ``pence``: income the trust records."""
    request = submit(trust, clock, council(trust, clock))
    trust.record_payment(request, pence, "INV-2025-7", TRUSTEE)


def co_op_year(trust, clock, members: int = 4, income_pence: int = 500_000) -> list:
    """Members who joined in 2025 (active at its end), the year's income recorded; the clock left in 2026."""
    clock.now = IN_2025
    joined = [trust.register_member(f"Member {n}", MEMBER_THEMSELF, channel="bot") for n in range(members)]
    income_recorded(trust, clock, income_pence)
    clock.now = AFTER_2025
    return joined


def split_ballot(trust, clock, voters, splits):
    """A split ballot on the uses, each voter's split cast, closed a week later."""
    proposal = trust.open_proposal(
        "How should we use the 2025 surplus?",
        "Share 100% between dividends, community projects and reinvesting in the trust.",
        USES,
        clock() + timedelta(days=7),
        TRUSTEE,
        quorum_percent=25,
        split=True,
    )
    for member, shares in zip(voters, splits, strict=False):
        trust.cast_split_vote(proposal, member, shares, MEMBER)
    clock.advance(days=7, minutes=5)
    trust.close_proposal(proposal, TRUSTEE)
    return proposal


def rule_vote(trust, clock, voters, title: str = "Share the dividends equally"):
    """A decision that passes: the dividend rule members chose."""
    proposal = trust.open_proposal(
        title,
        "Each member active at the end of 2025 gets the same share.",
        ["For", "Against"],
        clock() + timedelta(days=7),
        TRUSTEE,
        passing_option=0,
    )
    for member in voters:
        trust.cast_vote(proposal, member, 0, MEMBER)
    clock.advance(days=7, minutes=5)
    trust.close_proposal(proposal, TRUSTEE)
    return proposal
