"""Organisation API tokens: issued and revoked by trustees, event-sourced.

The token itself is shown once, when issued; the log keeps only its SHA-256
digest, which is enough to recognise it and useless to anyone who reads the log.
"""

import hashlib
import secrets
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

PREFIX = "dtk_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class ApiToken(TrustAggregate):
    @event("Issued")
    def __init__(self, organisation_id: UUID, digest: str, label: str, actor: str):
        self.organisation_id = organisation_id
        self.label = label
        self.revoked = False

    def revoke(self, actor: str) -> None:
        if self.revoked:
            raise NotAllowedNow(f"The token {self.label!r} is already revoked.")
        self._revoked(actor=actor)

    @event("Revoked")
    def _revoked(self, actor: str) -> None:
        self.revoked = True
