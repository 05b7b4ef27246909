"""My consents (/consents): one tap withdraws an active consent, one tap gives an
offered purpose. A withdrawal is recorded before the reply is sent. A button can
only ever act on the pressing chat's own member's consents."""

from uuid import UUID

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, language, member_of, read, replace, say, services, texts
from adapters.conversation import member_replies, replies
from domain.kernel.errors import TrustError
from domain.trust import Audience


async def overview(update: Update, context: Context, member_id: UUID, done: str = "") -> None:
    svc = services(context)
    consents = await read(svc.views.consents, member_id, svc.clock())
    reply = member_replies.consents_overview(texts(update, context), svc.catalogue, consents, language(update, context))
    if done:
        reply = replies.Reply(done + "\n\n" + reply.text, reply.buttons)
    await (replace if update.callback_query else say)(update, reply)


async def show(update: Update, context: Context) -> None:
    member_id = await member_of(update, context)
    if member_id is None:
        await say(update, replies.not_a_member(texts(update, context)))
        return
    await overview(update, context, member_id)


async def withdraw(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    svc = services(context)
    member_id = await member_of(update, context)
    consent = await _own_active_consent(context, member_id, query.data.removeprefix("withdraw:"))  # type: ignore[union-attr]
    if consent is None:  # not this member's, not active any more, or not a consent at all
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    await act(update, context, svc.trust.revoke_consent, consent["consent_id"], MEMBER_VIA_BOT)
    await query.answer()  # type: ignore[union-attr]
    await overview(update, context, member_id, member_replies.withdrawn(_, svc.catalogue, consent["purpose"]))  # type: ignore[arg-type]


async def give(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    svc = services(context)
    member_id = await member_of(update, context)
    code = query.data.removeprefix("give:")  # type: ignore[union-attr]
    purpose = next((p for p in svc.catalogue.offered_purposes() if p.code == code), None)
    active = await _active(context, member_id)
    if member_id is None or purpose is None or any(c["purpose"] == code for c in active):
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    offer = purpose.offer
    await act(
        update,
        context,
        svc.trust.grant_consent,
        member_id,
        purpose.code,
        offer.categories,  # type: ignore[union-attr]
        Audience(kind=offer.kind),
        MEMBER_VIA_BOT,
        "bot",  # type: ignore[union-attr]
    )
    await query.answer()  # type: ignore[union-attr]
    await overview(update, context, member_id, member_replies.given(_, svc.catalogue, purpose.code))


async def _active(context: Context, member_id: UUID | None) -> list[dict]:
    if member_id is None:
        return []
    svc = services(context)
    try:
        consents = await read(svc.views.consents, member_id, svc.clock())
    except TrustError:
        return []
    return [c for c in consents if c["status"] == member_replies.ACTIVE]


async def _own_active_consent(context: Context, member_id: UUID | None, text: str) -> dict | None:
    try:
        wanted = UUID(hex=text)
    except ValueError:
        return None
    return next((c for c in await _active(context, member_id) if c["consent_id"] == wanted), None)


def handlers() -> list:
    return [
        CommandHandler("consents", show),
        CallbackQueryHandler(withdraw, pattern=r"^withdraw:"),
        CallbackQueryHandler(give, pattern=r"^give:"),
    ]
