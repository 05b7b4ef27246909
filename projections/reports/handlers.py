"""Keeping the benchmarked figures.

Each organisation profile or funding history a member shares replaces their figures of that kind
(opened with their key, the few figures kept, sealed again under it). Then, and whenever their
consents to benchmarking or their membership change, their figures are put in the peer groups they
belong to now, as far as their consents allow, and taken out of any other (``place``).

An individual's well-being answers are kept the same way (domain/reports/wellbeing.py): their latest
answers and the postcode area of their profile, sealed under their key in ``profile``; their one group
is their area's (``area_tag``, under a group name of its own), while they agree to the comparison."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, or_, select, update

from domain.consent.model import Consent
from domain.data.model import MemberData
from domain.membership.model import Member
from domain.reports import wellbeing
from domain.reports.figures import funding_figures, kept, profile_figures
from projections.consent.tables import consents
from projections.core.handlers import Step, handles
from projections.core.personal import profile_of
from projections.membership.tables import members
from projections.reports.tables import peer_figures, peer_groups
from projections.reports.tags import bucket_of, open_group, peer_tag, seal_group

BENCHMARKING = "benchmarking"
BENCHMARKED = ("organisation-profile", "funding-history")
GROUP_TAGS = ("sector_tag", "area_tag", "size_tag")
COMPARING = (BENCHMARKING, wellbeing.PURPOSE)  # the purposes that put a member's figures in peer groups


@handles(MemberData.Shared, working=True)
def shared(step: Step, event: Any) -> None:
    if event.category == wellbeing.CATEGORY:
        _answers_shared(step, event)
        return
    if event.category not in BENCHMARKED:
        return
    member_id: UUID = event.member_id
    key = step.key_for(member_id)
    values = (step.vault.open(key, member_id, event.sealed) or {}).get("values") if key else None
    if values is None:  # erased since (a rebuild): nothing to keep
        return
    if event.category == "organisation-profile":
        figures = profile_figures(values)
        row = {f"{group}_tag": peer_tag(step.vault, group, value) for group, value in figures["groups"].items()}
        row["profile"] = step.vault.seal(key, member_id, figures)
    else:
        row = {"funding": step.vault.seal(key, member_id, funding_figures(values))}
    _keep(step, member_id, row)
    place(step, member_id, event.timestamp)


def _keep(step: Step, member_id: UUID, values: dict) -> None:
    """The member's figures: a new row, or these values set on theirs."""
    if step.row(peer_figures, member_id) is None:
        step.add(peer_figures, dict(member_id=member_id, in_groups=[], **values))
    else:
        step.set(peer_figures, member_id, **values)


def _answers_shared(step: Step, event: Any) -> None:
    """An individual's latest well-being answers, kept with the area of their profile now."""
    member_id: UUID = event.member_id
    key = step.key_for(member_id)
    values = (step.vault.open(key, member_id, event.sealed) or {}).get("values") if key else None
    if values is None:
        return
    member = step.row(members, member_id)
    personal = member["personal"] if member else None
    area = wellbeing.area_of(profile_of(step.vault.open(key, member_id, personal) if personal else None))
    _keep_answers(step, member_id, key, wellbeing.kept(values), area)
    place(step, member_id, event.timestamp)


def _keep_answers(step: Step, member_id: UUID, key: bytes, answers: list, area: str | None) -> None:
    sealed = step.vault.seal(key, member_id, {wellbeing.CATEGORY: answers, "groups": {"area": area}})
    _keep(step, member_id, {"profile": sealed, "area_tag": peer_tag(step.vault, wellbeing.AREA_GROUP, area)})


@handles(Member.ProfileUpdated, working=True)
def profile_updated(step: Step, event: Any) -> None:
    """A new area moves an individual's well-being answers to that area's group (or out: not said)."""
    member_id: UUID = event.originator_id
    row = step.row(peer_figures, member_id)
    key = step.key_for(member_id)
    if row is None or row["profile"] is None or key is None:
        return
    kept_now = step.vault.open(key, member_id, row["profile"]) or {}
    changes = (step.vault.open(key, member_id, event.personal) or {}).get("profile", {})
    if wellbeing.CATEGORY not in kept_now or "area" not in changes:
        return
    _keep_answers(step, member_id, key, kept_now[wellbeing.CATEGORY], wellbeing.area_of(changes))
    place(step, member_id, event.timestamp)


@handles(Consent.Granted, working=True)
def agreed(step: Step, event: Any) -> None:
    if event.purpose in COMPARING:
        place(step, event.member_id, event.timestamp)


@handles(Consent.Revoked, Consent.Expired, Consent.Renewed, working=True)
def changed(step: Step, event: Any) -> None:
    row = step.row(consents, event.originator_id)
    if row is not None and row["purpose"] in COMPARING:
        place(step, row["member_id"], event.timestamp)


@handles(Member.Confirmed, working=True)
def confirmed(step: Step, event: Any) -> None:
    place(step, event.originator_id, event.timestamp)  # registered by a caseworker: compared once confirmed


@handles(Member.Left, working=True)
def left(step: Step, event: Any) -> None:
    place(step, event.originator_id, event.timestamp, leaving=True)


@handles(Member.Erased, working=True)
def erased(step: Step, event: Any) -> None:
    place(step, event.originator_id, event.timestamp, leaving=True)
    if step.row(peer_figures, event.originator_id) is not None:
        step.remove(peer_figures, event.originator_id)


def place(step: Step, member_id: UUID, at: datetime, leaving: bool = False) -> None:
    """The member's figures into the groups they are in now, if they agree to benchmarking with a
    profile shared and are a member; out of every other group."""
    row = step.row(peer_figures, member_id)
    if row is None:
        return
    entry = None if leaving else _entry(step, row, at)
    now_in = [] if entry is None else [tag for tag in (row[column] for column in GROUP_TAGS) if tag]
    for tag in sorted(set(row["in_groups"]) | set(now_in)):
        _put(step, tag, member_id, entry if tag in now_in else None)
    compared = None if entry is None else _seal_own(step, member_id, entry)
    step.set(peer_figures, member_id, in_groups=now_in, compared=compared)


def _seal_own(step: Step, member_id: UUID, entry: dict) -> str:
    return step.vault.seal(step.key_for(member_id), member_id, entry)


def _entry(step: Step, row: dict, at: datetime) -> dict | None:
    """What benchmarking may use of the member now: their profile's figures, their funding by year
    if a consent allows it, and until when ("until": None while a consent has no expiry); for an
    individual, their well-being answers while they agree to the comparison."""
    member_id = row["member_id"]
    member = step.row(members, member_id)
    key = step.key_for(member_id)
    profile = step.vault.open(key, member_id, row["profile"]) if key and row["profile"] else None
    if member is None or member["status"] != "active" or profile is None:
        return None
    step.settle()  # the member's consents are read by a statement
    answers = wellbeing.CATEGORY in profile
    agreeing = step.session.execute(
        select(consents.c.categories, consents.c.expires_at).where(
            consents.c.member_id == member_id,
            consents.c.purpose == (wellbeing.PURPOSE if answers else BENCHMARKING),
            consents.c.ended_rec.is_(None),
            or_(consents.c.expires_at.is_(None), consents.c.expires_at > at),
        )
    ).all()
    needed = set(wellbeing.NEEDED) if answers else {"organisation-profile"}
    covering = [c for c in agreeing if needed <= set(c.categories)]
    if not covering:
        return None
    endings = [c.expires_at for c in covering]
    until = None if None in endings else max(endings).isoformat()
    if answers:
        return {"figures": profile[wellbeing.CATEGORY], "funding": None, "until": until}
    categories = {category for c in agreeing for category in c.categories}
    funding = None
    if "funding-history" in categories and row["funding"] is not None:
        funding = (step.vault.open(key, member_id, row["funding"]) or {}).get("by_year")
    return {"figures": kept(profile), "funding": funding, "until": until}


def _put(step: Step, tag: str, member: UUID, entry: dict | None) -> None:
    """The member's entry into (or, None, out of) its part of the group."""
    bucket = bucket_of(member)
    where = (peer_groups.c.tag == tag, peer_groups.c.bucket == bucket)
    found = step.session.execute(select(peer_groups.c.figures).where(*where)).first()
    figures = open_group(step.vault, tag, bucket, found.figures) if found else {}
    if entry is None:
        figures.pop(str(member), None)
    else:
        figures[str(member)] = entry
    if found is None and not figures:
        return
    if found is None:
        sealed = seal_group(step.vault, tag, bucket, figures)
        step.session.execute(insert(peer_groups).values(tag=tag, bucket=bucket, figures=sealed))
    elif figures:
        sealed = seal_group(step.vault, tag, bucket, figures)
        step.session.execute(update(peer_groups).where(*where).values(figures=sealed))
    else:
        step.session.execute(delete(peer_groups).where(*where))
