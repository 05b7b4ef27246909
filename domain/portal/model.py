"""A member's use of the web portal: each link issued (by whom, until when), each sign-in with
one, each session ended. No token and no session id is ever in an event: only that it happened,
when, and who did it."""

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate

_NAMESPACE = UUID("9d2e7b1a-6c4f-4b8e-9a3d-5f1c2e8b7a60")
# How a session ended: the member signed out, or a new link (issued for them) ended the old ones.
ENDED_BY = ("signed out",)


class PortalAccess(TrustAggregate):
    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(member_id))

    @event("Opened")
    def __init__(self, member_id: UUID):
        self.member_id = member_id

    def link_issued(self, expires_at: datetime, actor: str) -> None:
        self._link_issued(member_id=self.member_id, expires_at=expires_at, actor=actor)

    def signed_in(self, actor: str) -> None:
        self._signed_in(member_id=self.member_id, actor=actor)

    def session_ended(self, how: str, actor: str) -> None:
        self._session_ended(member_id=self.member_id, how=how, actor=actor)

    @event("LinkIssued")
    def _link_issued(self, member_id: UUID, expires_at: datetime, actor: str) -> None:
        pass

    @event("SignedIn")
    def _signed_in(self, member_id: UUID, actor: str) -> None:
        pass

    @event("SessionEnded")
    def _session_ended(self, member_id: UUID, how: str, actor: str) -> None:
        pass
