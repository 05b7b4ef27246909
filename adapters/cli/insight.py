"""`datatrust close-insight-request ID` and `datatrust rerun-panel-draw ID`."""

from uuid import UUID

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from domain.kernel.errors import TrustError


class DrawDiffers(TrustError):
    def __init__(self, why: str):
        super().__init__(f"the draw run again does not give the recorded panel: {why}")


@click.command("close-insight-request")
@click.argument("request_id", type=click.UUID)
@click.option("--json", "as_json", is_flag=True, help="Print the release as JSON.")
@click.pass_context
def close_insight_request(ctx: click.Context, request_id: UUID, as_json: bool) -> None:
    """Close an insight request after its closing time and record what the organisation gets.
    Closing again prints the recorded result and records nothing."""
    release = services(ctx).trust.close_insight_request(request_id, actor(ctx))
    if as_json:
        emit_json(release.as_dict())
        return
    if release.respondents is None and not release.tables:
        say(f"Closed. Fewer than {release.min_cell} members answered: nothing is released.")
    else:
        counted = "A withheld number of" if release.respondents is None else release.respondents
        say(f"Closed. {counted} members counted; groups under {release.min_cell} are withheld.")
    if release.free_text:
        say(f"Free-text answers to review before release: {', '.join(release.free_text)}.")


@click.command("rerun-panel-draw")
@click.argument("request_id", type=click.UUID)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def rerun_panel_draw(ctx: click.Context, request_id: UUID, as_json: bool) -> None:
    """Run a recorded panel draw again (same pool, quotas, size, seed) and say whether it gives the same panel."""
    check = services(ctx).trust.rerun_panel_draw(request_id)
    if as_json:
        emit_json(
            dict(
                matches=check.matches,
                recorded=list(check.recorded),
                rerun=list(check.rerun),
                unreadable=check.unreadable,
                reason=check.reason,
                solver_note=check.solver_note,
                reserves_match=check.reserves_match,
            )
        )
    elif check.matches:
        say(f"The draw gives the same panel of {len(check.recorded)} members.")
    if check.solver_note and not as_json:
        say(check.solver_note)
    if check.unreadable and not as_json:
        say(f"{check.unreadable} members of the recorded pool have since been erased.")
    if not check.matches:
        raise DrawDiffers(check.reason)


COMMANDS = [close_insight_request, rerun_panel_draw]
