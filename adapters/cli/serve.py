"""`datatrust serve`: the web forms and organisation API on a production WSGI server, and the
members' chat bot beside them when it has a token."""

import click

from adapters.cli.main import services
from adapters.cli.output import say
from adapters.cli.staff import hand_over_link, no_usable_trustee
from domain.kernel.actors import Actor

SETUP = Actor("operator", "setup")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--first-trustee",
    default="trustee",
    show_default=True,
    help="Username of the first trustee account, made only when the store has no staff accounts.",
)
@click.option(
    "--without-scheduler",
    is_flag=True,
    help="Do not start the scheduler here (you run `datatrust scheduler` elsewhere).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, first_trustee: str, without_scheduler: bool) -> None:
    """Create the store if needed, make a first trustee on a new store, and serve the web
    forms, with the scheduler and (when it has a token) the members' chat bot beside them."""
    from adapters.cli.bot import start_beside_the_web, stop_beside_the_web
    from adapters.cli.outbox import start_outbox_beside_the_web
    from adapters.cli.scheduling import start_scheduler_beside_the_web
    from adapters.web.server import TrustServer

    svc = services(ctx)
    base = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{port}"  # noqa: S104
    if not svc.views.has_staff():
        link = svc.trust.open_staff_account(first_trustee, ["trustee"], SETUP)
        say(f"Made the first trustee account, {link.username}.")
        hand_over_link(svc.settings, link.username, f"{base}/welcome/{link.token}", link.expires_at)
    else:
        warning = no_usable_trustee(svc.views.staff(), base)
        if warning:
            say(warning)
    chat_bot = start_beside_the_web(svc.settings)  # with a token, its outbox sends on every channel
    outbox = start_outbox_beside_the_web(svc.settings)  # else SMS and WhatsApp get their own
    scheduler = None if without_scheduler else start_scheduler_beside_the_web()
    say(f"Serving the trust at {base}/ with {workers} worker(s). Stop with Ctrl-C.")
    svc.views.engine.dispose()  # each worker opens its own connections after the fork
    try:
        TrustServer(host, port, workers).run()
    finally:
        stop_beside_the_web(chat_bot)
        stop_beside_the_web(outbox)
        stop_beside_the_web(scheduler)


COMMANDS = [serve]
