"""Running one piece of scheduled work: at most once, its outcome kept, a failure
retried with backoff and never dropped.

APScheduler keeps only a reference to ``run_work`` and its plain arguments in the
job store (the trust's database); the services belong to the process that acts,
set here by ``acting_with``. A piece of work runs inside ``trust.once(key)``, so
the command it calls records its facts in the same transaction as the key: a rerun
(a retry after a crash mid-job, another process) finds the key and records nothing."""

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.kernel.errors import TrustError
from domain.store.once import AlreadyHandled
from domain.store.scheduled_work import Failure, WorkLedger
from scheduler.jobs import JOBS
from scheduler.services import SchedulerServices

log = logging.getLogger("datatrust.scheduler")
ONCE_PREFIX = "scheduled:"


@dataclass
class Acting:
    """What the acting scheduler shares with the work it runs."""

    services: SchedulerServices
    ledger: WorkLedger
    retry: Callable[[str, str, str, datetime, datetime], None]  # (key, kind, target, due_at, run_at)
    planned: dict[str, datetime] = field(default_factory=dict)  # date jobs in the store: key -> run time
    running: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


_acting: Acting | None = None


def set_acting(acting: Acting | None) -> None:
    """Let the work that comes due in this process run with ``acting`` (None: with nothing)."""
    global _acting
    _acting = acting


def describe(error: BaseException) -> str:
    """An error in one line without personal data: its type and where it came from.
    (Messages can hold values, e.g. a driver's error quoting a row, so they are left out.)"""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def run_work(kind: str, target: str, key: str, due_at: str) -> None:
    """What APScheduler calls for a dated piece of work (see scheduler.plan)."""
    acting = _acting
    if acting is None:
        log.warning("Scheduled work %s came due in a process that is not acting; it is left for the acting one.", key)
        return
    with acting.lock:
        acting.planned.pop(key, None)  # APScheduler has taken it out of the store to run it
        if key in acting.running:
            log.info("Scheduled work %s is already running; not starting it twice.", key)
            return
        acting.running.add(key)
    try:
        perform(acting, kind, target, key, datetime.fromisoformat(due_at))
    finally:
        with acting.lock:
            acting.running.discard(key)


def perform(acting: Acting, kind: str, target: str, key: str, due_at: datetime) -> str | None:
    services, ledger = acting.services, acting.ledger
    if ledger.done([key]):
        log.info("Scheduled work %s was already done; nothing more to do.", key)
        return None
    now = services.clock()
    try:
        with services.trust.once(ONCE_PREFIX + key):
            outcome = JOBS[kind](services, now, target)
    except AlreadyHandled:
        outcome = "already done (by an earlier run)"
    except TrustError as refusal:  # the target is gone, closed or done: the trust's reason
        outcome = f"nothing to do: {refusal}"
    except Exception as error:  # noqa: BLE001 - any failure is retried, never dropped
        failure = ledger.fail(key, kind, due_at, describe(error), services.clock())
        report_failure(failure)
        acting.retry(key, kind, target, due_at, failure.next_try_at)
        return None
    ledger.finish(key, kind, due_at, outcome, services.clock())
    log.info("Scheduled work %s (due %s): %s", key, f"{due_at:%Y-%m-%d %H:%M} UTC", outcome)
    return outcome


def report_failure(failure: Failure) -> None:
    log.error(
        "Scheduled work %s failed (%s), %d time(s) in a row; trying again at %s.",
        failure.key,
        failure.last_error,
        failure.attempts,
        f"{failure.next_try_at:%Y-%m-%d %H:%M:%S} UTC",
    )


def run_every(kind: str) -> None:
    """What APScheduler calls for the repeating work (the digest, read-model catch-up):
    not once-keyed (it is idempotent by itself); a failure is logged and counted."""
    acting = _acting
    if acting is None:
        return
    services = acting.services
    now = services.clock()
    try:
        outcome = JOBS[kind](services, now, "")
    except Exception as error:  # noqa: BLE001 - the next tick tries again; repeated failure is shown
        failure = acting.ledger.fail(kind, kind, now, describe(error), services.clock())
        report_failure(failure)
        return
    acting.ledger.finish(kind, kind, now, outcome, services.clock())
    log.info("Scheduled work %s: %s", kind, outcome)
