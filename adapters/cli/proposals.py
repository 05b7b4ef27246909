"""`datatrust close-proposal ID`: count the votes once voting is over."""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say


@click.command("close-proposal")
@click.argument("proposal")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def close_proposal(ctx: click.Context, proposal: str, as_json: bool) -> None:
    """Close PROPOSAL (its id, or the first 6+ characters of it) after its closing time:
    count the latest vote of each member, record the result, apply a rule change that
    passed and tell the members who could vote. Closing again prints the same result."""
    svc = services(ctx)
    proposal_id = svc.views.find_proposal(proposal)
    result = svc.trust.close_proposal(proposal_id, actor(ctx))
    row = svc.views.proposal(proposal_id)
    counts = dict(zip(row["options"], result.tally, strict=True))
    if as_json:
        emit_json(
            dict(
                proposal_id=proposal_id,
                title=row["title"],
                tally=counts,
                turnout=result.turnout,
                electorate=result.electorate,
                quorum_met=result.quorum_met,
                passed=result.passed,
                closed_at=result.closed_at,
            )
        )
        return
    say(f"Closed: {row['title']}")
    say(f"Votes counted: {result.turnout} of {result.electorate}")
    for option, count in counts.items():
        say(f"  {option}: {count}")
    say(f"Quorum ({row['quorum_percent']}%): {'met' if result.quorum_met else 'not met'}")
    if result.passed is not None:
        say("Passed." if result.passed else "Did not pass.")


COMMANDS = [close_proposal]
