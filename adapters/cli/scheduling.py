"""`datatrust scheduler`: keep the trust's dated promises (expiries, closing votes and
panels, reminders, the trustees' digest); and the scheduler beside `datatrust serve`."""

import logging
import signal
import subprocess
import sys
import threading

import click

from adapters.bootstrap import settle_heap
from adapters.cli.main import services
from adapters.cli.output import say


@click.command("scheduler")
@click.option(
    "--plan-every",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Seconds between looks for new dated promises (a vote opened, a consent given).",
)
@click.option(
    "--due-now",
    is_flag=True,
    help="Do the work that is due now, say what each piece did, and exit (instead of running on).",
)
@click.pass_context
def scheduler(ctx: click.Context, plan_every: float, due_now: bool) -> None:
    """Run the scheduler. Only one acts at a time: a second one stands by and takes over
    if the first stops. Work missed while no scheduler ran is done once when it starts."""
    from scheduler.acting import keep_acting

    if due_now:
        return do_due_work(ctx)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # its job lines repeat ours
    svc = services(ctx)
    settle_heap()  # a rotation's steps and every other command: no full collection of the start's objects
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    keep_acting(svc, stop, say, plan_every=plan_every)


def do_due_work(ctx: click.Context) -> None:
    from scheduler.due import run_due_work

    done = run_due_work(services(ctx))
    for key, outcome in done:
        say(f"{key}: {outcome if outcome is not None else 'FAILED; it is tried again later (see the dashboard)'}")
    say(f"{len(done)} piece(s) of scheduled work were due." if done else "No scheduled work is due.")
    if any(outcome is None for _, outcome in done):
        sys.exit(1)


def start_scheduler_beside_the_web() -> subprocess.Popen:
    say("Starting the scheduler beside the web forms; it stops when they do.")
    program = "from adapters.cli.main import cli; cli(['scheduler'], prog_name='datatrust')"
    return subprocess.Popen([sys.executable, "-c", program])  # noqa: S603 - our own interpreter and code


COMMANDS = [scheduler]
