"""Leaving (/leave) and erasure (/forget), each after a yes/no confirmation that
says plainly what is kept and what is destroyed."""

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, member_of, replace, say, services, texts
from adapters.conversation import member_replies, replies


async def ask_leave(update: Update, context: Context) -> None:
    await _ask(update, context, member_replies.leave_question)


async def ask_forget(update: Update, context: Context) -> None:
    await _ask(update, context, member_replies.forget_question)


async def _ask(update: Update, context: Context, question) -> None:  # type: ignore[no-untyped-def]
    _ = texts(update, context)
    member_id = await member_of(update, context)
    if member_id is None:
        await say(update, replies.not_a_member(_))
        return
    await say(update, question(_, member_id.hex))


async def answered(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    verb, answer, asked_of = query.data.split(":", 2)  # type: ignore[union-attr]
    member_id = await member_of(update, context)
    if member_id is None or member_id.hex != asked_of:  # a question asked of an earlier membership
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    await query.answer()  # type: ignore[union-attr]
    if answer != "yes":
        await replace(update, replies.Reply(member_replies.kept(_)))
        return
    trust = services(context).trust
    if verb == "leave":
        await act(update, context, trust.member_leaves, member_id, MEMBER_VIA_BOT)
        await replace(update, replies.Reply(member_replies.left(_)))
    else:
        await act(update, context, trust.erase_member, member_id, MEMBER_VIA_BOT)
        await replace(update, replies.Reply(member_replies.forgotten(_)))


def handlers() -> list:
    return [
        CommandHandler("leave", ask_leave),
        CommandHandler("forget", ask_forget),
        CallbackQueryHandler(answered, pattern=r"^(leave|forget):(yes|no):[0-9a-f]{32}$"),
    ]
