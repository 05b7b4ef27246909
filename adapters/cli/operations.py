"""`datatrust init`, `datatrust demo`, `datatrust projections ...`"""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import say
from adapters.demo import load_demo
from projections.core.rebuild import catch_up, rebuild
from projections.core.wording import when


@click.command("init")
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the event store and read models (safe to run again)."""
    svc = services(ctx)
    say(f"The trust's store is ready ({svc.trust.engine.url.render_as_string(hide_password=True)}).")


@click.command("demo")
@click.option("--report/--no-report", default=True, help="Print a short trustee report afterwards.")
@click.option("--if-empty", is_flag=True, help="On a store that already has a history, only print the report.")
@click.pass_context
def demo(ctx: click.Context, report: bool, if_empty: bool) -> None:
    """Load a realistic small history into an empty store."""
    svc = services(ctx)
    if if_empty and svc.trust.last_position():
        say(f"The store already holds {svc.trust.last_position()} events; not loading the demo.")
    else:
        loaded = load_demo(svc)
        events = svc.trust.last_position()
        people, businesses = len(loaded["members"]), len(loaded["social_businesses"])
        organisations = len(loaded["organisations"])
        say(
            f"Loaded a demo history: {people} members and {businesses} social businesses, "
            f"{organisations} organisations, {events} events."
        )
    if report:
        trustee_report(svc, actor(ctx))


def trustee_report(svc, actor) -> None:  # type: ignore[no-untyped-def]
    members = svc.views.members()
    by_status: dict[str, int] = {}
    for row in members:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    say("\nMembers: " + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items())))
    for row in svc.views.organisations():
        say(f"Organisation: {row['name']} ({row['kind']}): {row['status']}")
    now = svc.clock()
    if members:
        first = members[0]
        svc.trust.record_staff_read(first["member_id"], "cli-report", actor)
        say(f"\nWho could see {first['name']} [{first['member_id']}] now:")
        for row in svc.views.who_could_see(first["member_id"], now) or [{"organisation": "nobody", "categories": []}]:
            say(f"  {row['organisation']}: {', '.join(row['categories'])}")
    late = svc.views.late_facts()
    say(f"\nLate facts: {len(late)}")
    for row in late:
        if row["window"]:
            say(
                f"  {row['fact']} took effect {when(row['effective_at'])}, recorded {when(row['recorded_at'])}: "
                f"{len(row['reads'])} read(s) in the window"
            )
    say("\nAsk more with `datatrust audit --help`.")


@click.group("projections")
def projections() -> None:
    """Rebuild or catch up the read models."""


@projections.command("rebuild")
@click.pass_context
def rebuild_command(ctx: click.Context) -> None:
    """Drop every read model and rebuild it from the event log."""
    svc = services(ctx)
    count = rebuild(svc.trust, svc.views.projector)
    say(f"Rebuilt the read models from {count} events.")


@projections.command("catch-up")
@click.pass_context
def catch_up_command(ctx: click.Context) -> None:
    """Apply any events recorded after the read models' tracked position."""
    svc = services(ctx)
    say(f"Applied {catch_up(svc.trust, svc.views.projector)} events.")


COMMANDS = [init, demo, projections]
