"""What the Telegram adapter's parts share: the services, the member's language, the
network and actor a member's decisions here are recorded with, and a ``Reply``'s buttons."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from adapters.bootstrap import Services
from adapters.conversation.channels import TELEGRAM as CHANNEL
from adapters.conversation.messages import Reply
from adapters.conversation.texts import Translate, language_for, translator

MEMBER_VIA_BOT = CHANNEL.actor
TELEGRAM = CHANNEL.network  # the network this bot talks on
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
