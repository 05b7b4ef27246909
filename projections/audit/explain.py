"""Why could (or couldn't) an organisation see one category of a member's data at T?"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from domain.sealing.vault import Vault
from projections.audit.could_see import check_axis
from projections.consent.access import consent_intervals, member_intervals, organisation_intervals
from projections.consent.reach import CP, OP, STARTS, covering, reach
from projections.consent.tables import consents
from projections.core.intervals import covers, fact
from projections.core.wording import short, when
from projections.membership.registers import display_name, member_row
from projections.organisations.registers import organisation_row
from projections.organisations.tables import organisation_changes


def explain(
    conn: Connection,
    vault: Vault,
    organisation_id: UUID,
    member_id: UUID,
    category: str,
    at: datetime,
    axis: str = "recorded",
) -> dict:
    check_axis(axis)
    member = member_row(conn, member_id)
    organisation = organisation_row(conn, organisation_id)
    answer = {
        "organisation": organisation.name,
        "member": display_name(conn, vault, member_id),
        "member_id": member_id,
        "category": category,
        "at": at,
        "axis": axis,
        "allowed": False,
        "consent_ids": [],
        "reasons": [],
    }
    grants = conn.execute(
        reach(axis)
        .where(CP.member_id == member_id, OP.organisation_id == organisation_id, CP.category == category, covering(at))
        .order_by(STARTS)
    ).all()
    related = conn.execute(
        select(consents)
        .where(
            consents.c.member_id == member_id,
            (consents.c.audience_organisation_id == organisation_id) | (consents.c.audience_kind == organisation.kind),
        )
        .order_by(consents.c.granted_rec)
    ).all()
    related = [c for c in related if category in c.categories]
    if grants:
        by_id = {c.consent_id: c for c in related}
        answer["allowed"] = True
        for grant in grants:
            consent = by_id[grant.consent_id]
            answer["consent_ids"].append(grant.consent_id)
            answer["reasons"].append(
                f"Consent {short(consent.consent_id)} for {consent.purpose}, given {when(consent.granted_eff)} "
                f"via {consent.collected_via} (notice v{consent.notice_version}), "
                f"allows it from {when(grant.valid_from)}"
                + (f" until {when(grant.valid_to)}." if grant.valid_to else ".")
            )
        return answer
    answer["reasons"] = _member_reasons(member, at, axis) + _organisation_reasons(conn, organisation, at, axis)
    answer["reasons"] += _consent_reasons(related, organisation, category, at, axis)
    return answer


def _member_reasons(member, at: datetime, axis: str) -> list[str]:  # type: ignore[no-untyped-def]
    if any(covers(i, at) for i in member_intervals(member, axis)):
        return []
    registered = fact(member.registered_eff, member.registered_rec)
    confirmed = fact(member.confirmed_eff, member.confirmed_rec)
    ended = fact(member.ended_eff, member.ended_rec)
    if registered.on(axis) > at:
        return [f"The member had not joined yet (registered {when(registered.on(axis))})."]
    if ended is not None and ended.on(axis) <= at:
        how = "left the trust" if member.ended_reason == "left" else "had their personal data erased"
        return [f"The member {how} at {when(ended.on(axis))}."]
    later = f"; they confirmed at {when(confirmed.on(axis))}" if confirmed else "; they have not confirmed yet"
    how = "on paper" if member.channel == "paper" else f"via {member.channel}"
    return [f"The member was unconfirmed (registered {how} by {member.registered_by}){later}."]


def _organisation_reasons(conn: Connection, organisation, at: datetime, axis: str) -> list[str]:  # type: ignore[no-untyped-def]
    changes = conn.execute(
        select(organisation_changes)
        .where(organisation_changes.c.organisation_id == organisation.organisation_id)
        .order_by(organisation_changes.c.position)
    ).all()
    if any(covers(i, at) for i in organisation_intervals(changes, axis)):
        return []
    past = sorted((c for c in changes if fact(c.eff, c.rec).on(axis) <= at), key=lambda c: fact(c.eff, c.rec).on(axis))
    if not past or past[-1].change != "suspended":
        return [f"{organisation.name} was not yet approved by the trustees."]
    last = past[-1]
    return [f"{organisation.name} was suspended at {when(fact(last.eff, last.rec).on(axis))}: {last.reason}"]


def _consent_reasons(related, organisation, category: str, at: datetime, axis: str) -> list[str]:  # type: ignore[no-untyped-def]
    if not related:
        return [f"The member never gave consent for {category} to {organisation.name} or to every {organisation.kind}."]
    reasons = []
    for consent in related:
        name = f"Consent {short(consent.consent_id)} for {consent.purpose}"
        granted = fact(consent.granted_eff, consent.granted_rec)
        ended = fact(consent.ended_eff, consent.ended_rec)
        if any(covers(i, at) for i in consent_intervals(consent, axis)):
            reasons.append(f"{name} was in force, but did not give access on its own (see above).")
        elif granted.on(axis) > at:
            reasons.append(f"{name} was given only later, {when(granted.on(axis))}.")
        elif (
            consent.expires_at is not None
            and consent.expires_at <= at
            and (ended is None or consent.expires_at <= ended.on(axis))
        ):
            reasons.append(f"{name} expired at {when(consent.expires_at)}.")
        else:
            reasons.append(f"{name} was withdrawn at {when(ended.on(axis))} by {consent.ended_by}.")
    return reasons
