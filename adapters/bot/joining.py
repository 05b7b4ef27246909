"""Joining (/start): welcome, membership terms, name, panel questions (each
skippable), then one yes/no question per purpose. Or, for a member a caseworker
registered: terms, then their reference code. What they type stays in this
process's memory until the one command that records it; nothing is written to
disk unsealed."""

from enum import Enum, auto

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, member_of, read, replace, say, services, texts
from adapters.conversation import replies
from domain.kernel.errors import InvalidRequest, NotAllowedNow, TrustError
from domain.kernel.text import one_line
from domain.membership.chat import MAX_NAME, WrongReferenceCode
from domain.store.credentials import TooManyAttempts
from domain.trust import Audience

END = ConversationHandler.END


class Joining(Enum):
    CHOOSING = auto()  # new member, or a reference code?
    TERMS = auto()
    NAME = auto()
    QUESTIONS = auto()
    CODE = auto()
    OFFERS = auto()


def _draft(context: Context) -> dict:
    return context.chat_data.setdefault("joining", {})  # type: ignore[union-attr]


async def start(update: Update, context: Context) -> Joining | int:
    _ = texts(update, context)
    if await member_of(update, context) is not None:
        await say(update, replies.already_member(_))
        return END
    context.chat_data["joining"] = {}  # type: ignore[index]
    await say(update, replies.welcome(_))
    return Joining.CHOOSING


async def chose(update: Update, context: Context) -> Joining:
    await update.callback_query.answer()  # type: ignore[union-attr]
    _draft(context)["path"] = update.callback_query.data.removeprefix("start:")  # type: ignore[union-attr]
    await replace(update, replies.terms(texts(update, context), services(context).catalogue))
    return Joining.TERMS


async def terms_answered(update: Update, context: Context) -> Joining | int:
    query = update.callback_query
    await query.answer()  # type: ignore[union-attr]
    _ = texts(update, context)
    if query.data == "terms:no":  # type: ignore[union-attr]
        context.chat_data.pop("joining", None)  # type: ignore[union-attr]
        await replace(update, replies.not_now(_))
        return END
    draft = _draft(context)
    draft["terms"] = services(context).catalogue.latest_terms
    if draft.get("path") == "code":
        await replace(update, replies.ask_code(_))
        return Joining.CODE
    await replace(update, replies.ask_name(_))
    return Joining.NAME


async def named(update: Update, context: Context) -> Joining:
    _ = texts(update, context)
    try:
        name = one_line(update.effective_message.text, "A name", MAX_NAME)  # type: ignore[union-attr]
    except InvalidRequest:
        await say(update, replies.name_refused(_, MAX_NAME))
        return Joining.NAME
    draft = _draft(context)
    draft.update(name=name, profile={}, question=0)
    return await _next_question(update, context)


async def _next_question(update: Update, context: Context) -> Joining:
    draft = _draft(context)
    questions = list(services(context).catalogue.profile.values())
    if draft["question"] < len(questions):
        await say(update, replies.ask_question(texts(update, context), questions[draft["question"]]))
        return Joining.QUESTIONS
    return await _join(update, context)


def _current_question(context: Context):  # type: ignore[no-untyped-def]
    draft = _draft(context)
    return list(services(context).catalogue.profile.values())[draft["question"]]


async def typed_answer(update: Update, context: Context) -> Joining:
    question = _current_question(context)
    try:
        answer = question.clean(update.effective_message.text)  # type: ignore[union-attr]
    except InvalidRequest:
        answer = None
    if answer is None:
        await say(update, replies.answer_refused(texts(update, context), question))
        return Joining.QUESTIONS
    return await _answered(update, context, answer)


async def pressed_answer(update: Update, context: Context) -> Joining:
    query = update.callback_query
    question = _current_question(context)
    verb, code, *choice = query.data.split(":", 2)  # type: ignore[union-attr]
    if code != question.code or (verb == "answer" and (not choice or choice[0] not in question.choices)):
        await query.answer(replies.stale_button(texts(update, context)))  # type: ignore[union-attr]
        return Joining.QUESTIONS
    await query.answer()  # type: ignore[union-attr]
    await query.edit_message_reply_markup(None)  # type: ignore[union-attr]
    return await _answered(update, context, choice[0] if verb == "answer" else None)


async def _answered(update: Update, context: Context, answer: str | None) -> Joining:
    draft = _draft(context)
    if answer is not None:
        draft["profile"][_current_question(context).code] = answer
    draft["question"] += 1
    return await _next_question(update, context)


async def _join(update: Update, context: Context) -> Joining | int:
    _ = texts(update, context)
    svc, draft = services(context), _draft(context)
    try:
        member_id = await act(
            update,
            context,
            svc.trust.join_by_chat,
            update.effective_chat.id,
            draft["name"],
            draft["profile"],
            draft["terms"],
            MEMBER_VIA_BOT,  # type: ignore[union-attr]
        )
    except NotAllowedNow:
        await say(update, replies.already_member(_))
        return END
    except TrustError:  # nothing was recorded: begin again rather than stay past the last question
        context.chat_data.pop("joining", None)  # type: ignore[union-attr]
        await say(update, replies.went_wrong(_))
        return END
    card = await read(svc.views.member_card, member_id)
    context.chat_data["joining"] = {"member": member_id, "offer": 0}  # type: ignore[index]  # the name is forgotten here
    await say(update, replies.joined(_, card["reference_code"]))
    return await _next_offer(update, context)


async def _next_offer(update: Update, context: Context) -> Joining | int:
    _ = texts(update, context)
    offered = services(context).catalogue.offered_purposes()
    draft = _draft(context)
    if draft["offer"] < len(offered):
        await say(update, replies.offer(_, services(context).catalogue, offered[draft["offer"]]))
        return Joining.OFFERS
    context.chat_data.pop("joining", None)  # type: ignore[union-attr]
    await say(update, replies.all_set(_))
    return END


async def offer_answered(update: Update, context: Context) -> Joining | int:
    query = update.callback_query
    _ = texts(update, context)
    svc, draft = services(context), _draft(context)
    purpose = svc.catalogue.offered_purposes()[draft["offer"]]
    if query.data not in (f"offer:{purpose.code}:yes", f"offer:{purpose.code}:no"):  # type: ignore[union-attr]
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return Joining.OFFERS
    await query.answer()  # type: ignore[union-attr]
    answer = query.data.rsplit(":", 1)[1]  # type: ignore[union-attr]
    if answer == "yes":
        offer = purpose.offer
        await act(
            update,
            context,
            svc.trust.grant_consent,
            draft["member"],
            purpose.code,
            offer.categories,  # type: ignore[union-attr]
            Audience(kind=offer.kind),
            MEMBER_VIA_BOT,
            "bot",  # type: ignore[union-attr]
        )
    await query.edit_message_text(replies.offer_answered(_, purpose, answer == "yes"))  # type: ignore[union-attr]
    draft["offer"] += 1
    return await _next_offer(update, context)


async def code_typed(update: Update, context: Context) -> Joining | int:
    _ = texts(update, context)
    trust = services(context).trust
    try:
        await act(
            update,
            context,
            trust.confirm_by_code,
            update.effective_chat.id,
            update.effective_message.text,
            _draft(context)["terms"],
            MEMBER_VIA_BOT,  # type: ignore[union-attr]
        )
    except WrongReferenceCode:
        await say(update, replies.code_refused(_))
        return Joining.CODE
    except TooManyAttempts as refused:
        await say(update, replies.too_many_codes(_, max(1, (refused.retry_after + 59) // 60)))
        return END
    except NotAllowedNow:
        await say(update, replies.already_member(_))
        return END
    context.chat_data.pop("joining", None)  # type: ignore[union-attr]
    await say(update, replies.confirmed(_))
    return END


async def cancel(update: Update, context: Context) -> int:
    draft = context.chat_data.pop("joining", None) or {}  # type: ignore[union-attr]
    _ = texts(update, context)
    await say(update, replies.all_set(_) if "member" in draft else replies.not_now(_))
    return END


async def help_while_joining(update: Update, context: Context) -> None:
    _ = texts(update, context)
    await say(
        update,
        replies.Reply(
            replies.help_text(_).text
            + "\n\n"
            + _("You are joining: answer the question above, or send /cancel to stop.")
        ),
    )


async def off_script(update: Update, context: Context) -> None:
    """Anything unexpected while joining: say what is wanted, stay where we are."""
    _ = texts(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(replies.stale_button(_))
        return None
    await say(update, replies.Reply(_("Please answer the question above, or send /cancel to stop joining.")))
    return None


TEXT = filters.TEXT & ~filters.COMMAND


def conversation() -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={
            Joining.CHOOSING: [CallbackQueryHandler(chose, pattern=r"^start:(new|code)$")],
            Joining.TERMS: [CallbackQueryHandler(terms_answered, pattern=r"^terms:(yes|no)$")],
            Joining.NAME: [MessageHandler(TEXT, named)],
            Joining.QUESTIONS: [
                MessageHandler(TEXT, typed_answer),
                CallbackQueryHandler(pressed_answer, pattern=r"^(answer|skip):"),
            ],
            Joining.CODE: [MessageHandler(TEXT, code_typed)],
            Joining.OFFERS: [CallbackQueryHandler(offer_answered, pattern=r"^offer:")],
        },
        fallbacks=[
            CommandHandler("start", start),
            CommandHandler("cancel", cancel),
            CommandHandler("help", help_while_joining),
            MessageHandler(filters.ALL, off_script),
            CallbackQueryHandler(off_script),
        ],
        name="joining",
        allow_reentry=True,
    )
