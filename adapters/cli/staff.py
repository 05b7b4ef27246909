"""`datatrust staff ...`: the operator's way back in at the server: who the staff accounts are,
a fresh one-time sign-in link for one of them when its link was missed or has expired, an account
enabled again when every trustee is disabled, and a new account."""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.settings import Settings
from domain.kernel.errors import NotAllowedNow, NotFound, TrustError
from projections.core.wording import when

DEFAULT_URL = "http://127.0.0.1:8000"


def stdout_is_terminal() -> bool:
    """Whether a person is reading: under a service manager stdout is the system log."""
    return sys.stdout.isatty()


def hand_over_link(settings: Settings, username: str, url: str, expires_at: datetime) -> None:
    """Print a one-time sign-in link to the terminal only. When stdout is not a terminal (a log
    stream), the link goes into a new file only this user can read, and only its path is printed."""
    lines = [
        f"The one-time sign-in link for {username}: open it to choose a password",
        f"(valid until {when(expires_at)}; anyone with the link can use it, so keep it private):",
        f"  {url}",
    ]
    if stdout_is_terminal():
        for line in lines:
            say(line)
        return
    path = private_file(settings, f"sign-in-link-{username}", lines + ["", "Delete this file once the link is used."])
    say(f"The one-time sign-in link for {username} is in {path}")
    say("(readable only by you; not printed here because this output is not a terminal and may be kept in a log).")


def private_file(settings: Settings, stem: str, lines: list[str]) -> Path:
    """A new file only this user can read (0600, beside the master key), holding a secret; its path."""
    folder = settings.master_key_file.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{stem}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.txt"
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(handle, 0o600)  # whatever the umask
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return Path(path).resolve()


def usable_trustees(accounts: list[dict]) -> list[dict]:
    """Trustee accounts that are enabled and have a password, so can sign in."""
    return [a for a in accounts if "trustee" in a["roles"] and a["status"] == "active" and a["has_password"]]


def no_usable_trustee(accounts: list[dict], url: str = DEFAULT_URL) -> str | None:
    """What to tell the operator when no trustee can sign in (None when one can)."""
    if not accounts or usable_trustees(accounts):
        return None
    option = "" if url == DEFAULT_URL else f" --url {url}"
    waiting = [a["username"] for a in accounts if "trustee" in a["roles"] and a["status"] == "active"]
    if waiting:
        return (
            f"No trustee can sign in: {', '.join(waiting)} {'has' if len(waiting) == 1 else 'have'} no password "
            f"yet. If the one-time link was missed or has expired, run "
            f"`datatrust staff link {waiting[0]}{option}` for a fresh one."
        )
    return (
        "No trustee can sign in: every trustee account is disabled. Run `datatrust staff list` to see the accounts, "
        f"`datatrust staff enable USERNAME` to enable one again, then `datatrust staff link USERNAME{option}` "
        "for its fresh one-time sign-in link."
    )


@click.group("staff")
def staff() -> None:
    """The trust's staff accounts: who they are, and a fresh sign-in link."""


@staff.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_staff(ctx: click.Context, as_json: bool) -> None:
    """Every staff account: username, roles, enabled or disabled, and whether it has ever signed in."""
    accounts = services(ctx).views.staff()
    rows = [
        {
            "username": a["username"],
            "roles": list(a["roles"]),
            "enabled": a["status"] == "active",
            "signed_in": a["password_set_rec"] is not None,
        }
        for a in accounts
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say("There are no staff accounts yet: `datatrust serve` makes the first trustee on a new store.")
        return
    for row in rows:
        state = "enabled" if row["enabled"] else "disabled"
        signed = "has signed in" if row["signed_in"] else "has never signed in"
        say(f"{row['username']}: {' and '.join(row['roles'])}, {state}, {signed}")
    warning = no_usable_trustee(accounts)
    if warning:
        say(warning)


@staff.command("link")
@click.argument("username")
@click.option(
    "--url",
    default=DEFAULT_URL,
    show_default=True,
    help="The address the web forms are served at (as given to `datatrust serve`).",
)
@click.pass_context
def link(ctx: click.Context, username: str, url: str) -> None:
    """A fresh one-time sign-in link for an existing, enabled staff account (its password, older
    links and sessions stop working). Printed to the terminal only; otherwise put in a 0600 file."""
    svc = services(ctx)
    try:
        issued = svc.trust.issue_sign_in_link_for(username, actor(ctx))
    except NotFound as error:
        raise TrustError(f"{error} `datatrust staff list` shows every account.") from None
    except NotAllowedNow as error:
        raise TrustError(
            f"{error} A trustee can enable it again on the Staff page, or run `datatrust staff enable {username}`; "
            "then ask for a link."
        ) from None
    hand_over_link(svc.settings, issued.username, f"{url.rstrip('/')}/welcome/{issued.token}", issued.expires_at)


@staff.command("enable")
@click.argument("username")
@click.pass_context
def enable(ctx: click.Context, username: str) -> None:
    """Enable a disabled staff account again (recorded with you as the actor): the way back in when
    every trustee is disabled. It then needs a sign-in link (`datatrust staff link USERNAME`)."""
    svc = services(ctx)
    try:
        svc.trust.enable_staff_account_called(username, actor(ctx))
    except NotFound as error:
        raise TrustError(f"{error} `datatrust staff list` shows every account.") from None
    say(f"The account {username} is enabled again. `datatrust staff link {username}` gives it a sign-in link.")


@staff.command("open")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(["trustee", "caseworker"]))
@click.option("--url", default=DEFAULT_URL, show_default=True, help="The address the web forms are served at.")
@click.pass_context
def open_account(ctx: click.Context, username: str, roles: tuple[str, ...], url: str) -> None:
    """A new staff account (recorded with you as the actor) and its one-time link to choose a password."""
    svc = services(ctx)
    opened = svc.trust.open_staff_account(username, list(roles), actor(ctx))
    hand_over_link(svc.settings, opened.username, f"{url.rstrip('/')}/welcome/{opened.token}", opened.expires_at)


COMMANDS = [staff]
