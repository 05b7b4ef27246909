"""Scheduled work with a fixed clock: the real planning, runner, ledger and commands
(the same as the running scheduler's), without APScheduler's real-time loop."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.store.scheduled_work import WorkLedger
from domain.trust import Audience
from projections.consent.tables import consents
from scheduler import jobs
from scheduler.due import run_due_work
from scheduler.runner import Acting, perform
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE

PURPOSE, CATEGORIES = "affordable-credit", ["housing"]


@pytest.fixture
def member(trust):
    return trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")


def expiring_consent(trust, clock, member, organisation, days=10):
    return trust.grant_consent(
        member, PURPOSE, CATEGORIES, Audience(organisation), OPERATOR, expires_at=clock() + timedelta(days=days)
    )


def open_vote(trust, clock, days=3):
    return trust.open_proposal(
        "Should the trust fund a community wifi survey?",
        "An advisory poll.",
        ["Yes", "No"],
        clock() + timedelta(days=days),
        TRUSTEE,
    )


def consent_row(views, consent):
    with views.reading() as conn:
        return conn.execute(select(consents).where(consents.c.consent_id == consent)).one()


def announcements_to(trust, member_id):
    return [a for a in trust.unfinished_announcements() if member_id in (trust.announcement_recipients(a) or ())]


def outcomes(done):
    return {key.split(":")[0]: outcome for key, outcome in done}


def test_after_downtime_each_promise_is_kept_once_with_the_effect_it_would_have_had_on_time(
    services, trust, views, clock, member, approved_lender
):
    consent = expiring_consent(trust, clock, member, approved_lender, days=10)
    expires_at = clock() + timedelta(days=10)
    vote = open_vote(trust, clock, days=3)
    trust.cast_vote(vote, member, 0, OPERATOR)
    clock.advance(days=12)  # the scheduler was down past both deadlines

    done = outcomes(run_due_work(services))

    assert done["proposal-close"].startswith("closed the vote (1 of 1 voted)")
    assert done["consent-expiry"].startswith("recorded the consent's expiry")
    assert done["renewal-offer-7"].startswith("nothing to do:"), "an offer for a consent already past its expiry"
    row = consent_row(views, consent)
    assert (row.ended_reason, row.ended_eff, row.ended_rec) == ("expired", expires_at, clock())
    assert views.proposal(vote)["status"] == "closed"
    assert len(announcements_to(trust, member)) == 3  # the vote opening, its result, the expiry

    position = trust.last_position()
    assert run_due_work(services) == []
    clock.advance(minutes=5)
    assert run_due_work(services) == []
    assert trust.last_position() == position, "running again recorded nothing"


def test_a_consent_expires_on_time_and_the_organisation_loses_access_at_that_instant(
    services, trust, clock, member, approved_lender
):
    expiring_consent(trust, clock, member, approved_lender, days=1)
    clock.advance(days=1, seconds=-1)
    assert trust.record_access(approved_lender, member, PURPOSE, CATEGORIES, OPERATOR).granted
    assert "consent-expiry" not in outcomes(run_due_work(services)), "not due yet"
    clock.advance(seconds=1)
    assert "consent-expiry" in outcomes(run_due_work(services))
    assert trust.record_access(approved_lender, member, PURPOSE, CATEGORIES, OPERATOR).refused == tuple(CATEGORIES)


def test_work_whose_target_was_withdrawn_or_closed_by_hand_does_nothing_and_says_why(
    services, trust, clock, member, approved_lender, caplog
):
    consent = expiring_consent(trust, clock, member, approved_lender)
    vote = open_vote(trust, clock, days=3)
    trust.revoke_consent(consent, OPERATOR)
    clock.advance(days=11)
    trust.close_proposal(vote, TRUSTEE)
    position = trust.last_position()
    acting = Acting(services, WorkLedger(trust.engine), retry=lambda *_: None)

    with caplog.at_level(logging.INFO, logger="datatrust.scheduler"):
        expired = perform(acting, "consent-expiry", str(consent), f"consent-expiry:{consent}", clock())
        closed = perform(acting, "proposal-close", str(vote), f"proposal-close:{vote}", clock())

    assert expired == "nothing to do: This consent is already revoked."
    assert closed == "nothing to do: the vote was already closed"
    assert trust.last_position() == position
    assert f"consent-expiry:{consent}" in caplog.text
    assert "nothing to do: This consent is already revoked." in caplog.text
    assert "Ada" not in caplog.text
    assert [key for key, _ in run_due_work(services) if not key.startswith("digest:")] == [], "neither is planned"


def test_work_interrupted_after_its_effect_is_not_recorded_twice(services, trust, clock, member):
    vote = open_vote(trust, clock, days=1)
    clock.advance(days=1)
    key = f"proposal-close:{vote}"
    with trust.once("scheduled:" + key):  # the effect committed; the process died before the ledger knew
        trust.close_proposal(vote, TRUSTEE)
    position = trust.last_position()
    acting = Acting(services, WorkLedger(trust.engine), retry=lambda *_: None)

    assert jobs.JOBS["proposal-close"] is not None
    assert perform(acting, "proposal-close", str(vote), key, clock()) in (
        "already done (by an earlier run)",
        "nothing to do: the vote was already closed",
    )
    assert trust.last_position() == position
    assert WorkLedger(trust.engine).done([key]) == {key}


def test_failing_work_is_retried_with_backoff_shown_to_trustees_and_never_dropped(
    services, trust, views, clock, member, monkeypatch
):
    vote = open_vote(trust, clock, days=1)
    clock.advance(days=1)
    key = f"proposal-close:{vote}"
    ledger = WorkLedger(trust.engine)

    def broken(services, now, target):
        raise ConnectionError("the store went away")

    monkeypatch.setitem(jobs.JOBS, "proposal-close", broken)
    for attempt, wait in enumerate((30, 60, 120), start=1):
        assert dict(run_due_work(services))[key] is None
        assert ledger.outcome(key)["attempts"] == attempt
        assert key not in dict(run_due_work(services)), "not retried before its backoff"
        clock.advance(seconds=wait - 1)
        assert key not in dict(run_due_work(services))
        clock.advance(seconds=1)
    [failure] = ledger.failing()
    assert (failure.key, failure.attempts) == (key, 3)
    assert failure.last_error.startswith("ConnectionError at test_scheduled_work.py:")
    assert "the store went away" not in failure.last_error  # messages can hold values: never stored

    clock.now = clock.now.replace(hour=7, minute=0) + timedelta(days=1)  # the next morning's digest
    done = dict(run_due_work(services))
    assert done[key] is None and any(k.startswith("digest:") for k in done)
    [digest] = views.latest_digests(limit=1)
    assert [w["key"] for w in digest["failing_work"]] == [key]

    monkeypatch.setitem(jobs.JOBS, "proposal-close", jobs.close_proposal)
    clock.advance(hours=2)
    assert dict(run_due_work(services))[key].startswith("closed the vote")
    assert ledger.failing() == [] and views.proposal(vote)["status"] == "closed"


def test_the_cli_does_the_due_work_and_says_what_each_piece_did(trust, clock, member, cli_run, services):
    vote = open_vote(trust, clock, days=1)
    clock.advance(days=1)
    # The CLI runs on the real clock, long after the test clock's closing time.
    result = cli_run("scheduler", "--due-now")
    assert result.exit_code == 0, result.output
    assert f"proposal-close:{vote}: closed the vote (0 of 1 voted) and announced the result" in result.output
    again = cli_run("scheduler", "--due-now")
    assert f"proposal-close:{vote}" not in again.output
