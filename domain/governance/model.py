"""Proposals members vote on, and their secret ballots.

A ``Proposal`` holds what was asked (title, text, options, the rule it would
change) and who may vote: the members active and confirmed when it opened, fixed
in its Opened event. Its Closed event records the counts. Each member's vote is a
``Ballot`` of its own (one per proposal and member, its id derived from both), so
casting a vote loads one small record, not every vote. The choice is sealed with
the member's key: only the service holding the master key can open it, and
erasure makes it unreadable."""

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.governance.votes import CLOSED, OPEN, Result, mean_split
from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow


class Proposal(TrustAggregate):
    @event("Opened")
    def __init__(
        self,
        title: str,
        text: str,
        options: list[str],
        passing_option: int | None,
        quorum_percent: int,
        pass_percent: int,
        closes_at: datetime,
        electorate: list[str],
        rule_code: str | None,
        rule_value: int | None,
        actor: str,
        split: bool = False,
    ):
        self.title = title
        self.text = text
        self.options = options
        self.passing_option = passing_option
        self.quorum_percent = quorum_percent
        self.pass_percent = pass_percent
        self.closes_at = closes_at
        self.electorate = electorate
        self.rule_code = rule_code
        self.rule_value = rule_value
        self.split = split  # each voter shares 100% across the options (e.g. the uses of a surplus)
        self.status = OPEN
        self.counts: tuple | None = None

    def may_vote(self, member_id: UUID) -> bool:
        return str(member_id) in self.electorate

    def judge(self, tally: list[int], turnout: int | None = None) -> tuple[bool, bool | None]:
        """(quorum met, passed) for these counts (a split ballot's are percentage points, so its turnout is given)."""
        cast = sum(tally) if turnout is None else turnout
        eligible = len(self.electorate)
        quorum_met = eligible > 0 and cast * 100 >= self.quorum_percent * eligible
        if self.passing_option is None:
            return quorum_met, None
        share_met = cast > 0 and tally[self.passing_option] * 100 >= self.pass_percent * cast
        return quorum_met, quorum_met and share_met

    def close(self, tally: list[int], actor: str, turnout: int | None = None) -> None:
        """``tally``: votes per option; for a split ballot, the percentage points given each option,
        with ``turnout`` the ballots counted."""
        if self.status == CLOSED:
            raise NotAllowedNow("This proposal is already closed.")
        quorum_met, passed = self.judge(tally, turnout)
        self._closed(
            tally=list(tally),
            turnout=sum(tally) if turnout is None else turnout,
            electorate_size=len(self.electorate),
            quorum_met=quorum_met,
            passed=passed,
            actor=actor,
        )

    @event("Closed")
    def _closed(
        self, tally: list[int], turnout: int, electorate_size: int, quorum_met: bool, passed: bool | None, actor: str
    ) -> None:
        self.status = CLOSED
        self.counts = (tuple(tally), turnout, electorate_size, quorum_met, passed)

    @property
    def result(self) -> Result | None:
        """The recorded result once closed (Closed is its last event, so modified_on is when)."""
        if self.counts is None:
            return None
        tally, turnout = self.counts[0], self.counts[1]
        split = mean_split(tally, turnout) if self.split else None
        return Result(*self.counts, closed_at=self.modified_on, split=split)


class Ballot(TrustAggregate):
    """One member's vote in one proposal; the latest cast counts."""

    @staticmethod
    def create_id(proposal_id: UUID, member_id: UUID) -> UUID:
        return uuid.uuid5(proposal_id, f"ballot:{member_id}")

    @event("Cast")
    def __init__(
        self,
        proposal_id: UUID,
        member_id: UUID,
        sealed_choice: str,
        channel: str,
        evidence_ref: str | None,
        actor: str,
    ):
        self.proposal_id = proposal_id
        self.member_id = member_id
        self.sealed_choice = sealed_choice

    def change(self, sealed_choice: str, channel: str, evidence_ref: str | None, actor: str) -> None:
        self._changed(sealed_choice=sealed_choice, channel=channel, evidence_ref=evidence_ref, actor=actor)

    @event("Changed")
    def _changed(self, sealed_choice: str, channel: str, evidence_ref: str | None, actor: str) -> None:
        self.sealed_choice = sealed_choice
