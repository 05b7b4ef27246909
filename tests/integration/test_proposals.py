"""Proposals and secret ballots through the whole trust, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.governance.votes import NotInElectorate, SameChoice, TooEarlyToClose, VotingClosed
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, NotFound
from projections.core.rebuild import rebuild
from projections.governance.tables import proposal_voters, proposals
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.integration.test_rebuild import read_models
from tests.support import nothing_recorded

MEMBER = Actor("member", "via bot")
FOR_AGAINST = ["For", "Against"]


def members(trust, count: int) -> list:
    return [trust.register_member(f"Voter {n}", MEMBER_THEMSELF, channel="bot") for n in range(count)]


def open_rule_change(trust, clock, value: int = 15, **options):
    return trust.open_proposal(
        "Raise the minimum cell size",
        "Insight releases would need at least 15 members in every group.",
        FOR_AGAINST,
        clock() + timedelta(days=7),
        TRUSTEE,
        quorum_percent=options.pop("quorum_percent", 25),
        pass_percent=options.pop("pass_percent", 50),
        rule_code="min-cell-size",
        rule_value=value,
        **options,
    )


def test_a_rule_change_that_passes_sets_the_live_rule_and_tells_the_electorate(services, trust, views, clock):
    voters = members(trust, 4)
    assert trust.live_rule("min-cell-size").value == 10
    proposal = open_rule_change(trust, clock)
    invitation = trust.unfinished_announcements()[-1]
    assert "A new proposal is open for your vote: Raise the minimum cell size." in trust.announcement_text(invitation)
    assert trust.announcement_recipients(invitation) == frozenset(voters)

    for member_id, option in zip(voters, [0, 0, 1], strict=False):
        trust.cast_vote(proposal, member_id, option, MEMBER)
    assert views.proposal(proposal)["voters"] == 3
    assert views.proposal(proposal)["tally"] is None
    clock.advance(days=7)
    result = trust.close_proposal(proposal, TRUSTEE)

    assert result.tally == (2, 1) and result.turnout == 3 and result.electorate == 4
    assert result.quorum_met and result.passed and result.closed_at == clock()
    live = trust.live_rule("min-cell-size")
    assert (live.value, live.proposal_id, live.set_at) == (15, proposal, clock())
    row = views.proposal(proposal)
    assert (row["status"], row["tally"], row["turnout"], row["quorum_met"], row["passed"]) == (
        "closed",
        [2, 1],
        3,
        True,
        True,
    )
    [change] = views.rule_history()
    assert (change["code"], change["value"], change["proposal_title"]) == (
        "min-cell-size",
        15,
        "Raise the minimum cell size",
    )
    told = trust.unfinished_announcements()[-1]
    assert trust.announcement_recipients(told) == frozenset(voters)
    assert "3 of 4 members voted" in trust.announcement_text(told)
    assert "minimum cell size for insight releases is 15" in trust.announcement_text(told)


def test_the_latest_vote_counts_and_a_repeat_of_the_same_choice_records_nothing(services, trust, views, clock):
    [member] = members(trust, 1)
    proposal = open_rule_change(trust, clock)
    first = trust.cast_vote(proposal, member, 0, MEMBER)
    clock.advance(hours=1)
    second = trust.cast_vote(proposal, member, 1, CASEWORKER, channel="paper", evidence_ref="BAL-7")
    assert not first.changed and second.changed
    assert first.receipt != second.receipt and len(second.receipt) == 9 and second.receipt[4] == "-"
    assert trust.member_ballot(proposal, member).choice == 1
    with nothing_recorded(services), pytest.raises(SameChoice, match="already chose 'Against'"):
        trust.cast_vote(proposal, member, 1, MEMBER)
    with views.reading() as conn:
        [voter] = conn.execute(select(proposal_voters)).all()
    assert voter.channel == "paper" and voter.last_voted_at == clock()
    clock.advance(days=7)
    result = trust.close_proposal(proposal, TRUSTEE)
    assert result.tally == (0, 1) and not result.passed
    assert trust.live_rule("min-cell-size").value == 10


def test_the_electorate_is_fixed_when_the_proposal_opens(services, trust, clock):
    active = members(trust, 2)
    unconfirmed = trust.register_member("Paper Pat", CASEWORKER, channel="paper", evidence_ref="PF-1")
    leaver = active[1]
    proposal = open_rule_change(trust, clock)
    latecomer = trust.register_member("Late Lou", MEMBER_THEMSELF, channel="bot")
    trust.member_leaves(leaver, OPERATOR)
    for outsider in (unconfirmed, latecomer, leaver):
        with nothing_recorded(services), pytest.raises(NotInElectorate):
            trust.cast_vote(proposal, outsider, 0, MEMBER)
    assert not trust.member_ballot(proposal, latecomer).eligible
    assert trust.member_ballot(proposal, active[0]).eligible


def test_votes_after_the_close_and_closing_early_are_refused(services, trust, clock):
    [member] = members(trust, 1)
    proposal = open_rule_change(trust, clock)
    with nothing_recorded(services), pytest.raises(TooEarlyToClose, match="cannot be closed before then"):
        trust.close_proposal(proposal, TRUSTEE)
    clock.advance(days=7)
    with nothing_recorded(services), pytest.raises(VotingClosed):
        trust.cast_vote(proposal, member, 0, MEMBER)
    result = trust.close_proposal(proposal, TRUSTEE)
    with nothing_recorded(services):
        assert trust.close_proposal(proposal, TRUSTEE) == result
    with nothing_recorded(services), pytest.raises(VotingClosed):
        trust.cast_vote(proposal, member, 0, MEMBER)
    assert not result.quorum_met and result.passed is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(options=[]), "2 to 8 options"),
        (dict(options=["Yes"]), "2 to 8 options"),
        (dict(options=[str(n) for n in range(9)]), "2 to 8 options"),
        (dict(options=["Yes", " yes "]), "different"),
        (dict(closes_in=timedelta(hours=-1)), "in the future"),
        (dict(naive=True), "time zone"),
        (dict(quorum_percent=101), "quorum"),
        (dict(pass_percent=-1), "share needed to pass"),
        (dict(rule_code="max-cell-size", rule_value=3), "Unknown rule"),
        (dict(rule_code="min-cell-size", rule_value=2), "from 5 to 1000"),
        (dict(rule_value=12), "which rule"),
        (dict(passing_option=2), "passing option"),
        (dict(title=" "), "title"),
    ],
)
def test_a_malformed_proposal_is_refused_and_records_nothing(services, trust, clock, change, message):
    members(trust, 1)
    change = dict(change)  # the parameters are shared by the SQLite and PostgreSQL runs
    closes = clock() + change.pop("closes_in", timedelta(days=1))
    if change.pop("naive", False):
        closes = datetime(2030, 1, 1, 12, 0)
    arguments = {"title": "A poll", "text": "What do you think?", "options": ["Yes", "No"], **change}
    with nothing_recorded(services), pytest.raises((InvalidRequest, InvalidTime), match=message):
        trust.open_proposal(
            arguments.pop("title"), arguments.pop("text"), arguments.pop("options"), closes, TRUSTEE, **arguments
        )


def test_bad_votes_are_refused_and_record_nothing(services, trust, clock):
    [member] = members(trust, 1)
    proposal = open_rule_change(trust, clock)
    other = trust.open_proposal("Poll", "Which day?", ["Mon", "Tue", "Wed"], clock() + timedelta(days=1), TRUSTEE)
    for option in (2, -1, True, "0"):
        with nothing_recorded(services), pytest.raises(InvalidRequest, match="Choose one of the proposal's 2"):
            trust.cast_vote(proposal, member, option, MEMBER)
    with nothing_recorded(services), pytest.raises(NotFound):
        trust.cast_vote(member, member, 0, MEMBER)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="signed ballot's reference"):
        trust.cast_vote(proposal, member, 0, CASEWORKER, channel="paper")
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="not a reference"):
        trust.cast_vote(proposal, member, 0, CASEWORKER, channel="paper", evidence_ref="signed by Mary")
    trust.cast_vote(other, member, 2, MEMBER)
    assert trust.member_ballot(proposal, member).choice is None


def test_an_advisory_poll_is_simply_the_tally(trust, clock):
    voters = members(trust, 3)
    poll = trust.open_proposal(
        "Meeting day", "Which day suits you?", ["Mon", "Tue", "Wed"], clock() + timedelta(days=1), TRUSTEE
    )
    for member_id, option in zip(voters, [2, 2, 0], strict=True):
        trust.cast_vote(poll, member_id, option, MEMBER)
    clock.advance(days=1)
    result = trust.close_proposal(poll, TRUSTEE)
    assert result.tally == (1, 0, 2) and result.passed is None and result.quorum_met


def test_quorum_and_pass_share(trust, clock):
    voters = members(trust, 10)
    proposal = open_rule_change(trust, clock, quorum_percent=30, pass_percent=60)
    for member_id, option in zip(voters, [0, 0, 1], strict=False):
        trust.cast_vote(proposal, member_id, option, MEMBER)
    clock.advance(days=7)
    result = trust.close_proposal(proposal, TRUSTEE)
    assert result.quorum_met and result.passed  # 3 of 10 voted; 2 of 3 is 66% >= 60%


def test_a_member_erased_before_the_close_is_not_counted(trust, views, clock):
    voters = members(trust, 3)
    proposal = open_rule_change(trust, clock)
    for member_id in voters:
        trust.cast_vote(proposal, member_id, 0, MEMBER)
    trust.erase_member(voters[0], TRUSTEE)
    clock.advance(days=7)
    result = trust.close_proposal(proposal, TRUSTEE)
    assert result.tally == (2, 0) and result.turnout == 2
    assert views.proposal(proposal)["voters"] == 3


def test_read_models_never_hold_a_choice_and_rebuild_equals_incremental(services, trust, clock):
    voters = members(trust, 5)
    proposal = open_rule_change(trust, clock)
    poll = trust.open_proposal("Poll", "Which?", ["Red", "Blue"], clock() + timedelta(days=2), TRUSTEE)
    for n, member_id in enumerate(voters):
        trust.cast_vote(proposal, member_id, n % 2, MEMBER)
        trust.cast_vote(poll, member_id, 1, MEMBER)
        clock.advance(minutes=5)
    trust.cast_vote(proposal, voters[0], 1, CASEWORKER, channel="paper", evidence_ref="BAL-1")
    clock.advance(days=7)
    trust.close_proposal(proposal, TRUSTEE)
    with services.views.reading() as conn:
        rows = conn.execute(select(proposal_voters)).all()
        assert {"choice", "option"}.isdisjoint(proposal_voters.c.keys())
        assert len(rows) == 10
        assert conn.execute(select(proposals.c.voters).where(proposals.c.proposal_id == poll)).scalar() == 5
    incremental = read_models(services)
    rebuild(trust, services.views.projector)
    assert read_models(services) == incremental


def test_the_cli_closes_a_proposal_once_its_time_is_over(trust, clock, cli_run):
    """The command line runs on the real clock; the trust here on the test's (earlier) one."""
    voters = members(trust, 2)
    real_now = datetime.now(UTC)
    assert clock() < real_now - timedelta(hours=1)
    later = trust.open_proposal("Later", "Still open?", ["Yes", "No"], real_now + timedelta(hours=1), TRUSTEE)
    over = trust.open_proposal(
        "Over", "Shall we?", ["For", "Against"], real_now - timedelta(hours=1), TRUSTEE, passing_option=0
    )
    trust.cast_vote(over, voters[0], 0, MEMBER)
    early = cli_run("close-proposal", later.hex[:8])
    assert early.exit_code == 1 and "cannot be closed before then" in early.output
    unknown = cli_run("close-proposal", "abcdef12")
    assert unknown.exit_code == 1 and "No proposal is known by abcdef12" in unknown.output
    closed = cli_run("close-proposal", str(over))
    assert closed.exit_code == 0, closed.output
    assert "Votes counted: 1 of 2" in closed.output and "For: 1" in closed.output and "Passed." in closed.output
    again = cli_run("close-proposal", str(over), "--json")
    assert '"passed": true' in again.output and '"turnout": 1' in again.output
