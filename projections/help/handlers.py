"""The queue of requests for help, kept from their events; and in the member's timeline, the
facts only (asked on which channel, handled by whom), never the words."""

from typing import Any

from sqlalchemy import insert, update

from domain.help.model import HelpRequests
from domain.membership.model import Member
from projections.core.handlers import Step, handles
from projections.help.tables import help_messages, help_requests

ASKED, HANDLED = "asked for help", "help handled"


def _timeline(step: Step, event: Any, member_id: Any, what: str, **details: Any) -> None:
    step.add_fact(member_id, event, what, **details)


@handles(HelpRequests.Asked)
def asked(step: Step, event: Any) -> None:
    member_id = event.member_id
    this = (help_requests.c.member_id == member_id) & (help_requests.c.request == event.request)
    if event.added:
        step.session.execute(update(help_requests).where(this).values(last_rec=event.timestamp))
    else:
        step.session.execute(
            insert(help_requests).values(
                member_id=member_id,
                request=event.request,
                status="open",
                channel=event.channel,
                opened_rec=event.timestamp,
                last_rec=event.timestamp,
            )
        )
    step.session.execute(
        insert(help_messages).values(
            position=step.position,
            member_id=member_id,
            request=event.request,
            channel=event.channel,
            asked_rec=event.timestamp,
            message=event.message,
        )
    )
    _timeline(step, event, member_id, ASKED, channel=event.channel, request=event.request, added=event.added)


@handles(HelpRequests.Handled)
def handled(step: Step, event: Any) -> None:
    member_id = event.member_id
    this = (help_requests.c.member_id == member_id) & (help_requests.c.request == event.request)
    step.session.execute(
        update(help_requests)
        .where(this)
        .values(status="handled", handled_by=event.actor, handled_rec=event.timestamp, note=event.note)
    )
    _timeline(step, event, member_id, HANDLED, request=event.request, with_note=event.note is not None)


@handles(Member.Erased)
def erased(step: Step, event: Any) -> None:
    """The words go with the key: scrubbed here too; an open request leaves the queue."""
    mine = help_requests.c.member_id == event.originator_id
    step.session.execute(update(help_requests).where(mine).values(note=None))
    step.session.execute(update(help_requests).where(mine, help_requests.c.status == "open").values(status="erased"))
    step.session.execute(
        update(help_messages).where(help_messages.c.member_id == event.originator_id).values(message=None)
    )
