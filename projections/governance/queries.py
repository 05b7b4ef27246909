"""The questions trustees, caseworkers and the bot ask about proposals, votes and rules."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from domain.governance.votes import OPEN, UnknownProposal
from projections.core.reading import ReadModels
from projections.governance.tables import proposal_voters, proposals, rule_changes
from projections.membership.tables import members

ACTIVE = "active"
SHORTEST_PREFIX = 6


def _row(row: Any) -> dict:
    return dict(row._mapping)


def list_proposals(conn: Connection) -> list[dict]:
    """Every proposal, open ones first, newest first."""
    rows = conn.execute(select(proposals).order_by(proposals.c.status.desc(), proposals.c.opened_at.desc()))
    return [_row(row) for row in rows]


def proposal_row(conn: Connection, proposal_id: UUID) -> dict:
    row = conn.execute(select(proposals).where(proposals.c.proposal_id == proposal_id)).first()
    if row is None:
        raise UnknownProposal(proposal_id)
    return _row(row)


def open_proposals(conn: Connection, now: datetime) -> list[dict]:
    """Proposals still taking votes, closing soonest first."""
    rows = conn.execute(
        select(proposals)
        .where(proposals.c.status == OPEN, proposals.c.closes_at > now)
        .order_by(proposals.c.closes_at, proposals.c.proposal_id)
    )
    return [_row(row) for row in rows]


def votes_of(conn: Connection, member_id: UUID) -> dict[UUID, dict]:
    """When and how a member voted, per proposal (never what they chose)."""
    rows = conn.execute(select(proposal_voters).where(proposal_voters.c.member_id == member_id))
    return {row.proposal_id: _row(row) for row in rows}


def rule_history(conn: Connection) -> list[dict]:
    """Every rule change votes made, oldest first."""
    return [_row(row) for row in conn.execute(select(rule_changes).order_by(rule_changes.c.position))]


def find_proposal(conn: Connection, text: str) -> UUID:
    """A proposal by its full id or the first 6+ characters of it."""
    wanted = (text or "").strip().lower().replace("-", "")
    if len(wanted) >= SHORTEST_PREFIX and all(c in "0123456789abcdef" for c in wanted):
        found = [
            row.proposal_id
            for row in conn.execute(select(proposals.c.proposal_id))
            if row.proposal_id.hex.startswith(wanted)
        ]
        if len(found) == 1:
            return found[0]
    raise UnknownProposal(text)


class GovernanceViews:
    """The proposal questions (TrustViews forwards each by name)."""

    def __init__(self, models: ReadModels) -> None:
        self.models = models

    # The read side a command consults in its own transaction (see domain.kernel.ports.AccessRules)

    def eligible_voters(self, session: Session) -> list[UUID]:
        rows = session.execute(select(members.c.member_id).where(members.c.status == ACTIVE))
        return [row.member_id for row in rows]

    def voters(self, session: Session, proposal_id: UUID) -> list[UUID]:
        rows = session.execute(select(proposal_voters.c.member_id).where(proposal_voters.c.proposal_id == proposal_id))
        return [row.member_id for row in rows]

    def proposals(self) -> list[dict]:
        with self.models.reading() as conn:
            return list_proposals(conn)

    def proposal(self, proposal_id: UUID) -> dict:
        with self.models.reading() as conn:
            return proposal_row(conn, proposal_id)

    def open_proposals(self, now: datetime) -> list[dict]:
        with self.models.reading() as conn:
            return open_proposals(conn, now)

    def votes_of(self, member_id: UUID) -> dict[UUID, dict]:
        with self.models.reading() as conn:
            return votes_of(conn, member_id)

    def rule_history(self) -> list[dict]:
        with self.models.reading() as conn:
            return rule_history(conn)

    def find_proposal(self, text: str) -> UUID:
        with self.models.reading() as conn:
            return find_proposal(conn, text)
