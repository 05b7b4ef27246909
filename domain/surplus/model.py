"""A year's surplus and what members decided for it, and a member's gift of their dividend.

``Surplus`` is one record per year (its id derived from the year): recorded by a trustee with
the evidence (the accounts' reference), then the uses members chose by a split ballot (the
pence each use gets), then the dividends under the rule members voted, one entitlement per
member active at the year's end. Member ids are not personal data (no names, no amounts sealed:
a member's dividend is a fact of the co-op's accounts, as a vote counted is). ``DividendGift``
is one member's choice to give their dividend to a community project, a record of its own so
members giving at once never contend for the year's record."""

import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate


class Surplus(TrustAggregate):
    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"/surplus/{year}")

    @event("Recorded")
    def __init__(self, year: int, amount_pence: int, income_pence: int, evidence_ref: str, actor: str):
        self.year = year
        self.amount_pence = amount_pence
        self.income_pence = income_pence  # the income the trust recorded that year, when recorded
        self.evidence_ref = evidence_ref
        self.uses: list[str] = []
        self.amounts: list[int] = []  # pence per use, adding up to the surplus
        self.dividend_use: int | None = None
        self.projects: list[str] = []
        self.entitlements: dict[str, int] = {}  # member id -> pence

    @property
    def decided(self) -> bool:
        return bool(self.uses)

    @property
    def dividend_pot(self) -> int:
        return 0 if self.dividend_use is None else self.amounts[self.dividend_use]

    @property
    def shared(self) -> bool:
        return bool(self.entitlements)

    @event("UsesDecided")
    def decide_uses(
        self,
        proposal_id: str,
        uses: list[str],
        percents: list[int],
        amounts_pence: list[int],
        dividend_use: int | None,
        projects: list[str],
        actor: str,
    ) -> None:
        self.uses = list(uses)
        self.amounts = list(amounts_pence)
        self.dividend_use = dividend_use
        self.projects = list(projects)

    @event("DividendsShared")
    def share_dividends(
        self,
        proposal_id: str,
        equal_percent: int,
        participation_percent: int,
        pot_pence: int,
        entitlements: dict[str, int],
        actor: str,
    ) -> None:
        self.entitlements = dict(entitlements)


class DividendGift(TrustAggregate):
    """A member gives their dividend of one year to a community project instead of taking it."""

    @staticmethod
    def create_id(year: int, member_id: UUID) -> UUID:
        return uuid.uuid5(Surplus.create_id(year), f"gift:{member_id}")

    @event("Given")
    def __init__(self, year: int, member_id: UUID, project: str, amount_pence: int, channel: str, actor: str):
        self.year = year
        self.member_id = member_id
        self.project = project
