"""Proposals, who has voted and the rule changes votes made: kept from their
events, and the questions trustees, caseworkers and the bot ask of them. The
choices stay sealed in the ballots; nothing here holds one."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from domain.governance.votes import CLOSED, OPEN, UnknownProposal
from projections.governance_tables import proposal_voters, proposals, rule_changes
from projections.steps import Step, handles
from projections.tables import members

ACTIVE = "active"
SHORTEST_PREFIX = 6


@handles("Proposal.Opened")
def opened(step: Step, event: Any) -> None:
    step.session.execute(
        insert(proposals),
        dict(
            proposal_id=event.originator_id,
            title=event.title,
            text=event.text,
            options=list(event.options),
            passing_option=event.passing_option,
            quorum_percent=event.quorum_percent,
            pass_percent=event.pass_percent,
            rule_code=event.rule_code,
            rule_value=event.rule_value,
            status=OPEN,
            opened_by=event.actor,
            opened_at=event.timestamp,
            closes_at=event.closes_at,
            electorate_size=len(event.electorate),
            voters=0,
        ),
    )


@handles("Ballot.Cast")
def cast_vote(step: Step, event: Any) -> None:
    step.session.execute(
        insert(proposal_voters),
        dict(
            proposal_id=event.proposal_id,
            member_id=event.member_id,
            ballot_id=event.originator_id,
            channel=event.channel,
            first_voted_at=event.timestamp,
            last_voted_at=event.timestamp,
        ),
    )
    where = proposals.c.proposal_id == event.proposal_id
    step.session.execute(update(proposals).where(where).values(voters=proposals.c.voters + 1))


@handles("Ballot.Changed")
def changed_vote(step: Step, event: Any) -> None:
    step.session.execute(
        update(proposal_voters)
        .where(proposal_voters.c.ballot_id == event.originator_id)
        .values(channel=event.channel, last_voted_at=event.timestamp)
    )


@handles("Proposal.Closed")
def closed(step: Step, event: Any) -> None:
    step.session.execute(
        update(proposals)
        .where(proposals.c.proposal_id == event.originator_id)
        .values(
            status=CLOSED,
            turnout=event.turnout,
            tally=list(event.tally),
            quorum_met=event.quorum_met,
            passed=event.passed,
            closed_by=event.actor,
            closed_at=event.timestamp,
        )
    )


@handles("TrustRules.Changed")
def rule_changed(step: Step, event: Any) -> None:
    proposal_id = UUID(event.proposal_id)
    title = step.session.execute(select(proposals.c.title).where(proposals.c.proposal_id == proposal_id)).scalar()
    step.append(
        rule_changes,
        dict(
            position=step.position,
            code=event.code,
            value=event.value,
            proposal_id=proposal_id,
            proposal_title=title or "(unknown proposal)",
            actor=event.actor,
            set_at=event.timestamp,
        ),
    )


# Questions


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
    """The proposal questions, mixed into TrustViews (which gives ``reading``)."""

    # The read side a command consults in its own transaction (see domain.kernel.ports.AccessRules)

    def eligible_voters(self, session: Session) -> list[UUID]:
        rows = session.execute(select(members.c.member_id).where(members.c.status == ACTIVE))
        return [row.member_id for row in rows]

    def voters(self, session: Session, proposal_id: UUID) -> list[UUID]:
        rows = session.execute(select(proposal_voters.c.member_id).where(proposal_voters.c.proposal_id == proposal_id))
        return [row.member_id for row in rows]

    def proposals(self) -> list[dict]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return list_proposals(conn)

    def proposal(self, proposal_id: UUID) -> dict:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return proposal_row(conn, proposal_id)

    def open_proposals(self, now: datetime) -> list[dict]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return open_proposals(conn, now)

    def votes_of(self, member_id: UUID) -> dict[UUID, dict]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return votes_of(conn, member_id)

    def rule_history(self) -> list[dict]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return rule_history(conn)

    def find_proposal(self, text: str) -> UUID:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return find_proposal(conn, text)
