"""Proposals, who has voted (never what) and the rule changes votes made, kept from their events."""

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from domain.governance.model import Ballot, Proposal
from domain.governance.rules import TrustRules
from domain.governance.votes import CLOSED, OPEN
from projections.core.handlers import Step, handles
from projections.governance.tables import proposal_voters, proposals, rule_changes

ACTIVE = "active"
SHORTEST_PREFIX = 6


@handles(Proposal.Opened)
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


@handles(Ballot.Cast)
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


@handles(Ballot.Changed)
def changed_vote(step: Step, event: Any) -> None:
    step.session.execute(
        update(proposal_voters)
        .where(proposal_voters.c.ballot_id == event.originator_id)
        .values(channel=event.channel, last_voted_at=event.timestamp)
    )


@handles(Proposal.Closed)
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


@handles(TrustRules.Changed)
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
