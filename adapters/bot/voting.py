"""Voting (/vote): one message per proposal open to the member, with a button per
option; a tap records the vote (the latest counts until the close) and answers
with a receipt that names the vote, not the choice. A button only ever votes for
the pressing chat's own member; a forged or stale one changes nothing."""

from uuid import UUID

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, language, member_of, read, say, services, texts
from adapters.conversation import replies
from adapters.conversation.ballot_replies import (
    PREFIX,
    already_chosen,
    ballot_message,
    not_in_electorate,
    nothing_open,
    recorded,
    voting_closed,
)
from domain.governance.votes import NotInElectorate, SameChoice, VotingClosed
from domain.kernel.errors import InvalidRequest, NotFound


async def show(update: Update, context: Context) -> None:
    _ = texts(update, context)
    member_id = await member_of(update, context)
    if member_id is None:
        await say(update, replies.not_a_member(_))
        return
    svc = services(context)
    shown = 0
    for proposal in await read(svc.views.open_proposals, svc.clock()):
        ballot = await read(svc.trust.member_ballot, proposal["proposal_id"], member_id)
        if ballot.eligible and ballot.open:
            await say(update, ballot_message(_, proposal["proposal_id"], ballot, language(update, context)))
            shown += 1
    if not shown:
        await say(update, nothing_open(_))


def _parsed(data: str) -> tuple[UUID, int] | None:
    proposal, _sep, option = data.removeprefix(PREFIX).partition(":")
    try:
        return UUID(hex=proposal), int(option)
    except ValueError:
        return None


async def vote(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    svc = services(context)
    member_id = await member_of(update, context)
    parsed = _parsed(query.data or "")  # type: ignore[union-attr]
    if member_id is None or parsed is None:
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    proposal_id, option = parsed
    try:
        receipt = await act(update, context, svc.trust.cast_vote, proposal_id, member_id, option, MEMBER_VIA_BOT)
    except SameChoice as same:
        await query.answer()  # type: ignore[union-attr]
        await say(update, already_chosen(_, same.option))
        return
    except VotingClosed:
        await query.answer()  # type: ignore[union-attr]
        await say(update, voting_closed(_))
        return
    except NotInElectorate:
        await query.answer()  # type: ignore[union-attr]
        await say(update, not_in_electorate(_))
        return
    except (NotFound, InvalidRequest):  # another proposal's, an option it does not have, or garbage
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    await query.answer()  # type: ignore[union-attr]
    await say(update, recorded(_, receipt.receipt, receipt.closes_at, language(update, context)))


def handlers() -> list:
    return [CommandHandler("vote", show), CallbackQueryHandler(vote, pattern=r"^vote:")]
