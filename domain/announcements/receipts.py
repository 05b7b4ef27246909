"""What the providers later say about the announcements they accepted: Twilio's status
callbacks and the ``statuses`` in WhatsApp's notifications report each message delivered,
failed or undelivered, by the provider's own id for it (a MessageSid, a wamid).

Such a report is recorded once against the member's delivery (domain.store.deliveries):
providers redeliver callbacks, and a second report of the same message changes nothing. A
failure also marks the delivery undeliverable. A report about a message that was not an
announcement (a reply in a conversation, say) is not an error: there is nothing to record."""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select, update

from domain.kernel.errors import InvalidRequest
from domain.store.application import TrustApplication
from domain.store.deliveries import (
    DELIVERED,
    REPORTED,
    UNDELIVERABLE,
    WAYS_OUT,
    announcement_deliveries,
    delivery_channels,
)


@dataclass(frozen=True)
class DeliveryReported:
    """Whose delivery a report was about, and whether this report recorded anything."""

    announcement_id: UUID
    member_id: UUID
    status: str
    recorded: bool  # False: the same message was reported before (a redelivered callback)


class ReceiptCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def record_delivery_report(
        self, network: str, provider_id: str, status: str, error_code: str | None = None
    ) -> DeliveryReported | None:
        """Record the provider's final word on a message it accepted. None when the id is not an
        announcement's; statuses on the way (queued, sent, read...) are not recorded."""
        if network not in WAYS_OUT:
            raise InvalidRequest(f"Unknown channel {network!r}; announcements go by: {', '.join(WAYS_OUT)}.")
        if not provider_id or len(provider_id) > 64:
            raise InvalidRequest("A delivery report names the provider's id for the message (at most 64 characters).")
        mine = (delivery_channels.c.network == network) & (delivery_channels.c.provider_id == provider_id)
        with self.app.engine.begin() as conn:
            row = conn.execute(select(delivery_channels).where(mine)).first()
            if row is None:
                return None
            if status not in REPORTED:
                return DeliveryReported(row.announcement_id, row.member_id, status, recorded=False)
            now = self.app.clock().replace(tzinfo=None)
            code = None if error_code is None else str(error_code)[:20]
            changed = conn.execute(
                update(delivery_channels)
                .where(mine, delivery_channels.c.reported.is_(None))
                .values(reported=status, error_code=code, reported_at=now)
            ).rowcount
            if changed and status != DELIVERED:
                conn.execute(
                    update(announcement_deliveries)
                    .where(
                        announcement_deliveries.c.announcement_id == row.announcement_id,
                        announcement_deliveries.c.member_id == row.member_id,
                    )
                    .values(state=UNDELIVERABLE, at=now)
                )
        return DeliveryReported(row.announcement_id, row.member_id, status, recorded=bool(changed))

    def delivery_channels_of(self, announcement_id: UUID) -> dict[UUID, dict]:
        """Each claimed member's channel, provider id and report, for the operator and the tests."""
        with self.app.engine.connect() as conn:
            rows = conn.execute(select(delivery_channels).where(delivery_channels.c.announcement_id == announcement_id))
            return {
                row.member_id: dict(
                    network=row.network, provider_id=row.provider_id, reported=row.reported, error_code=row.error_code
                )
                for row in rows
            }
