"""Keeping the benchmarked figures: each organisation profile or funding history a member shares
replaces their figures of that kind (opened with their key, the few figures kept, sealed again under
it); erasure deletes the row. Whether a member agreed to benchmarking is asked when a report is read
(their consents), so a withdrawal needs nothing here."""

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update

from domain.data.model import MemberData
from domain.membership.model import Member
from domain.reports.figures import funding_figures, profile_figures
from projections.core.handlers import Step, handles
from projections.reports.tables import peer_figures
from projections.reports.tags import peer_tag

BENCHMARKED = ("organisation-profile", "funding-history")


@handles(MemberData.Shared)
def shared(step: Step, event: Any) -> None:
    if event.category not in BENCHMARKED:
        return
    member_id: UUID = event.member_id
    key = step.vault.key_for(step.session, member_id)
    values = (step.vault.open(key, member_id, event.sealed) or {}).get("values") if key else None
    if values is None:  # erased since (a rebuild): nothing to keep
        return
    if event.category == "organisation-profile":
        figures = profile_figures(values)
        row = {f"{group}_tag": peer_tag(step.vault, group, value) for group, value in figures["groups"].items()}
        row["profile"] = step.vault.seal(key, member_id, figures)
    else:
        row = {"funding": step.vault.seal(key, member_id, funding_figures(values))}
    found = step.session.execute(select(peer_figures.c.member_id).where(peer_figures.c.member_id == member_id))
    if found.first() is None:
        step.session.execute(insert(peer_figures).values(member_id=member_id, **row))
    else:
        step.session.execute(update(peer_figures).where(peer_figures.c.member_id == member_id).values(**row))


@handles(Member.Erased)
def erased(step: Step, event: Any) -> None:
    step.session.execute(delete(peer_figures).where(peer_figures.c.member_id == event.originator_id))
