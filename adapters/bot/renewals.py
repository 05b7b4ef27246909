"""One-tap renewal: an offer to renew a consent that ends soon (an announcement with a
renew action) goes out with a "Renew" button; a tap keeps the consent for its term
again. The button names the consent and the expiry it was offered for, so a second
tap (or a redelivered one) renews once, and it only ever acts on the pressing chat's
own member's consent: a stale, foreign or forged one changes nothing."""

from datetime import UTC, datetime
from uuid import UUID

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from adapters.bot.talk import MEMBER_VIA_BOT, Context, act, language, member_of, read, replace, say, services, texts
from adapters.conversation import replies
from adapters.conversation.renewal_replies import PREFIX, already_renewed, ended, renewed
from adapters.conversation.replies import Reply, title_of
from domain.kernel.errors import NotAllowedNow, NotFound


def _parsed(data: str) -> tuple[UUID, datetime] | None:
    consent, _sep, offered = data.removeprefix(PREFIX).partition(":")
    try:
        return UUID(hex=consent), datetime.fromtimestamp(int(offered), UTC)
    except (ValueError, OverflowError, OSError):
        return None


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer the tap; a redelivered tap's query may be too old to answer, and that is fine."""
    try:
        await query.answer(text)
    except BadRequest:
        pass


async def _own_consent(context: Context, member_id: UUID | None, consent_id: UUID) -> dict | None:
    if member_id is None:
        return None
    svc = services(context)
    try:
        consents = await read(svc.views.consents, member_id, svc.clock())
    except NotFound:
        return None
    return next((c for c in consents if c["consent_id"] == consent_id), None)


async def renew(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    svc, words = services(context), language(update, context)
    member_id = await member_of(update, context)
    parsed = _parsed(query.data or "")  # type: ignore[union-attr]
    consent = None if parsed is None else await _own_consent(context, member_id, parsed[0])
    if consent is None or consent["expires_at"] is None:  # garbage, another member's, or never had an expiry
        await _answer(query, replies.stale_button(_))  # type: ignore[arg-type]
        return
    title = title_of(svc.catalogue, consent["purpose"])
    if consent["status"] in ("withdrawn", "expired"):
        await _answer(query)  # type: ignore[arg-type]
        await say(update, ended(_, title, consent["status"] == "withdrawn"))
        return
    if int(consent["expires_at"].timestamp()) != int(parsed[1].timestamp()):  # type: ignore[index]
        await _answer(query, already_renewed(_, title, consent["expires_at"], words))  # type: ignore[arg-type]
        return
    try:
        until = await act(update, context, svc.trust.renew_consent, consent["consent_id"], member_id, MEMBER_VIA_BOT)
    except NotAllowedNow:  # it ended (or the member went) between the look and the tap
        await _answer(query)  # type: ignore[arg-type]
        await say(update, ended(_, title, withdrawn=False))
        return
    except NotFound:
        await _answer(query, replies.stale_button(_))  # type: ignore[arg-type]
        return
    await _answer(query)  # type: ignore[arg-type]
    done = renewed(_, title, consent["audience"], until, words)
    shown = getattr(query.message, "text", None) or ""  # type: ignore[union-attr]
    await replace(update, Reply(f"{shown}\n\n✅ {done}" if shown else f"✅ {done}"))


def handlers() -> list:
    return [CallbackQueryHandler(renew, pattern=r"^renew:")]
