"""Keeping funds, whom they reached (each member's own notices, sealed under their key; only the count
beside the fund), the packs members shared, and the profiles funds are matched on (sealed)."""

from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select, update

from domain.data.model import MemberData
from domain.funds.criteria import PROFILE, attributes
from domain.funds.model import Fund
from domain.kernel.batches import batches
from domain.membership.model import Member
from projections.core.handlers import Step, handles
from projections.funds.tables import fund_notices, fund_profiles, fund_shares, funds


@handles(MemberData.Shared)
def profile_shared(step: Step, event: Any) -> None:
    """The member's latest profile replaces what funds are matched on, opened and sealed again with its key."""
    if event.category != PROFILE:
        return
    key = step.key_for(event.member_id)
    values = (step.vault.open(key, event.member_id, event.sealed) or {}).get("values") if key else None
    if key is None or values is None:  # erased since (a rebuild): nothing to keep
        return
    sealed = step.vault.seal(key, event.member_id, attributes(values))
    where = fund_profiles.c.member_id == event.member_id
    if step.session.execute(select(fund_profiles.c.member_id).where(where)).first() is None:
        step.session.execute(insert(fund_profiles).values(member_id=event.member_id, attributes=sealed))
    else:
        step.session.execute(update(fund_profiles).where(where).values(attributes=sealed))


@handles(Member.Erased)
def erased(step: Step, event: Any) -> None:
    step.session.execute(delete(fund_profiles).where(fund_profiles.c.member_id == event.originator_id))
    step.session.execute(delete(fund_notices).where(fund_notices.c.member_id == event.originator_id))


@handles(Fund.Published)
def published(step: Step, event: Any) -> None:
    step.session.execute(
        insert(funds).values(
            fund_id=event.originator_id,
            organisation_id=event.organisation_id,
            title=event.title,
            amount_min_pence=event.amount_min_pence,
            amount_max_pence=event.amount_max_pence,
            criteria=event.criteria,
            closes_at=event.closes_at,
            published_at=event.timestamp,
            published_by=event.actor,
            told=len(event.told),
        )
    )
    told = {"fund": event.originator_id.hex, "told_at": event.timestamp.isoformat()}
    _note(step, {UUID(member): told for member in event.told})


@handles(Fund.PackShared)
def pack_shared(step: Step, event: Any) -> None:
    shared_at = event.timestamp.isoformat()
    _note(step, {event.member_id: {"fund": event.originator_id.hex, "shared_at": shared_at}})
    step.session.execute(
        insert(fund_shares).values(
            fund_id=event.originator_id,
            member_id=event.member_id,
            shared_at=event.timestamp,
            consent_id=event.consent_id,
        )
    )


def _note(step: Step, changes: dict[UUID, dict]) -> None:
    """Each member's own list of the funds they were told of, with their ``change`` made to its fund's
    entry (added when new), sealed again under their key; nothing is kept for an erased member. All the
    members' keys and lists in one query each (a fund reaches thousands), written back in one batch."""
    keys = step.vault.keys_for(step.session, changes)
    found = {}
    for chunk in batches(keys):
        chosen = fund_notices.c.member_id.in_(chunk)
        found.update(step.session.execute(select(fund_notices.c.member_id, fund_notices.c.notices).where(chosen)).all())
    new, changed = [], []
    for member_id, key in keys.items():
        sealed = found.get(member_id)
        notices: list[dict] = (step.vault.open(key, member_id, sealed) or {}).get("funds", []) if sealed else []
        change = changes[member_id]
        entry = next((notice for notice in notices if notice["fund"] == change["fund"]), None)
        if entry is None:
            notices.append({"told_at": None, "shared_at": None, **change})
        else:
            entry.update(change)
        row = {"member": member_id, "sealed": step.vault.seal(key, member_id, {"funds": notices})}
        (changed if sealed else new).append(row)
    if new:
        step.session.execute(insert(fund_notices), [{"member_id": r["member"], "notices": r["sealed"]} for r in new])
    if changed:
        rewrite = update(fund_notices).where(fund_notices.c.member_id == bindparam("member"))
        step.session.execute(rewrite.values(notices=bindparam("sealed")), changed)
