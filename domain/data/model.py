"""What one member has shared with the trust: every submission, each sealed under the member's key.

The latest submission of a category counts; the earlier ones stay in the history (with the schema
version each was made under) until the member is erased, when their key goes and all of it with it."""

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate

_NAMESPACE = UUID("3f0b8c52-41d6-4f0e-b6a3-8d9e27c5a1f4")
# How a submission reached the trust: the member's chat (Telegram, SMS, WhatsApp), their web portal,
# a caseworker from a signed paper form, or an operator importing a file (360Giving).
CHANNELS = ("bot", "sms", "whatsapp", "portal", "paper", "import")


class MemberData(TrustAggregate):
    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(member_id))

    @event("Opened")
    def __init__(self, member_id: UUID):
        self.member_id = member_id
        self.versions: dict[str, str] = {}  # category -> the schema version of its latest submission

    def share(
        self,
        category: str,
        version: str,
        sealed: str,
        fields: list[str],
        records: int | None,
        channel: str,
        actor: str,
        evidence_ref: str | None,
        effective_at: datetime,
    ) -> None:
        self._shared(
            member_id=self.member_id,
            category=category,
            version=version,
            sealed=sealed,
            fields=fields,
            records=records,
            channel=channel,
            actor=actor,
            evidence_ref=evidence_ref,
            effective_at=effective_at,
        )

    @event("Shared")
    def _shared(
        self,
        member_id: UUID,  # whose data (the aggregate's own id is derived from it)
        category: str,
        version: str,
        sealed: str,  # the values, sealed under the member's key
        fields: list[str],  # which fields were given (never their values): what history and audit show
        records: int | None,  # how many records, for a category of entries (funding history)
        channel: str,
        actor: str,
        evidence_ref: str | None,
        effective_at: datetime,
    ) -> None:
        self.versions = {**self.versions, category: version}
