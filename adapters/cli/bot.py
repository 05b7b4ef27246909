"""`datatrust bot`: the members' chat bot on Telegram, by long polling or a webhook,
or a try-out in this terminal (--local); and the bot beside `datatrust serve`."""

import logging
import subprocess
import sys

import click

from adapters.bootstrap import settle_heap
from adapters.cli.main import services
from adapters.cli.output import say
from adapters.settings import Settings

FROM_BOTFATHER = (
    "error: the bot has no token: set DATATRUST_TELEGRAM_TOKEN to the token Telegram's @BotFather gives you "
    "for your bot, or run `datatrust bot --local` to try the bot in this terminal without one."
)
NOT_BESIDE = (
    "The members' chat bot is not running: set DATATRUST_TELEGRAM_TOKEN to start it with the web forms "
    "(or run `datatrust bot --local` to try it)."
)


@click.command("bot")
@click.option("--webhook", metavar="URL", help="Public https URL for Telegram to call, instead of long polling.")
@click.option("--listen", default="127.0.0.1", show_default=True, help="Address the webhook server listens on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Its port.")
@click.option("--local", is_flag=True, help="Try the bot in this terminal, without Telegram or a token.")
@click.option(
    "--channel",
    type=click.Choice(["telegram", "sms", "whatsapp"]),
    default="telegram",
    show_default=True,
    help="With --local: the phone to try the conversation on.",
)
@click.pass_context
def bot(ctx: click.Context, webhook: str | None, listen: str, port: int, local: bool, channel: str) -> None:
    """Run the members' chat bot: long polling by default, or a webhook behind your TLS proxy."""
    from telegram.error import InvalidToken, TelegramError

    from adapters.bot import runner
    from adapters.bot.app import build_bot

    settings = Settings.from_environment()
    if local:
        if webhook:
            raise click.UsageError("--local runs without Telegram, so it takes no --webhook.")
        if channel != "telegram":
            return try_out_by_phone(ctx, channel)
        return try_out(ctx)
    if channel != "telegram":
        raise click.UsageError(
            "--channel is for --local: SMS and WhatsApp run inside `datatrust serve` (see the README)."
        )
    token = settings.telegram_token
    if not token:
        click.echo(FROM_BOTFATHER, err=True)
        sys.exit(1)
    try:
        if webhook:
            runner.check_webhook_url(webhook, allow_http=settings.telegram_api_url is not None)
        secret = runner.webhook_secret(settings.telegram_webhook_secret) if webhook else None
    except runner.BadWebhook as error:
        click.echo(f"error: {error}.", err=True)
        sys.exit(1)
    runner.configure_logging(logging.INFO, token, secret)
    application = build_bot(services(ctx), token)
    settle_heap()
    try:
        if webhook and secret:
            runner.listen(application, webhook, host=listen, port=port, secret=secret, say=say)
        else:
            runner.poll(application, say=say)
    except InvalidToken:
        click.echo("error: Telegram refused the token in DATATRUST_TELEGRAM_TOKEN; check it with @BotFather.", err=True)
        sys.exit(1)
    except (TelegramError, OSError) as error:
        reason = str(error).replace(token, "[hidden]")
        click.echo(f"error: the bot could not start: {reason}", err=True)
        sys.exit(1)
    say("The members' chat bot has stopped.")


def try_out(ctx: click.Context) -> None:
    from adapters.bot import runner
    from adapters.bot.app import build_bot
    from adapters.bot.local import LOCAL_TOKEN, Terminal

    svc = services(ctx)
    store = svc.trust.engine.url.render_as_string(hide_password=True)
    say(f"This is a try-out of the members' chat bot on the store at {store}: joining here records real events there.")
    say("Type as a member would, starting with /start; type a button's number to press it. Ctrl-D or Ctrl-C ends.")
    runner.configure_logging(logging.WARNING)
    stop = runner.Stop()
    terminal = Terminal(sys.stdin.fileno(), click.get_text_stream("stdout"), on_end=stop)
    runner.poll(build_bot(svc, LOCAL_TOKEN, request=terminal), stop=stop)
    say("The try-out has ended.")


def try_out_by_phone(ctx: click.Context, channel: str) -> None:
    from adapters.bot.local_phone import LOCAL_NUMBER, talk

    svc = services(ctx)
    store = svc.trust.engine.url.render_as_string(hide_password=True)
    name = "SMS" if channel == "sms" else "WhatsApp"
    say(f"This is a try-out of the members' conversation by {name} on the store at {store}, from {LOCAL_NUMBER}:")
    say("joining here records real events there. Type as a member would, starting with JOIN; a number picks a")
    say("choice. Ctrl-D or Ctrl-C ends.")
    try:
        talk(svc, channel, click.get_text_stream("stdin"), click.get_text_stream("stdout"))
    except KeyboardInterrupt:
        pass
    say("The try-out has ended.")


def start_beside_the_web(settings: Settings) -> subprocess.Popen | None:
    """`datatrust bot` (long polling) in a child process with the same environment, when there is a token."""
    if not settings.telegram_token:
        say(NOT_BESIDE)
        return None
    say("Starting the members' chat bot beside the web forms (long polling); it stops when they do.")
    program = "from adapters.cli.main import cli; cli(['bot'], prog_name='datatrust')"
    return subprocess.Popen([sys.executable, "-c", program])  # noqa: S603 - our own interpreter and code


def stop_beside_the_web(child: subprocess.Popen | None) -> None:
    if child is None or child.poll() is not None:
        return
    child.terminate()  # the bot stops gracefully on SIGTERM, once however many it gets
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


COMMANDS = [bot]
