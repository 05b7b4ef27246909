"""A member's consent: for one purpose, some data categories, one audience
(a named organisation, or every approved organisation of a kind), optionally
until an expiry. Withdrawing is one command with no conditions. A consent with an
expiry can be renewed before it ends: it runs on for the same term again."""

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

ACTIVE, REVOKED, EXPIRED = "active", "revoked", "expired"
# "bot": the Telegram chat; "portal": the members' own web portal (domain.portal)
COLLECTED_VIA = ("bot", "sms", "whatsapp", "web", "paper", "portal")


class Consent(TrustAggregate):
    @event("Granted")
    def __init__(
        self,
        member_id: UUID,
        purpose: str,
        categories: list[str],
        audience_organisation_id: UUID | None,
        audience_kind: str | None,
        expires_at: datetime | None,
        notice_version: str,
        notice_hash: str,
        collected_via: str,
        evidence_ref: str | None,
        effective_at: datetime,
        actor: str,
    ):
        self.member_id = member_id
        self.purpose = purpose
        self.categories = list(categories)
        self.audience_organisation_id = audience_organisation_id
        self.audience_kind = audience_kind
        self.expires_at = expires_at
        self.granted_effective_at = effective_at
        self.term: timedelta | None = None if expires_at is None else expires_at - effective_at
        self.status = ACTIVE
        self.ended_at: datetime | None = None

    def ended_by(self, at: datetime) -> str | None:
        """Why this consent gives nothing at ``at``, if it doesn't."""
        if self.status == REVOKED and self.ended_at is not None and self.ended_at <= at:
            return f"it was withdrawn with effect from {self.ended_at:%Y-%m-%d %H:%M} UTC"
        if self.expires_at is not None and self.expires_at <= at:
            return f"it expired at {self.expires_at:%Y-%m-%d %H:%M} UTC"
        return None

    def revoke(self, effective_at: datetime, actor: str, evidence_ref: str | None) -> None:
        """Withdraw with effect from ``effective_at``; a withdrawal signed before the
        expiry still counts when it is entered after it (a late fact)."""
        if self.status == REVOKED:
            raise NotAllowedNow(f"This consent is not active: {self.ended_by(self.ended_at)}.")  # type: ignore[arg-type]
        reason = self.ended_by(effective_at)
        if reason:
            raise NotAllowedNow(f"This consent is not active: {reason}.")
        if effective_at < self.granted_effective_at:
            raise NotAllowedNow("A withdrawal cannot take effect before the consent was given.")
        self._revoked(effective_at=effective_at, actor=actor, evidence_ref=evidence_ref)

    def expire(self, now: datetime, actor: str) -> None:
        if self.status != ACTIVE:
            raise NotAllowedNow(f"This consent is already {self.status}.")
        if self.expires_at is None or self.expires_at > now:
            raise NotAllowedNow("This consent has not reached its expiry.")
        self._expired(effective_at=self.expires_at, actor=actor)

    def check_renewable(self, now: datetime) -> datetime:
        """The expiry a renewal at ``now`` would extend, or NotAllowedNow saying why there is none."""
        if self.status == REVOKED:
            raise NotAllowedNow(
                f"This consent was withdrawn at {self.ended_at:%Y-%m-%d %H:%M} UTC; give it again with /consents."
            )
        if self.expires_at is None or self.term is None:
            raise NotAllowedNow("This consent has no expiry to renew.")
        if self.status == EXPIRED or self.expires_at <= now:
            raise NotAllowedNow(
                f"This consent already ended at {self.expires_at:%Y-%m-%d %H:%M} UTC; give it again with /consents."
            )
        return self.expires_at

    def renew(self, now: datetime, notice_version: str, notice_hash: str, actor: str) -> datetime:
        """Keep the consent for the same term again (from its current expiry), on the
        notice the member renews on; returns the new expiry."""
        expires_at = self.check_renewable(now) + self.term  # type: ignore[operator]
        self._renewed(expires_at=expires_at, notice_version=notice_version, notice_hash=notice_hash, actor=actor)
        return expires_at

    @event("Revoked")
    def _revoked(self, effective_at: datetime, actor: str, evidence_ref: str | None) -> None:
        self.status = REVOKED
        self.ended_at = effective_at

    @event("Expired")
    def _expired(self, effective_at: datetime, actor: str) -> None:
        self.status = EXPIRED
        self.ended_at = effective_at

    @event("Renewed")
    def _renewed(self, expires_at: datetime, notice_version: str, notice_hash: str, actor: str) -> None:
        self.expires_at = expires_at
