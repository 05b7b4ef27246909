"""Keeping funds, whom they reached, and the profiles they are matched on (sealed)."""

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update

from domain.data.model import MemberData
from domain.funds.criteria import PROFILE, attributes
from domain.funds.model import Fund
from domain.membership.model import Member
from projections.core.handlers import Step, handles
from projections.funds.tables import fund_notices, fund_profiles, funds


@handles(MemberData.Shared)
def profile_shared(step: Step, event: Any) -> None:
    """The member's latest profile replaces what funds are matched on, opened and sealed again with its key."""
    if event.category != PROFILE:
        return
    key = step.vault.key_for(step.session, event.member_id)
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
    told = [dict(fund_id=event.originator_id, member_id=UUID(member), told_at=event.timestamp) for member in event.told]
    if told:
        step.session.execute(insert(fund_notices), told)


@handles(Fund.PackShared)
def pack_shared(step: Step, event: Any) -> None:
    step.session.execute(
        update(fund_notices)
        .where(fund_notices.c.fund_id == event.originator_id, fund_notices.c.member_id == event.member_id)
        .values(shared_at=event.timestamp, consent_id=event.consent_id)
    )
