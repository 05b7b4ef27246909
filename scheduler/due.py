"""All the work due by the trust's clock, done now, in this thread, without
APScheduler: `datatrust scheduler --due-now` (an operator's check, or cron
instead of a running scheduler) and tests with a controlled clock. The same
planning, runner and ledger as the running scheduler, so the same once-keys:
running it beside an acting scheduler records nothing twice."""

from datetime import date, datetime

from domain.store.scheduled_work import WorkLedger
from projections.scheduling.promises import open_promises
from scheduler.plan import Work, keys, plan
from scheduler.runner import Acting, perform
from scheduler.services import SchedulerServices


def latest_digest(services: SchedulerServices) -> date | None:
    latest = services.views.latest_digests(limit=1)
    return date.fromisoformat(str(latest[0]["day"])) if latest else None


def work_due_by(services: SchedulerServices, ledger: WorkLedger, now: datetime, until: datetime) -> list[Work]:
    """The work not yet done that is due by ``until`` (failing work: by its next try), soonest first."""
    with services.views.reading() as conn:
        promises = open_promises(conn)
    latest = latest_digest(services)
    upkeep = services.trust.key_upkeep()
    done = ledger.done(keys(promises, now, latest, until=until, upkeep=upkeep))
    return plan(promises, now, done, ledger.retry_times(), latest, until=until, upkeep=upkeep)


def run_due_work(services: SchedulerServices) -> list[tuple[str, str | None]]:
    """Do every piece of work whose time has come, oldest first; returns (key, outcome)
    for each (outcome None: it failed, and waits for its next try in the ledger)."""
    ledger = WorkLedger(services.trust.engine)
    now = services.clock()
    acting = Acting(services, ledger, retry=lambda *_: None)
    return [
        (work.key, perform(acting, work.kind, work.target, work.key, work.due_at))
        for work in work_due_by(services, ledger, now, until=now)
    ]
