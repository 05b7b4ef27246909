"""The dated promises the trust has made and not yet kept, read from the read
models for the scheduler to plan: consents that will expire, votes that will
close, panels that will close (and be reminded). No personal data: ids and times."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Connection, select

from projections.consent.tables import consents
from projections.governance.tables import proposals
from projections.insight.tables import insight_requests

PANEL_DRAWN = "panel-drawn"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ExpiringConsent:
    consent_id: UUID
    expires_at: datetime
    given_at: datetime  # when the consent (or its latest renewal) was recorded


@dataclass(frozen=True)
class ClosingProposal:
    proposal_id: UUID
    closes_at: datetime


@dataclass(frozen=True)
class ClosingPanel:
    request_id: UUID
    closes_at: datetime
    drawn_at: datetime


@dataclass(frozen=True)
class Promises:
    consents: list[ExpiringConsent]
    proposals: list[ClosingProposal]
    panels: list[ClosingPanel]


def open_promises(conn: Connection) -> Promises:
    expiring = conn.execute(
        select(consents.c.consent_id, consents.c.expires_at, consents.c.granted_rec).where(
            consents.c.ended_reason.is_(None), consents.c.expires_at.is_not(None)
        )
    )
    open_votes = conn.execute(
        select(proposals.c.proposal_id, proposals.c.closes_at).where(proposals.c.status == "open")
    )
    panels = conn.execute(
        select(insight_requests.c.request_id, insight_requests.c.closes_at, insight_requests.c.draw).where(
            insight_requests.c.status == PANEL_DRAWN
        )
    )
    return Promises(
        consents=[ExpiringConsent(r.consent_id, _aware(r.expires_at), _aware(r.granted_rec)) for r in expiring],
        proposals=[ClosingProposal(r.proposal_id, _aware(r.closes_at)) for r in open_votes],
        panels=[ClosingPanel(r.request_id, _aware(r.closes_at), _drawn_at(r.draw, r.closes_at)) for r in panels],
    )


def _drawn_at(draw: dict | None, closes_at: datetime) -> datetime:
    at = (draw or {}).get("at")
    return _aware(datetime.fromisoformat(at)) if isinstance(at, str) else _aware(closes_at)
