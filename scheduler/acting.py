"""One scheduler acts; any other stands by. ``keep_acting`` takes the lease
(domain.store.lease) and runs the TrustScheduler while it holds it, renewing it
every ``renew_every`` seconds; if it cannot renew (another took over after a pause,
or the database is gone for longer than the lease) it stops acting and stands by
again. A standing-by process tries to take the lease at the same pace."""

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from domain.store.lease import SchedulerLease, lease_holder
from scheduler.runner import describe
from scheduler.services import SchedulerServices
from scheduler.wiring import PLAN_EVERY, TrustScheduler

log = logging.getLogger("datatrust.scheduler")
RENEW_EVERY = 10.0
LEASE_LENGTH = 30.0


def wall_clock() -> datetime:
    """The lease is about real processes, so it runs on the real clock, not the trust's."""
    return datetime.now(UTC)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def keep_acting(
    services: SchedulerServices,
    stop: threading.Event,
    say: Callable[[str], None],
    renew_every: float = RENEW_EVERY,
    lease_length: float = LEASE_LENGTH,
    plan_every: float = PLAN_EVERY,
) -> None:
    """Until ``stop`` is set: act while holding the lease, stand by while another does."""
    lease = SchedulerLease(services.trust.engine, holder_name(), timedelta(seconds=lease_length))
    lease.create_schema()
    standing_by = False
    while not stop.is_set():
        try:
            taken = lease.take(wall_clock())
        except Exception as error:  # noqa: BLE001 - the database may be back on the next try
            log.error("The scheduler could not reach the database to take its lease (%s).", describe(error))
            taken = False
        if not taken:
            if not standing_by:
                say(standing_by_message(services))
                standing_by = True
            stop.wait(renew_every)
            continue
        standing_by = False
        say("This scheduler is acting: it keeps the trust's dated promises (Ctrl-C stops it).")
        try:
            act(services, lease, stop, renew_every, timedelta(seconds=lease_length), plan_every)
        except Exception as error:  # noqa: BLE001 - e.g. the database went away while starting
            log.error("The scheduler stopped acting after an error (%s); it tries again.", describe(error))
            stop.wait(renew_every)
        if not stop.is_set():
            say("This scheduler lost its lease and has stopped acting; it stands by.")
    say("The scheduler has stopped.")


def act(
    services: SchedulerServices,
    lease: SchedulerLease,
    stop: threading.Event,
    renew_every: float,
    lease_length: timedelta,
    plan_every: float,
) -> None:
    scheduler = TrustScheduler(services, plan_every=plan_every)
    renewed = wall_clock()
    try:
        scheduler.start()
        while not stop.wait(renew_every):
            try:
                if not lease.renew(wall_clock()):
                    return
                renewed = wall_clock()
            except Exception as error:  # noqa: BLE001 - keep acting while the lease still holds
                log.error("The scheduler could not renew its lease (%s).", describe(error))
                if wall_clock() - renewed >= lease_length - timedelta(seconds=renew_every):
                    return  # another may take it soon: stop before that
    finally:
        scheduler.shutdown()
        if stop.is_set():
            try:
                lease.give_up()
            except Exception as error:  # noqa: BLE001 - it runs out by itself
                log.warning("The scheduler could not give up its lease (%s); it runs out by itself.", describe(error))


def standing_by_message(services: SchedulerServices) -> str:
    holder = lease_holder(services.trust.engine)
    who = f" ({holder.holder}, acting since {holder.since:%Y-%m-%d %H:%M} UTC)" if holder else ""
    return f"Another scheduler is acting{who}; this one stands by and takes over if it stops."
