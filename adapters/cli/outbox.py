"""`datatrust outbox`: the announcements' outbox on SMS and WhatsApp, for a trust whose members'
chat bot does not run (no Telegram token); and the outbox beside `datatrust serve`."""

import logging
import subprocess
import sys

import click

from adapters.cli.main import services
from adapters.cli.output import say
from adapters.settings import Settings

NOTHING_TO_SEND_ON = (
    "error: no channel to send announcements on: set DATATRUST_TWILIO_ACCOUNT_SID, DATATRUST_TWILIO_AUTH_TOKEN "
    "and DATATRUST_TWILIO_FROM for SMS, or DATATRUST_WHATSAPP_PHONE_ID, DATATRUST_WHATSAPP_TOKEN and "
    "DATATRUST_WHATSAPP_APP_SECRET for WhatsApp (Telegram's announcements go with `datatrust bot`)."
)


@click.command("outbox")
@click.option("--every", default=30.0, show_default=True, type=click.FloatRange(1, 3600), help="Seconds between looks.")
@click.pass_context
def outbox(ctx: click.Context, every: float) -> None:
    """Deliver announcements by SMS and WhatsApp, and keep looking for new ones.

    Each member gets each announcement once, on their preferred channel (or another they use).
    With a Telegram token, `datatrust bot` does this on every channel: run one or the other."""
    from adapters.outbox.running import run_outbox

    settings = Settings.from_environment()
    if not (settings.sms_sending or settings.whatsapp_sending):
        click.echo(NOTHING_TO_SEND_ON, err=True)
        sys.exit(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "httpcore", "twilio"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    say("Delivering announcements by SMS and WhatsApp. Stop with Ctrl-C.")
    run_outbox(services(ctx), every)
    say("The outbox has stopped.")


def start_outbox_beside_the_web(settings: Settings) -> subprocess.Popen | None:
    """`datatrust outbox` in a child process, when SMS or WhatsApp can send and no chat bot runs (which would)."""
    if settings.telegram_token or not (settings.sms_sending or settings.whatsapp_sending):
        return None
    say("Starting the announcements' outbox (SMS, WhatsApp) beside the web forms; it stops when they do.")
    program = "from adapters.cli.main import cli; cli(['outbox'], prog_name='datatrust')"
    return subprocess.Popen([sys.executable, "-c", program])  # noqa: S603 - our own interpreter and code


COMMANDS = [outbox]
