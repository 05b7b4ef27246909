"""`datatrust org ...`"""

from datetime import date

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.cli.timeparse import TIME


@click.group("org")
def org() -> None:
    """Register, approve, suspend and reinstate organisations."""


@org.command("register")
@click.argument("name")
@click.option("--kind", required=True, help="e.g. social-lender, funder, council, investor, researcher")
@click.pass_context
def register(ctx: click.Context, name: str, kind: str) -> None:
    organisation_id = services(ctx).trust.register_organisation(name, kind, actor(ctx))
    say(f"Registered organisation {organisation_id} ({name}); it sees nothing until trustees approve it.")


@org.command("approve")
@click.argument("org_ref")
@click.option("--agreement", required=True, help="Data-sharing agreement reference.")
@click.option("--agreement-date", type=click.DateTime(["%Y-%m-%d"]), required=True, help="YYYY-MM-DD")
@click.option("--effective-at", type=TIME)
@click.pass_context
def approve(ctx: click.Context, org_ref: str, agreement: str, agreement_date, effective_at) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    organisation_id = svc.views.find_organisation(org_ref)
    signed: date = agreement_date.date()
    svc.trust.approve_organisation(organisation_id, agreement, signed, actor(ctx), effective_at=effective_at)
    say(f"Approved {org_ref} under agreement {agreement}.")


@org.command("suspend")
@click.argument("org_ref")
@click.option("--reason", required=True)
@click.option("--effective-at", type=TIME)
@click.pass_context
def suspend(ctx: click.Context, org_ref: str, reason: str, effective_at) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    organisation_id = svc.views.find_organisation(org_ref)
    svc.trust.suspend_organisation(organisation_id, reason, actor(ctx), effective_at=effective_at)
    say(f"Suspended {org_ref}: it sees nothing until reinstated.")


@org.command("reinstate")
@click.argument("org_ref")
@click.option("--reason", required=True)
@click.option("--effective-at", type=TIME)
@click.pass_context
def reinstate(ctx: click.Context, org_ref: str, reason: str, effective_at) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    organisation_id = svc.views.find_organisation(org_ref)
    svc.trust.reinstate_organisation(organisation_id, reason, actor(ctx), effective_at=effective_at)
    say(f"Reinstated {org_ref}.")


@org.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_organisations(ctx: click.Context, as_json: bool) -> None:
    rows = services(ctx).views.organisations()
    if as_json:
        return emit_json(rows)
    for row in rows:
        agreement = f", agreement {row['agreement_ref']}" if row["agreement_ref"] else ""
        say(f"{row['organisation_id']}  {row['name']} ({row['kind']}): {row['status']}{agreement}")


COMMANDS = [org]
