"""The real APScheduler with its persistent job store in the trust's database, on the
real clock: work planned before a stop survives it, runs once when the scheduler is
back, and work due while it runs happens on time."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from adapters.bootstrap import bootstrap
from domain.store.scheduled_work import WorkLedger
from domain.trust import Audience
from projections.consent.tables import consents
from scheduler.wiring import JOBS_TABLE, TrustScheduler
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE


@pytest.fixture
def real_time_services(settings):
    built = bootstrap(settings)  # the system clock: APScheduler runs on real time
    yield built
    built.close()


def wait_for(check, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not done within {seconds} s")


def events_named(trust, suffix: str) -> int:
    with trust.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT COUNT(*) FROM {trust.events_table} WHERE topic LIKE :topic"), {"topic": f"%{suffix}"}
        ).scalar()


def promises(trust, seconds: float):
    member = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", datetime.now(UTC).date(), TRUSTEE)
    due = datetime.now(UTC) + timedelta(seconds=seconds)
    given = [
        trust.grant_consent(member, "affordable-credit", ["housing"], Audience(lender), OPERATOR, expires_at=due + i)
        for i in (timedelta(0), timedelta(seconds=1))
    ]
    votes = [
        trust.open_proposal(f"Question {n}", "An advisory poll.", ["Yes", "No"], due + timedelta(seconds=n), TRUSTEE)
        for n in (0, 1)
    ]
    keys = {f"consent-expiry:{c}" for c in given} | {f"proposal-close:{v}" for v in votes}
    return given, votes, keys, due + timedelta(seconds=1)


def test_work_due_while_the_scheduler_was_stopped_runs_once_when_it_is_back(settings, real_time_services):
    trust = real_time_services.trust
    given, votes, keys, last_deadline = promises(trust, seconds=3)
    first = TrustScheduler(real_time_services, plan_every=3600)
    first.start()
    assert keys <= {job.id for job in first.scheduler.get_jobs(jobstore="dated")}
    first.shutdown()
    real_time_services.close()
    with trust.engine.connect() as conn:  # kept in the trust's own database while no scheduler runs
        stored = {row.id for row in conn.execute(text(f"SELECT id FROM {JOBS_TABLE}"))}
    assert keys <= stored

    time.sleep(max(0.0, (last_deadline - datetime.now(UTC)).total_seconds()) + 1.0)  # every deadline passes
    assert events_named(trust, "Consent.Expired") == 0 and events_named(trust, "Proposal.Closed") == 0

    restarted = bootstrap(settings)
    second = TrustScheduler(restarted, plan_every=3600)
    second.start()
    try:
        ledger = WorkLedger(restarted.trust.engine)
        wait_for(lambda: ledger.done(keys) == keys)
    finally:
        second.shutdown()
    assert events_named(restarted.trust, "Consent.Expired") == 2
    assert events_named(restarted.trust, "Proposal.Closed") == 2
    with restarted.views.reading() as conn:
        rows = conn.execute(select(consents.c.expires_at, consents.c.ended_eff)).all()
        assert all(row.ended_eff == row.expires_at for row in rows), "recorded as of the expiry, not the restart"

    position = restarted.trust.last_position()
    third = TrustScheduler(restarted, plan_every=3600)
    third.start()
    time.sleep(1.5)
    third.shutdown()
    assert restarted.trust.last_position() == position, "a second start records nothing again"
    with restarted.trust.engine.connect() as conn:
        left = [row.id for row in conn.execute(text(f"SELECT id FROM {JOBS_TABLE}"))]
    assert [key.split(":")[0] for key in left] == ["digest"], "only the next digest is still to come"
    restarted.close()


def test_a_vote_opened_while_the_scheduler_runs_closes_on_time(real_time_services):
    trust = real_time_services.trust
    member = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    scheduler = TrustScheduler(real_time_services, plan_every=0.5)
    scheduler.start()
    try:
        closes_at = datetime.now(UTC) + timedelta(seconds=2)
        vote = trust.open_proposal("Question", "An advisory poll.", ["Yes", "No"], closes_at, TRUSTEE)
        trust.cast_vote(vote, member, 1, OPERATOR)
        wait_for(lambda: real_time_services.views.proposal(vote)["status"] == "closed")
    finally:
        scheduler.shutdown()
    row = real_time_services.views.proposal(vote)
    assert row["tally"] == [0, 1]
    assert closes_at <= row["closed_at"] < closes_at + timedelta(seconds=3), "closed on time, not early"
