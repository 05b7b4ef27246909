"""`datatrust member ...`"""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.cli.timeparse import TIME
from domain.trust import CONFIRMATION_WAYS, registers_themself
from projections.core.wording import when


def _answers(pairs: tuple[str, ...]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        question, sep, answer = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"write each answer as question=answer (got {pair!r})", param_hint="--answer")
        answers[question.strip()] = answer.strip()
    return answers


@click.group("member")
def member() -> None:
    """Register, confirm, list and remove members."""


@member.command("register")
@click.argument("name")
@click.option("--channel", type=click.Choice(["bot", "web", "paper"]), default="web", show_default=True)
@click.option(
    "--kind", type=click.Choice(["individual", "organisation-member"]), default="individual", show_default=True
)
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="QUESTION=ANSWER",
    help="A panel profile answer, e.g. area=CA1 (repeatable).",
)
@click.option("--contact", help="How to reach them (sealed).")
@click.option("--evidence", help="Reference of the paper form (needed for --channel paper).")
@click.option("--effective-at", type=TIME, help="When the form was signed, if earlier than now.")
@click.pass_context
def register(
    ctx: click.Context,
    name: str,
    channel: str,
    kind: str,
    answers: tuple[str, ...],
    contact: str | None,
    evidence: str | None,
    effective_at,
) -> None:  # type: ignore[no-untyped-def]
    """Register a member. Unless the member registers themself (actor member:...), the
    registration stays unconfirmed until the member confirms."""
    who = actor(ctx)
    member_id = services(ctx).trust.register_member(
        name,
        who,
        channel=channel,
        kind=kind,
        profile=_answers(answers),
        contact=contact,
        effective_at=effective_at,
        evidence_ref=evidence,
    )
    unconfirmed = not registers_themself(who, channel)
    say(f"Registered member {member_id}" + (" (unconfirmed until they confirm)" if unconfirmed else ""))


@member.command("confirm")
@click.argument("member_ref")
@click.option("--how", type=click.Choice(CONFIRMATION_WAYS), default=CONFIRMATION_WAYS[1], show_default=True)
@click.option("--effective-at", type=TIME)
@click.pass_context
def confirm(ctx: click.Context, member_ref: str, how: str, effective_at) -> None:  # type: ignore[no-untyped-def]
    """Record that a member registered on paper confirmed their membership."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    svc.trust.confirm_member(member_id, actor(ctx), how=how, effective_at=effective_at)
    say(f"Member {member_id} is confirmed.")


@member.command("prefer-channel")
@click.argument("member_ref")
@click.argument("network", type=click.Choice(["telegram", "sms", "whatsapp"]))
@click.pass_context
def prefer_channel(ctx: click.Context, member_ref: str, network: str) -> None:
    """Record the channel a member wants the trust's announcements on (they must have an address there);
    when it is stopped or no longer theirs, announcements go by another channel they use."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    if svc.trust.prefer_channel(member_id, network, actor(ctx)):
        say(f"Member {member_id} now hears from the trust first on {network}.")
    else:
        say(f"Member {member_id} already hears from the trust first on {network}; nothing changed.")


@member.command("leave")
@click.argument("member_ref")
@click.option("--evidence", help="Reference of the signed request, if on paper.")
@click.option("--effective-at", type=TIME)
@click.pass_context
def leave(ctx: click.Context, member_ref: str, evidence: str | None, effective_at) -> None:  # type: ignore[no-untyped-def]
    """Record that a member left the trust: from then on nobody sees their data."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    svc.trust.member_leaves(member_id, actor(ctx), effective_at=effective_at, evidence_ref=evidence)
    say(f"Member {member_id} has left; no organisation can see their data any more.")


@member.command("erase")
@click.argument("member_ref")
@click.option("--yes", is_flag=True, help="Confirm without asking.")
@click.pass_context
def erase(ctx: click.Context, member_ref: str, yes: bool) -> None:
    """Erase a member's personal data for good (the audit facts remain)."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    if not yes:
        click.confirm(f"Destroy member {member_id}'s personal data for good?", abort=True)
    svc.trust.erase_member(member_id, actor(ctx))
    say(f"Member {member_id}'s personal data is erased; the non-personal audit trail remains.")


@member.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_members(ctx: click.Context, as_json: bool) -> None:
    """Every member with status."""
    svc = services(ctx)
    rows = svc.views.members()
    svc.trust.record_staff_reads([row["member_id"] for row in rows], "cli-member-list", actor(ctx))  # before printing
    if as_json:
        return emit_json(rows)
    for row in rows:
        say(f"{row['member_id']}  {row['status']:<11}  {row['name']}  (joined {when(row['registered_at'])})")


@member.command("show")
@click.argument("member_ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, member_ref: str, as_json: bool) -> None:
    """One member's record: name, contact, panel answers and status (the read is recorded)."""
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    svc.trust.record_staff_read(member_id, "cli-member-show", actor(ctx))  # before printing
    card = svc.views.member_card(member_id)
    personal, shared = svc.trust.held_data(member_id)
    personal = personal or {}
    shown = {
        "member_id": member_id,
        "reference_code": card["reference_code"],
        "name": card["name"],
        "contact": personal.get("contact"),
        "status": card["status"],
        "profile": card["profile"],
        "registered_at": card["registered_at"],
        "shared": {category: submission.as_json() for category, submission in shared.items()},
    }
    if as_json:
        return emit_json(shown)
    say(f"{card['name']}  [{card['reference_code']}]  {card['status']}, joined {when(card['registered_at'])}")
    if shown["contact"]:
        say(f"  contact: {shown['contact']}")
    for question, answer in sorted(card["profile"].items()):
        say(f"  {question}: {answer}")
    for category, submission in shared.items():
        schema = svc.catalogue.standard.schema(category, submission.version)
        title = svc.catalogue.categories.get(category, category)
        say(f"  shared {category} ({title}), version {submission.version}, {when(submission.shared_at)}:")
        records = submission.values if isinstance(submission.values, list) else [submission.values]
        for record in records:
            say("    " + "; ".join(f"{label}: {words}" for label, words in schema.in_words(record)))


COMMANDS = [member]
