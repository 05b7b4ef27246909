"""A fund an approved funder, social lender or social investor published, the members the trust told
of it (those it fits among the members who agreed to hear of funds, when it was published), and each
member who then shared its application pack with the funder, with the consent that records it."""

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow


class Fund(TrustAggregate):
    @event("Published")
    def __init__(
        self,
        organisation_id: UUID,
        title: str,
        amount_min_pence: int,
        amount_max_pence: int,
        criteria: dict[str, list[str]],
        closes_at: datetime,
        told: list[str],  # the member ids told of it (never why: their profiles stay sealed)
        actor: str,
    ):
        self.organisation_id = organisation_id
        self.title = title
        self.closes_at = closes_at
        self.told = list(told)
        self.shared: dict[str, UUID] = {}  # member id -> the funding-applications consent they gave

    def check_can_share(self, member_id: UUID, now: datetime) -> None:
        """A member told of the fund may share its pack once, until the fund closes."""
        if str(member_id) not in self.told:
            raise NotAllowedNow("You were not told of this fund, so there is nothing to reply to.")
        if str(member_id) in self.shared:
            raise NotAllowedNow(f"You already shared your application pack for {self.title}.")
        if now >= self.closes_at:
            raise NotAllowedNow(
                f"{self.title} closed at {self.closes_at:%Y-%m-%d %H:%M} UTC; it takes no more replies."
            )

    def share_pack(self, member_id: UUID, consent_id: UUID, now: datetime, actor: str) -> None:
        self.check_can_share(member_id, now)
        self._pack_shared(member_id=member_id, consent_id=consent_id, actor=actor)

    @event("PackShared")
    def _pack_shared(self, member_id: UUID, consent_id: UUID, actor: str) -> None:
        self.shared = {**self.shared, str(member_id): consent_id}
