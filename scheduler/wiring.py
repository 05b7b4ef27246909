"""APScheduler wiring: the dated work in a persistent job store in the trust's own
database, the repeating work (planning, read-model catch-up) in memory.

Every job is coalesced and has no misfire grace time: after a stop, work whose
time passed runs once as soon as the scheduler is back, and a date already past
when it is planned runs at once. Planning (at start and every ``plan_every``
seconds) turns the read models' open promises due within the next two days into
date jobs (scheduler.plan), adds what is new or moved and removes what is no
longer promised; so the store holds days of work, not years of expiries. APScheduler
drops a date job as it starts it; if the process dies mid-job, the next planning
pass (in this process or the next acting one) plans it again, and its once-key
keeps it from recording anything twice."""

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.store.scheduled_work import WorkLedger
from scheduler.due import work_due_by
from scheduler.plan import Work
from scheduler.runner import Acting, run_every, run_work, set_acting
from scheduler.services import SchedulerServices

log = logging.getLogger("datatrust.scheduler")
JOBS_TABLE = "scheduled_jobs"
PLAN_EVERY = 30.0  # seconds between planning passes: new promises are planned within this
HORIZON = timedelta(days=2)  # only work due this soon is in the job store; the rest comes in as it nears
CATCH_UP_EVERY = 60.0
RESERVES_EVERY = 600.0  # seconds between looks for panel members who left (a decline is filled at once)


class TrustScheduler:
    def __init__(
        self,
        services: SchedulerServices,
        plan_every: float = PLAN_EVERY,
        catch_up_every: float = CATCH_UP_EVERY,
        workers: int = 4,
    ):
        self.services = services
        self.plan_every, self.catch_up_every = plan_every, catch_up_every
        self.ledger = WorkLedger(services.trust.engine)
        self.scheduler = BackgroundScheduler(
            jobstores={
                "dated": SQLAlchemyJobStore(engine=services.trust.engine, tablename=JOBS_TABLE),
                "default": MemoryJobStore(),
            },
            executors={"default": ThreadPoolExecutor(workers)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone=UTC,
        )
        self.acting = Acting(services, self.ledger, self._retry)

    def start(self) -> None:
        self.ledger.create_schema()
        set_acting(self.acting)
        self.scheduler.start(paused=True)
        for job in self.scheduler.get_jobs(jobstore="dated"):
            self.acting.planned[job.id] = job.next_run_time
        self.plan_now()
        self.scheduler.add_job(
            self.plan_now, IntervalTrigger(seconds=self.plan_every), id="plan", name="planning", jobstore="default"
        )
        self.scheduler.add_job(
            run_every,
            IntervalTrigger(seconds=self.catch_up_every),
            args=["catch-up"],
            id="catch-up",
            name="read-model catch-up",
            jobstore="default",
        )
        self.scheduler.add_job(
            run_every,
            IntervalTrigger(seconds=RESERVES_EVERY),
            args=["panel-reserves"],
            id="panel-reserves",
            name="reserves for panel members who left",
            jobstore="default",
        )
        self.scheduler.resume()

    def shutdown(self) -> None:
        """Stop taking work; wait for the work already running to finish."""
        if self.scheduler.running:
            # APScheduler's loop makes one more round after shutdown begins, handing due jobs to
            # an executor already shut down: so first take every job store out of its sight (the
            # dated jobs stay in the database, for the next start).
            self.scheduler.pause()
            self.scheduler.remove_all_jobs(jobstore="default")
            self.scheduler.remove_jobstore("dated", shutdown=False)
            self.scheduler.shutdown(wait=True)
        set_acting(None)

    def plan_now(self) -> int:
        """One planning pass; returns how many jobs it added or moved."""
        now = self.services.clock()
        wanted = work_due_by(self.services, self.ledger, now, until=now + HORIZON)
        changed = 0
        with self.acting.lock:
            running = set(self.acting.running)
        if any(key.startswith("key-rotation") for key in running):  # its steps go on in the run already going
            wanted = [work for work in wanted if work.kind != "key-rotation-steps"]
        for work in wanted:
            if work.key not in running and self.acting.planned.get(work.key) != work.run_at:
                self._add(work)
                changed += 1
        for key in set(self.acting.planned) - {work.key for work in wanted} - running:
            self._remove(key)
        return changed

    def _add(self, work: Work) -> None:
        self.scheduler.add_job(
            run_work,
            DateTrigger(run_date=work.run_at),
            args=[work.kind, work.target, work.key, work.due_at.isoformat()],
            id=work.key,
            name=work.kind,
            jobstore="dated",
            replace_existing=True,
        )
        self.acting.planned[work.key] = work.run_at

    def _remove(self, key: str) -> None:
        try:
            self.scheduler.remove_job(key, jobstore="dated")
        except JobLookupError:
            pass  # it has just run
        self.acting.planned.pop(key, None)
        log.info("Scheduled work %s is no longer promised (done by hand, withdrawn or moved): removed.", key)

    def _retry(self, key: str, kind: str, target: str, due_at: datetime, run_at: datetime) -> None:
        if self.scheduler.state != STATE_RUNNING:
            return  # stopping: the next start plans it again from the ledger, at its next try
        self._add(Work(key, kind, target, due_at, run_at))
