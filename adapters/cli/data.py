"""`datatrust data ...`: the data members share, brought in from files."""

import sys
from pathlib import Path

import click

from adapters.cli.main import actor, services
from adapters.cli.output import say
from domain.kernel.errors import InvalidData


@click.group("data")
def data() -> None:
    """Import the data organisation-members share (their funding history from 360Giving files)."""


@data.command("import-360giving")
@click.argument("member_ref")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_360giving(ctx: click.Context, member_ref: str, file: Path) -> None:
    """Merge a 360Giving file (CSV or JSON) into an organisation-member's funding history, by grant id:
    only the grants for the identifier in their organisation profile. A bad row refuses the whole file."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    try:
        result = svc.trust.import_funding_history(member_id, file.read_bytes(), file.name, actor(ctx), "import")
    except InvalidData as refused:  # one line per row and column, as a spreadsheet's owner fixes them
        click.echo(f"error: {file.name} was not imported (nothing was recorded):", err=True)
        for _field, sentence in refused.problems:
            click.echo(f"  {sentence}", err=True)
        sys.exit(1)
    say(result.summary())
    for label, grant_ids in (("added", result.added), ("updated", result.updated)):
        for grant_id in grant_ids:
            say(f"  {label}: {grant_id}")


COMMANDS = [data]
