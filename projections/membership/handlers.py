"""The membership register, kept from member events. Personal data is unsealed
here from the event and sealed again, under the same member's key, for the row
(personal.py); the name's words go to the search digests (name_search.py). Both
are scrubbed on erasure.

The member's row is read and changed through the step (core/working.py), so a
rebuild runs no statement for most member events."""

from typing import Any

from sqlalchemy import delete, insert

from domain.membership.model import Member
from projections.core.handlers import Step, handles
from projections.core.personal import profile_of, sealed
from projections.membership.area_counts import counted, joined
from projections.membership.name_search import forget_name, name_rows
from projections.membership.tables import member_name_digests, members
from projections.membership.tables import messages_stopped as stopped


def _update(step: Step, event: Any, **values: Any) -> None:
    counted(step, event, lambda: step.set(members, event.originator_id, **values))


def _timeline(step: Step, event: Any, what: str, effective_at: Any = None, **details: Any) -> None:
    step.add_fact(event.originator_id, event, what, effective_at, **details)


def _personal(step: Step, event: Any, key: bytes | None) -> dict:
    """What the member's row holds of them now, opened."""
    row = step.row(members, event.originator_id)
    return (step.vault.open(key, event.originator_id, row["personal"]) if row and row["personal"] else None) or {}


@handles(Member.Registered, working=True)
def registered(step: Step, event: Any) -> None:
    key = step.key_for(event.originator_id)
    opened = step.vault.open(key, event.originator_id, event.personal) or {}
    personal = {k: opened[k] for k in ("name", "profile") if k in opened}
    confirmed = event.confirmed
    row = dict(
        member_id=event.originator_id,
        reference_code=event.reference_code,
        kind=event.kind,
        channel=event.channel,
        status="active" if confirmed else "unconfirmed",
        personal=sealed(step.vault, key, event.originator_id, personal),
        contact_channels=[event.channel] if event.has_contact else [],
        registered_by=event.actor,
        evidence_ref=event.evidence_ref,
        registered_eff=event.effective_at,
        registered_rec=event.timestamp,
        confirmed_eff=event.effective_at if confirmed else None,
        confirmed_rec=event.timestamp if confirmed else None,
    )
    step.add(members, row)
    joined(step, profile_of(personal), "active" if confirmed else "unconfirmed")
    for digest in name_rows(step.working.search_key(), event.originator_id, personal.get("name")):
        step.append(member_name_digests, digest)
    _timeline(
        step,
        event,
        "registered",
        event.effective_at,
        channel=event.channel,
        kind=event.kind,
        confirmed=confirmed,
        evidence_ref=event.evidence_ref,
    )


@handles(Member.Confirmed, working=True)
def confirmed(step: Step, event: Any) -> None:
    _update(step, event, status="active", confirmed_eff=event.effective_at, confirmed_rec=event.timestamp)
    step.mark_member(event.originator_id)
    _timeline(step, event, "confirmed", event.effective_at, how=event.how)


@handles(Member.ProfileUpdated, working=True)
def profile_updated(step: Step, event: Any) -> None:
    key = step.key_for(event.originator_id)
    current = _personal(step, event, key)
    changes = (step.vault.open(key, event.originator_id, event.personal) or {}).get("profile", {})
    current["profile"] = {**current.get("profile", {}), **changes}
    _update(step, event, personal=sealed(step.vault, key, event.originator_id, current))
    _timeline(
        step,
        event,
        "profile updated",
        event.effective_at,
        questions=list(event.questions),
        evidence_ref=getattr(event, "evidence_ref", None),
        channel=getattr(event, "channel", None),
    )


@handles(Member.HouseholdRecorded, working=True)
def household_recorded(step: Step, event: Any) -> None:
    key = step.key_for(event.originator_id)
    current = _personal(step, event, key)
    current.update(step.vault.open(key, event.originator_id, event.personal) or {})
    _update(step, event, personal=sealed(step.vault, key, event.originator_id, current))
    _timeline(step, event, "household recorded")  # who with is personal: the timeline only says it was


@handles(Member.ContactLinked, working=True)
def contact_linked(step: Step, event: Any) -> None:
    row = step.row(members, event.originator_id)
    current = row["contact_channels"] if row else None
    _update(step, event, contact_channels=sorted({*(current or []), event.channel}))
    _timeline(step, event, "contact linked", channel=event.channel)


@handles(Member.TermsAccepted, working=True)
def terms_accepted(step: Step, event: Any) -> None:
    sent = getattr(event, "sent", "full text")  # (agreements recorded before SMS: always the whole text)
    details = dict(version=event.version, terms_hash=event.terms_hash, sent=sent)
    if getattr(event, "evidence_ref", None):  # on a signed paper form
        details["evidence_ref"] = event.evidence_ref
    _timeline(step, event, "terms accepted", getattr(event, "effective_at", None), **details)


@handles(Member.Left, working=True)
def left(step: Step, event: Any) -> None:
    _update(step, event, status="left", ended_eff=event.effective_at, ended_rec=event.timestamp, ended_reason="left")
    step.mark_member(event.originator_id)
    _timeline(step, event, "left", event.effective_at, evidence_ref=event.evidence_ref)


@handles(Member.Erased, working=True)
def erased(step: Step, event: Any) -> None:
    row = step.row(members, event.originator_id)
    ended = (
        {}
        if row["ended_eff"]
        else {"ended_eff": event.effective_at, "ended_rec": event.timestamp, "ended_reason": "erased"}
    )
    _update(step, event, status="erased", personal=None, erased_rec=event.timestamp, **ended)
    step.settle()  # the name's digests may be among the batch's rows still to write
    forget_name(step.session, event.originator_id)
    step.mark_member(event.originator_id)
    _timeline(step, event, "erased", event.effective_at)


@handles(Member.MessagesStopped, working=True)
def messages_stopped(step: Step, event: Any) -> None:
    row = dict(member_id=event.originator_id, network=event.network, how=event.how, since=event.timestamp)
    step.session.execute(insert(stopped).values(**row))
    _timeline(step, event, "messages stopped", network=event.network, how=event.how)


@handles(Member.ChannelPreferred, working=True)
def channel_preferred(step: Step, event: Any) -> None:
    _timeline(step, event, "channel preferred", network=event.network)


@handles(Member.MessagesStarted, working=True)
def messages_started(step: Step, event: Any) -> None:
    mine = (stopped.c.member_id == event.originator_id) & (stopped.c.network == event.network)
    step.session.execute(delete(stopped).where(mine))
    _timeline(step, event, "messages started", network=event.network)
