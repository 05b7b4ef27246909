"""Community panels (/panel): the member's open panels, then one question at a time
with buttons (a typed message for free text), a summary, and one tap that records
all the answers in one command. What they choose stays in this process's memory
until that command; a button from an earlier question or another panel is stale."""

from enum import Enum, auto
from uuid import UUID

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, language, member_of, read, replace, say, services, texts
from adapters.conversation import panel_replies, replies
from domain.kernel.errors import TrustError

END = ConversationHandler.END
MAX_TEXT = 1000


class Panel(Enum):
    ANSWERING = auto()


def _draft(context: Context) -> dict:
    return context.chat_data.get("panel") or {}  # type: ignore[union-attr]


async def _invitations(update: Update, context: Context) -> tuple[UUID | None, list]:
    member_id = await member_of(update, context)
    if member_id is None:
        return None, []
    return member_id, await read(services(context).trust.panel_invitations, member_id)


async def show(update: Update, context: Context) -> int:
    _ = texts(update, context)
    context.chat_data.pop("panel", None)  # type: ignore[union-attr]
    member_id, invitations = await _invitations(update, context)
    if member_id is None:
        await say(update, replies.not_a_member(_))
        return END
    open_ones = [i for i in invitations if not i.declined]
    if not open_ones:
        await say(update, panel_replies.no_panels(_))
        return END
    min_cell = (await read(services(context).trust.live_rule, "min-cell-size")).value
    for invitation in open_ones:
        await say(update, panel_replies.invitation(_, invitation, min_cell, language(update, context)))
    return END


async def begin(update: Update, context: Context) -> Panel | None:
    query, _ = update.callback_query, texts(update, context)
    hexed = query.data.removeprefix("panel:go:")  # type: ignore[union-attr]
    _member_id, invitations = await _invitations(update, context)
    invitation = next((i for i in invitations if i.request_id.hex == hexed and not i.declined), None)
    if invitation is None:
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return None  # an answering in progress goes on
    await query.answer()  # type: ignore[union-attr]
    context.chat_data["panel"] = {  # type: ignore[index]
        "request": invitation.request_id,
        "questions": list(invitation.questions),
        "closes_at": invitation.closes_at,
        "index": 0,
        "answers": {},
    }
    await replace(update, panel_replies.question(_, list(invitation.questions), 0))
    return Panel.ANSWERING


async def again(update: Update, context: Context) -> int | Panel:
    query, draft = update.callback_query, _draft(context)
    if not draft:
        await query.answer(replies.stale_button(texts(update, context)))  # type: ignore[union-attr]
        return END
    await query.answer()  # type: ignore[union-attr]
    draft.update(index=0, answers={})
    await replace(update, panel_replies.question(texts(update, context), draft["questions"], 0))
    return Panel.ANSWERING


async def button(update: Update, context: Context) -> int | Panel:
    """panel:a:<question>:<option> (one choice), panel:t:... (tick), panel:done:<q>, panel:skip:<q>."""
    query, _, draft = update.callback_query, texts(update, context), _draft(context)
    parts = query.data.split(":")  # type: ignore[union-attr]
    index = draft.get("index")
    if not draft or index is None or index >= len(draft["questions"]) or parts[2] != str(index):
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return Panel.ANSWERING if draft else END
    asked = draft["questions"][index]
    verb = parts[1]
    if verb in ("a", "t"):
        number = int(parts[3]) if len(parts) == 4 and parts[3].isdigit() else -1
        if not 0 <= number < len(asked.options) or (verb == "t") != (asked.kind == "multiple"):
            await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
            return Panel.ANSWERING
        option = asked.options[number]
        if verb == "t":
            ticked = draft["answers"].setdefault(asked.code, [])
            ticked.remove(option) if option in ticked else ticked.append(option)
            await query.answer()  # type: ignore[union-attr]
            await replace(update, panel_replies.question(_, draft["questions"], index, ticked))
            return Panel.ANSWERING
        draft["answers"][asked.code] = option
    elif verb == "skip":
        draft["answers"].pop(asked.code, None)
    elif verb != "done":
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return Panel.ANSWERING
    await query.answer()  # type: ignore[union-attr]
    return await _next(update, context, draft)


async def typed(update: Update, context: Context) -> int | Panel:
    _, draft = texts(update, context), _draft(context)
    index = draft.get("index", 0)
    if not draft or index >= len(draft["questions"]) or draft["questions"][index].kind != "text":
        await say(update, panel_replies.use_the_buttons(_))
        return Panel.ANSWERING
    text = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    if len(text) > MAX_TEXT:
        await say(update, panel_replies.too_long(_))
        return Panel.ANSWERING
    if text:
        draft["answers"][draft["questions"][index].code] = text
    return await _next(update, context, draft, fresh=True)


async def _next(update: Update, context: Context, draft: dict, fresh: bool = False) -> Panel:
    _ = texts(update, context)
    draft["index"] += 1
    questions = draft["questions"]
    reply = (
        panel_replies.question(_, questions, draft["index"], draft["answers"].get(questions[draft["index"]].code))
        if draft["index"] < len(questions)
        else panel_replies.summary(_, questions, draft["answers"])
    )
    await (say if fresh else replace)(update, reply)
    return Panel.ANSWERING


async def send(update: Update, context: Context) -> int | Panel:
    query, _, draft = update.callback_query, texts(update, context), _draft(context)
    member_id = await member_of(update, context)
    if not draft or member_id is None or draft["index"] < len(draft["questions"]):
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return Panel.ANSWERING if draft else END
    await query.answer()  # type: ignore[union-attr]
    answers = {code: value for code, value in draft["answers"].items() if value not in ([], "")}
    try:
        await act(
            update, context, services(context).trust.answer_panel, draft["request"], member_id, answers, MEMBER_VIA_BOT
        )
    except TrustError as error:  # e.g. the panel closed meanwhile, or the member left it
        context.chat_data.pop("panel", None)  # type: ignore[union-attr]
        await replace(update, panel_replies.refused(str(error)))
        return END
    context.chat_data.pop("panel", None)  # type: ignore[union-attr]
    await replace(update, panel_replies.recorded(_, draft["closes_at"], language(update, context)))
    return END


async def _pressed_panel(update: Update, context: Context, prefix: str):  # type: ignore[no-untyped-def]
    """(member, the open panel the pressed button names), answering the tap; (None, None) if stale."""
    query = update.callback_query
    hexed = query.data.removeprefix(prefix)  # type: ignore[union-attr]
    member_id, invitations = await _invitations(update, context)
    invitation = next((i for i in invitations if i.request_id.hex == hexed and not i.declined), None)
    if invitation is None:
        await query.answer(replies.stale_button(texts(update, context)))  # type: ignore[union-attr]
        return None, None
    await query.answer()  # type: ignore[union-attr]
    return member_id, invitation


async def ask_leave(update: Update, context: Context) -> None:
    _member_id, invitation = await _pressed_panel(update, context, "panel:leave:")
    if invitation is not None:
        reply = panel_replies.leave_question(texts(update, context), invitation.title, invitation.request_id.hex)
        await replace(update, reply)


async def leave(update: Update, context: Context) -> None:
    _ = texts(update, context)
    member_id, invitation = await _pressed_panel(update, context, "panel:left:")
    if invitation is None:
        return
    try:
        await act(
            update, context, services(context).trust.decline_panel, invitation.request_id, member_id, MEMBER_VIA_BOT
        )
    except TrustError as error:
        await replace(update, panel_replies.refused(str(error)))
        return
    if _draft(context).get("request") == invitation.request_id:
        context.chat_data.pop("panel", None)  # type: ignore[union-attr]
    await replace(update, panel_replies.left_panel(_))


async def stay(update: Update, context: Context) -> None:
    await update.callback_query.answer()  # type: ignore[union-attr]
    await replace(update, panel_replies.stayed(texts(update, context)))


def conversation() -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(begin, pattern=r"^panel:go:")],
        states={
            Panel.ANSWERING: [
                CallbackQueryHandler(button, pattern=r"^panel:(a|t|done|skip):"),
                CallbackQueryHandler(send, pattern=r"^panel:send$"),
                CallbackQueryHandler(again, pattern=r"^panel:again$"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
            ]
        },
        fallbacks=[CommandHandler("panel", show)],
        allow_reentry=True,
        name="panel",
    )


def handlers() -> list:
    return [
        CommandHandler("panel", show),
        CallbackQueryHandler(ask_leave, pattern=r"^panel:leave:"),
        CallbackQueryHandler(leave, pattern=r"^panel:left:"),
        CallbackQueryHandler(stay, pattern=r"^panel:stay$"),
    ]
