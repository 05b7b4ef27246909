"""Which membership terms each member last agreed to, and when the chat last told them of newer
ones (member_terms): for the dashboard's counts by version and for the chat, which asks a member
who agreed to an older version at most once a day. The agreement's own line in the member's history
is written with the other membership facts (handlers.py); being told is written here."""

from typing import Any

from sqlalchemy import insert, select, update

from domain.membership.model import Member
from projections.core.handlers import Step, handles
from projections.membership.tables import member_terms

TOLD = "told of new terms"


def _upsert(step: Step, member_id: Any, **values: Any) -> None:
    found = step.session.execute(select(member_terms.c.member_id).where(member_terms.c.member_id == member_id))
    if found.first() is None:
        step.session.execute(insert(member_terms).values(member_id=member_id, **values))
    else:
        step.session.execute(update(member_terms).where(member_terms.c.member_id == member_id).values(**values))


@handles(Member.TermsAccepted)
def terms_agreed(step: Step, event: Any) -> None:
    _upsert(step, event.originator_id, version=event.version, agreed_rec=event.timestamp)


@handles(Member.TermsChangeTold)
def told_of_new_terms(step: Step, event: Any) -> None:
    _upsert(step, event.originator_id, told_version=event.version, told_rec=event.told_at)
    step.add_fact(event.originator_id, event, TOLD, version=event.version, network=event.network, sent=event.sent)
