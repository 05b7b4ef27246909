"""What every handler shares: the services, the member's language, sending a
``Reply``, and calling the trust off the event loop, at most once per update."""

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from adapters.bootstrap import Services
from adapters.conversation.replies import Reply
from adapters.conversation.texts import Translate, language_for, translator
from domain.kernel.actors import Actor

MEMBER_VIA_BOT = Actor("member", "via bot")
TELEGRAM = "telegram"  # the network this bot talks on
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    return context.application.bot_data["services"]


def language(update: Update, context: Context) -> str:
    user = update.effective_user
    return language_for(user.language_code if user else None, context.application.bot_data["language"])


def texts(update: Update, context: Context) -> Translate:
    return translator(language(update, context))


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in reply.buttons]
    )


async def say(update: Update, reply: Reply) -> None:
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(reply.text, reply_markup=keyboard(reply))


async def replace(update: Update, reply: Reply) -> None:
    """Show ``reply`` in place of the message whose button was pressed (its buttons go with it)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
    else:
        await say(update, reply)


async def read(function: Callable[..., T], *args: Any) -> T:
    """A query to the trust, off the event loop."""
    return await asyncio.to_thread(function, *args)


async def act(update: Update, context: Context, command: Callable[..., T], *args: Any) -> T:
    """One trust command for this update, off the event loop. Recorded with the
    update's id, so if Telegram delivers the update again (even after a restart)
    the command raises AlreadyHandled and records nothing."""
    trust = services(context).trust
    key = f"telegram:{context.bot.id}:{update.update_id}"

    def once() -> T:
        with trust.once(key):
            return command(*args)

    return await asyncio.to_thread(once)


async def member_of(update: Update, context: Context) -> UUID | None:
    chat = update.effective_chat
    if chat is None:
        return None
    svc = services(context)
    member_id = await read(svc.trust.member_for_chat, chat.id)
    if member_id is not None and await read(svc.views.messages_stopped_on, member_id, TELEGRAM):
        # They had blocked the bot and now write to it again: they take its messages again.
        await read(svc.trust.start_messages, member_id, TELEGRAM, MEMBER_VIA_BOT)
    return member_id
