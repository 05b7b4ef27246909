"""The rules the trust runs on that members change by vote (e.g. the minimum cell
size of insight releases). The live value always comes from the event history:
one ``TrustRules`` record whose events say which proposal set each rule, and when.
A rule never changed by a vote has its default."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import InvalidRequest


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    default: int
    lowest: int
    highest: int

    def check(self, value: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not self.lowest <= value <= self.highest:
            raise InvalidRequest(
                f"The {self.title.lower()} must be a whole number from {self.lowest} to {self.highest}."
            )
        return value


RULES = {
    "min-cell-size": Rule(
        "min-cell-size", "Minimum cell size for insight releases", default=10, lowest=5, highest=1000
    ),
    # Benchmarks of money figures (domain/reports/peers.py), as official statistics treat turnover: withheld
    # when the n largest members make up more than k % of a group's total, or when the others' total is
    # under p % of the largest.
    "dominance-n": Rule("dominance-n", "Number of largest members in the dominance rule (n)", 2, 1, 5),
    "dominance-k": Rule("dominance-k", "Most of a total the largest members may hold (k, %)", 85, 50, 99),
    "p-percent": Rule("p-percent", "Closest estimate the p% rule allows (p, %)", 10, 1, 50),
}


@dataclass(frozen=True)
class RuleSetting:
    code: str
    value: int
    proposal_id: UUID | None  # None: the default, never changed by a vote
    set_at: datetime | None


def rule(code: str) -> Rule:
    if code not in RULES:
        raise InvalidRequest(f"Unknown rule {code!r}; members can vote to change: {', '.join(sorted(RULES))}.")
    return RULES[code]


class TrustRules(TrustAggregate):
    """The one record of rule changes members voted for."""

    @staticmethod
    def create_id() -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, "/trust-rules")

    @event("Started")
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def change(self, code: str, value: int, proposal_id: UUID, actor: str) -> None:
        rule(code).check(value)
        self._changed(code=code, value=value, proposal_id=str(proposal_id), actor=actor)

    @event("Changed")
    def _changed(self, code: str, value: int, proposal_id: str, actor: str) -> None:
        self.values[code] = value
