"""`datatrust consent ...`"""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from adapters.cli.timeparse import TIME
from domain.trust import Audience
from projections.core.wording import when


@click.group("consent")
def consent() -> None:
    """Give, withdraw and list consents."""


@consent.command("grant")
@click.argument("member_ref")
@click.option("--purpose", required=True)
@click.option("--category", "categories", multiple=True, required=True, help="Repeatable.")
@click.option("--org", "org_ref", help="One named organisation.")
@click.option("--kind", help="Or: every approved organisation of this kind.")
@click.option("--until", "expires_at", type=TIME, help="When the consent expires.")
@click.option("--via", type=click.Choice(["bot", "web", "paper"]), default="web", show_default=True)
@click.option("--evidence", help="Paper form reference (needed for --via paper).")
@click.option("--notice-version", help="Version of the notice the member saw (default: the latest).")
@click.option("--effective-at", type=TIME)
@click.pass_context
def grant(
    ctx: click.Context,
    member_ref: str,
    purpose: str,
    categories: tuple[str, ...],
    org_ref: str | None,
    kind: str | None,
    expires_at,
    via: str,
    evidence: str | None,
    notice_version: str | None,
    effective_at,
) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    member_id = svc.views.find_member(member_ref)
    organisation_id = svc.views.find_organisation(org_ref) if org_ref else None
    consent_id = svc.trust.grant_consent(
        member_id,
        purpose,
        categories,
        Audience(organisation_id, kind),
        actor(ctx),
        collected_via=via,
        evidence_ref=evidence,
        notice_version=notice_version,
        expires_at=expires_at,
        effective_at=effective_at,
    )
    say(f"Recorded consent {consent_id}.")


@consent.command("revoke")
@click.argument("consent_ref")
@click.option("--evidence", help="Reference of the signed request, if on paper.")
@click.option("--effective-at", type=TIME, help="When the member withdrew, if earlier than now.")
@click.pass_context
def revoke(ctx: click.Context, consent_ref: str, evidence: str | None, effective_at) -> None:  # type: ignore[no-untyped-def]
    svc = services(ctx)
    consent_id = svc.views.find_consent(consent_ref)
    svc.trust.revoke_consent(consent_id, actor(ctx), effective_at=effective_at, evidence_ref=evidence)
    say(f"Consent {consent_id} is withdrawn; no organisation can rely on it from now on.")


@consent.command("list")
@click.argument("member_ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_consents(ctx: click.Context, member_ref: str, as_json: bool) -> None:
    svc = services(ctx)
    rows = svc.views.consents(svc.views.find_member(member_ref), svc.clock())
    if as_json:
        return emit_json(rows)
    if not rows:
        say("No consents recorded.")
    for row in rows:
        say(
            f"{row['consent_id']}  {row['status']:<8} {row['purpose']} -> {row['audience']}: "
            f"{', '.join(row['categories'])} (given {when(row['given_at'])} via {row['via']})"
        )


@consent.command("catalogue")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def catalogue(ctx: click.Context, as_json: bool) -> None:
    """The purposes members can consent to, their notices, and consents in force."""
    svc = services(ctx)
    rows = svc.views.consent_catalogue(svc.catalogue, svc.clock())
    if as_json:
        return emit_json(rows)
    for row in rows:
        say(f"{row['purpose']}: {row['title']} (notice v{row['notice_version']}, {row['consents_in_force']} in force)")
        say(f"  {row['summary']}")
    say("Categories: " + ", ".join(svc.catalogue.categories))


@consent.command("outside-notice")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def outside_notice(ctx: click.Context, as_json: bool) -> None:
    """Consents whose audience lies outside the notice the member was shown (no names)."""
    svc = services(ctx)
    rows = svc.views.consents_outside_notice(svc.catalogue, svc.clock())
    if as_json:
        return emit_json(rows)
    if not rows:
        return say("Every consent stays within the notice its member was shown.")
    reach = "consent reaches" if len(rows) == 1 else "consents reach"
    say(f"{len(rows)} {reach} further than the notice the member was shown:")
    for row in rows:
        covers = " or ".join(row["notice_covers"]) or "nobody"
        say(
            f"  {row['consent_id']} member {row['reference_code']}: {row['purpose']} notice v{row['notice_version']} "
            f"covers {covers}, but the consent is for {row['audience']} ({row['status']})"
        )


COMMANDS = [consent]
