"""A read of member data by an organisation, allowed or refused: "did see" is a
fact in the history just like "could see"."""

from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate


class AccessAttempt(TrustAggregate):
    @event("Recorded")
    def __init__(
        self,
        organisation_id: UUID,
        member_id: UUID,
        purpose: str,
        granted: dict[str, str],
        refused: list[str],
        reason: str,
        actor: str,
    ):
        """``granted`` maps each category read to the consent id it relied on;
        ``refused`` lists the categories asked for that no consent allowed."""
        self.granted = dict(granted)
        self.refused = list(refused)
