"""Sharing an application pack from the announcement of a fund: its "Share my application pack" choice
names the fund, and acts only for the talking member, once, while the fund is open (domain.funds)."""

from uuid import UUID

from adapters.conversation import fund_replies, replies
from adapters.conversation.messages import BELOW, BESIDE
from adapters.conversation.talk import Talk
from domain.kernel.errors import NotAllowedNow, NotFound


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith(fund_replies.PREFIX):
        return False
    _ = talk._
    try:
        fund_id = UUID(hex=choice.removeprefix(fund_replies.PREFIX))
    except ValueError:
        fund_id = None
    told = talk.views.funds_told(talk.member_id) if fund_id is not None and talk.member_id is not None else []
    fund = next((found for found in told if found["id"] == fund_id), None)
    if fund is None:  # not a fund this member was told of
        talk.say(replies.stale(_))
        return True
    if fund["shared_at"] is not None:
        talk.say(fund_replies.already_shared(_, fund["title"], fund["shared_at"], talk.language).shown_as(BESIDE))
        return True
    if fund["closes_at"] <= talk.services.clock():
        talk.say(fund_replies.closed(_, fund["title"], fund["closes_at"], talk.language).shown_as(BESIDE))
        return True
    try:
        talk.act(talk.trust.share_pack, fund_id, talk.member_id, talk.actor, talk.channel.collected_via)
    except (NotAllowedNow, NotFound):  # the funder suspended since, say: nothing was recorded
        talk.say(replies.stale(_))
        return True
    talk.say(replies.Reply("✅ " + fund_replies.shared(_, fund["funder"], fund["title"]), shown=BELOW))
    return True
