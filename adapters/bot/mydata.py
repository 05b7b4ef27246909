"""My data (/mydata): what the trust holds about the member, who could see it now,
and who actually read it and when; the whole of it as a JSON file on request."""

import json
from datetime import datetime
from io import BytesIO
from uuid import UUID

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from adapters.bot.talk import Context, language, member_of, read, say, services, texts
from adapters.conversation import member_replies, replies
from adapters.conversation.texts import Translate, day
from projections.staff.read_handlers import STAFF_READ

READS = ("read", "read refused", STAFF_READ)


def _for_member(_: Translate, entry: dict, language: str) -> dict:
    """A history entry as the member sees it: the trust's staff by their role, never
    by username, and their reads by the day only (the trustees' history keeps who
    it was and when to the second)."""
    who = {
        "caseworker": _("a caseworker of the trust"),
        "trustee": _("a trustee of the trust"),
        "operator": _("an operator of the trust"),
    }.get(entry["actor"].partition(":")[0])
    if who is None:
        return entry
    if entry["what"] != STAFF_READ:
        return {**entry, "actor": who}
    on = entry["recorded_at"]
    text = _("{who}, on {date}").format(who=who[:1].upper() + who[1:], date=day(on, language))
    return {**entry, "actor": who, "text": text, "recorded_at": on.date(), "effective_at": on.date()}


async def _gather(update: Update, context: Context, member_id: UUID) -> dict:
    svc, _ = services(context), texts(update, context)
    now = svc.clock()
    held = await read(svc.trust.member_personal_data, member_id) or {}
    card = await read(svc.views.member_card, member_id)
    history = [_for_member(_, e, language(update, context)) for e in await read(svc.views.history, member_id)]
    return {
        "held": {**held, "reference_code": card["reference_code"], "status": card["status"]},
        "consents": await read(svc.views.consents, member_id, now),
        "could_see_now": await read(svc.views.who_could_see, member_id, now),
        "reads": [entry for entry in history if entry["what"] in READS],
        "history": history,
        "as_of": now,
    }


async def show(update: Update, context: Context) -> None:
    _ = texts(update, context)
    member_id = await member_of(update, context)
    if member_id is None:
        await say(update, replies.not_a_member(_))
        return
    facts = await _gather(update, context, member_id)
    catalogue = services(context).catalogue
    await say(
        update,
        member_replies.my_data(
            _, catalogue, facts["held"], facts["could_see_now"], facts["reads"], language(update, context)
        ),
    )


async def download(update: Update, context: Context) -> None:
    query, _ = update.callback_query, texts(update, context)
    member_id = await member_of(update, context)
    if member_id is None:
        await query.answer(replies.stale_button(_))  # type: ignore[union-attr]
        return
    await query.answer()  # type: ignore[union-attr]
    facts = await _gather(update, context, member_id)
    document = json.dumps(facts, default=_plain, indent=2, ensure_ascii=False).encode("utf-8")
    await update.effective_chat.send_document(  # type: ignore[union-attr]
        BytesIO(document), filename="my-data.json", caption=_("Everything the trust holds about you, as a file.")
    )


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # ids


def handlers() -> list:
    return [CommandHandler("mydata", show), CallbackQueryHandler(download, pattern=r"^mydata:file$")]
