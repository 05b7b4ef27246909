"""`datatrust org ...`"""

from datetime import date

import click

from adapters.cli import staff
from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.cli.timeparse import TIME
from projections.core.wording import when


@click.group("org")
def org() -> None:
    """Register, approve, suspend and reinstate organisations."""


@org.command("register")
@click.argument("name")
@click.option("--kind", required=True, help="e.g. social-lender, funder, council, investor, researcher")
@click.option("--org-id", help="Its identifier in an org-id.guide scheme, e.g. GB-CHC-1123456 (optional).")
@click.pass_context
def register(ctx: click.Context, name: str, kind: str, org_id: str | None) -> None:
    svc = services(ctx)
    organisation_id = svc.trust.register_organisation(name, kind, actor(ctx), org_id=org_id)
    held = svc.views.organisation(organisation_id)["org_id"]
    shown = f"{name}, {held}" if held else name
    say(f"Registered organisation {organisation_id} ({shown}); it sees nothing until trustees approve it.")


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
        org_id = f" {row['org_id']}" if row["org_id"] else ""
        say(f"{row['organisation_id']}  {row['name']}{org_id} ({row['kind']}): {row['status']}{agreement}")


COMMANDS = [org]


@org.group("token")
def token() -> None:
    """API tokens: issue one to an approved organisation, list them, revoke one (as the trustee pages do)."""


@token.command("issue")
@click.argument("org_ref")
@click.option("--label", required=True, help="Where the token will be used, e.g. 'Loan decision system'.")
@click.pass_context
def issue_token(ctx: click.Context, org_ref: str, label: str) -> None:
    """A new API token, shown once: on the terminal only; otherwise written to a 0600 file whose path is printed."""
    svc = services(ctx)
    organisation_id = svc.views.find_organisation(org_ref)
    token_id, secret = svc.trust.issue_api_token(organisation_id, label, actor(ctx))
    name = svc.views.organisation(organisation_id)["name"]
    lines = [
        f"A new API token for {name} ({label}), id {token_id}. It is shown only this once: give it to the",
        "organisation securely (anyone with it reads what the organisation may read):",
        f"  {secret}",
    ]
    if staff.stdout_is_terminal():
        for line in lines:
            say(line)
        return
    path = staff.private_file(svc.settings, f"api-token-{token_id}", [*lines, "", "Delete this file once handed over."])
    say(f"The new API token {token_id} for {name} is in {path}")
    say("(readable only by you; not printed here because this output is not a terminal and may be kept in a log).")


@token.command("revoke")
@click.argument("token_id", type=click.UUID)
@click.pass_context
def revoke_token(ctx: click.Context, token_id) -> None:  # type: ignore[no-untyped-def]
    """Revoke a token: the API refuses it from now on."""
    services(ctx).trust.revoke_api_token(token_id, actor(ctx))
    say(f"Token {token_id} revoked: it is refused from now on.")


@token.command("list")
@click.argument("org_ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_tokens(ctx: click.Context, org_ref: str, as_json: bool) -> None:
    """An organisation's tokens: id, label, who issued it and when, whether revoked (never the token itself)."""
    svc = services(ctx)
    tokens = svc.views.api_tokens(svc.views.find_organisation(org_ref))
    if as_json:
        return emit_json(tokens)
    if not tokens:
        say("No API tokens issued.")
    for t in tokens:
        state = f"revoked {when(t['revoked_rec'])} by {t['revoked_by']}" if t["revoked_rec"] else "in use"
        say(f"{t['token_id']}  {t['label']}: issued {when(t['issued_rec'])} by {t['issued_by']}, {state}")
