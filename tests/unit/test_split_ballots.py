"""Split ballots: the mean split adds up to 100 whatever the votes, and a proposal recorded
before split ballots existed (its Opened event has no ``split``) still opens as an ordinary one."""

import json
from dataclasses import replace
from datetime import UTC, datetime

from eventsourcing.application import Application

from domain.governance.model import Proposal
from domain.governance.votes import mean_split


def test_the_mean_split_is_in_whole_percents_adding_up_to_100():
    assert mean_split([150, 80, 70], 3) == (50, 27, 23)  # 50, 26.67, 23.33: the point over to the largest fraction
    assert mean_split([100, 100, 100], 3) == (34, 33, 33)  # a tie: to the use listed first
    assert mean_split([0, 0], 0) is None  # nobody voted
    for voters in range(1, 12):
        points = [100 * voters - 7 * voters, 7 * voters - voters, voters]
        assert sum(mean_split(points, voters)) == 100


def test_a_proposal_recorded_before_split_ballots_opens_as_an_ordinary_one():
    app = Application()
    proposal = Proposal(
        title="Meeting day",
        text="Which day?",
        options=["Mon", "Tue"],
        passing_option=None,
        quorum_percent=0,
        pass_percent=50,
        closes_at=datetime(2026, 3, 9, tzinfo=UTC),
        electorate=["someone"],
        rule_code=None,
        rule_value=None,
        actor="trustee:tess",
    )
    [opened] = proposal.collect_events()
    stored = app.mapper.to_stored_event(opened)
    state = json.loads(stored.state)
    del state["split"]  # as recorded before split ballots
    old = app.mapper.to_domain_event(replace(stored, state=json.dumps(state).encode()))
    reopened = old.mutate(None)
    assert reopened.split is False and reopened.options == ["Mon", "Tue"]
