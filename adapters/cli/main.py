"""`datatrust`: the trustees' and operators' command line."""

import getpass
import os
import sys

import click

from adapters.bootstrap import Services, bootstrap
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError


class TrustGroup(click.Group):
    """Turns a refusal from the trust into one clear line and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TrustError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)


def default_actor() -> str:
    return os.environ.get("DATATRUST_ACTOR") or f"operator:{getpass.getuser()}"


@click.group(cls=TrustGroup)
@click.option(
    "--actor",
    default=default_actor,
    show_default="operator:<your login>",
    help="Who is acting, as role:name (e.g. caseworker:alice, trustee:tess).",
)
@click.pass_context
def cli(ctx: click.Context, actor: str) -> None:
    """Member-governed data trust: membership, consent and audit."""
    ctx.obj = {"actor": str(Actor.parse(actor))}


def services(ctx: click.Context) -> Services:
    obj = ctx.find_root().obj
    if "services" not in obj:
        obj["services"] = bootstrap()
        ctx.call_on_close(obj["services"].close)
    return obj["services"]


def actor(ctx: click.Context) -> Actor:
    return Actor.parse(ctx.find_root().obj["actor"])


def _register_commands() -> None:
    from adapters.cli import (
        announcing,
        audit,
        bot,
        consents,
        data,
        insight,
        keys,
        members,
        operations,
        organisations,
        outbox,
        proposals,
        scheduling,
        serve,
        staff,
    )

    for module in (
        members,
        organisations,
        consents,
        audit,
        operations,
        outbox,
        serve,
        outbox,
        announcing,
        bot,
        insight,
        proposals,
        scheduling,
        keys,
        staff,
        data,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register_commands()
