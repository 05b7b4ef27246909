"""`datatrust scheduler`: keep the trust's dated promises (expiries, closing votes and
panels, reminders, the trustees' digest); and the scheduler beside `datatrust serve`."""

import logging
import signal
import subprocess
import sys
import threading

import click

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
@click.pass_context
def scheduler(ctx: click.Context, plan_every: float) -> None:
    """Run the scheduler. Only one acts at a time: a second one stands by and takes over
    if the first stops. Work missed while no scheduler ran is done once when it starts."""
    from scheduler.acting import keep_acting

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # its job lines repeat ours
    svc = services(ctx)
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    keep_acting(svc, stop, say, plan_every=plan_every)


def start_scheduler_beside_the_web() -> subprocess.Popen:
    say("Starting the scheduler beside the web forms; it stops when they do.")
    program = "from adapters.cli.main import cli; cli(['scheduler'], prog_name='datatrust')"
    return subprocess.Popen([sys.executable, "-c", program])  # noqa: S603 - our own interpreter and code


COMMANDS = [scheduler]
