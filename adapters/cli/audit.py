"""`datatrust audit ...`: the trustees' questions, on either time axis."""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.cli.timeparse import TIME
from projections.audit import words
from projections.core.wording import short, when

AXIS = click.option(
    "--axis",
    type=click.Choice(["recorded", "effective"]),
    default="recorded",
    show_default=True,
    help="recorded: what the system enforced then; effective: what was true then, as known now.",
)
JSON = click.option("--json", "as_json", is_flag=True, help="Answer as JSON.")


@click.group("audit")
def audit() -> None:
    """Who could see what, when and why."""


@audit.command("who-could-see")
@click.argument("member_ref")
@click.option("--at", type=TIME, help="Default: now.")
@AXIS
@JSON
@click.pass_context
def who_could_see(ctx: click.Context, member_ref: str, at, axis: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    at = at or svc.clock()
    member_id = svc.views.find_member(member_ref)
    rows = svc.views.who_could_see(member_id, at, axis)
    if as_json:
        return emit_json({"at": at, "axis": axis, "organisations": rows})
    svc.trust.record_staff_read(member_id, "audit-who-could-see", actor(ctx))  # the answer names them
    member = svc.views.member_named(member_id)
    said = words.who_could_see_in_words(svc.catalogue, member, rows, at)  # the same words as the web page
    say(said["sentence"])
    say(f"  {member['name']} ({member['reference_code'] or member_id}), at {when(at)}. {words.AXIS_WORDS[axis]}")
    for line in said["lines"]:
        say(f"  - {line['text']} (consent {line['consent_id']})")


@audit.command("what-could-see")
@click.argument("org_ref")
@click.option("--at", type=TIME)
@click.option("--from", "start", type=TIME)
@click.option("--to", "end", type=TIME)
@AXIS
@JSON
@click.pass_context
def what_could_see(ctx: click.Context, org_ref: str, at, start, end, axis: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if at is not None and (start or end):
        raise click.UsageError("Give either --at, or --from and --to.")
    if (start is None) != (end is None):
        raise click.UsageError("--from and --to go together.")
    svc = services(ctx)
    start = start or at or svc.clock()
    organisation_id = svc.views.find_organisation(org_ref)
    rows = svc.views.what_could_see(organisation_id, start, end, axis)
    svc.trust.record_staff_reads([r["member_id"] for r in rows], "audit-what-could-see", actor(ctx))  # it names them
    if as_json:
        return emit_json({"from": start, "to": end, "axis": axis, "grants": rows})
    name = next(o["name"] for o in svc.views.organisations() if o["organisation_id"] == organisation_id)
    said = words.what_could_see_in_words(svc.catalogue, name, rows, start, end)  # the same words as the web page
    say(said["sentence"])
    say(f"  {words.AXIS_WORDS[axis]}")
    for line in said["lines"]:
        say(f"  - {line['text']} (member {short(line['member_id'])}, consent {line['consent_id']})")


@audit.command("history")
@click.argument("member_ref")
@JSON
@click.pass_context
def history(ctx: click.Context, member_ref: str, as_json: bool) -> None:
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    if as_json:
        return emit_json(svc.views.history(member_id))  # codes, machine-readable
    svc.trust.record_staff_read(member_id, "audit-history", actor(ctx))  # the answer names them
    member = svc.views.member_named(member_id)
    facts = svc.views.history_in_words(member_id, svc.catalogue)  # the same words as the web page
    say(f"{member['name']} ({member['reference_code'] or member_id}): {len(facts)} facts recorded, oldest first.")
    for row in facts:
        late = "" if row["effective_at"] >= row["recorded_at"] else f" [took effect {when(row['effective_at'])}]"
        say(f"{when(row['recorded_at'])}  {row['text']}{late}  (by {row['by']}; {row['actor']})")


@audit.command("who-read")
@click.argument("member_ref")
@JSON
@click.pass_context
def who_read(ctx: click.Context, member_ref: str, as_json: bool) -> None:
    """Every read of the member's data: by organisations, and by the trust's own staff."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    if as_json:
        return emit_json(svc.views.who_read(member_id))  # codes, machine-readable
    rows = svc.views.who_read(member_id, svc.catalogue)  # in the catalogue's titles
    if not rows:
        say("Nobody has read this member's data.")
    who = svc.views.actor_words()
    for row in rows:  # an organisation's read names it; a staff read says who, with the account as detail
        reader = f"{who(row['actor'])} ({row['actor']}): " if row["staff"] else ""
        say(f"{when(row['recorded_at'])}  {reader}{row['text']}")


@audit.command("explain")
@click.argument("org_ref")
@click.argument("member_ref")
@click.argument("category")
@click.option("--at", type=TIME)
@AXIS
@JSON
@click.pass_context
def explain(ctx: click.Context, org_ref: str, member_ref: str, category: str, at, axis: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    svc.catalogue.check_categories([category])
    at = at or svc.clock()
    answer = svc.views.explain(
        svc.views.find_organisation(org_ref), svc.views.find_member(member_ref), category, at, axis
    )
    svc.trust.record_staff_read(answer["member_id"], "audit-explain", actor(ctx))
    if as_json:
        return emit_json(answer)
    said = svc.views.explain_in_words(answer, svc.catalogue)  # the same sentence as the web page
    say(said["sentence"])
    say(f"  {said['axis']} At {when(at)}.")
    for reason in said["reasons"]:
        say(f"  - {reason}")


@audit.command("late-facts")
@JSON
@click.pass_context
def late_facts(ctx: click.Context, as_json: bool) -> None:
    """Facts recorded after they took effect, newest first, and what the system allowed meanwhile."""
    svc = services(ctx)
    if as_json:
        rows = svc.views.late_facts()
        svc.trust.record_staff_reads([r["member_id"] for r in rows if r["member"]], "audit-late-facts", actor(ctx))
        return emit_json(rows)
    report = svc.views.late_facts_in_words(svc.catalogue)  # the same words as the web page
    named = {m for row in report for m in row["member_ids"] if m is not None}
    svc.trust.record_staff_reads(sorted(named, key=str), "audit-late-facts", actor(ctx))
    if not report:
        say("Every fact was recorded when it took effect.")
    for row in report:
        subject = row["member"] or row["organisation"] or ""
        say(
            f"{row['fact']} ({subject}): took effect {when(row['effective_at'])}, recorded {when(row['recorded_at'])} "
            f"by {row['by']}" + (f", evidence {row['evidence_ref']}" if row["evidence_ref"] else "")
        )
        say(f"  {row['meaning']}")
        for seen in row["could_see"]:
            say(f"  - in that window {seen['text']}")
        for read in row["reads"]:
            say(f"  - {read['text']}")


COMMANDS = [audit]
