"""The conversation's messages in a Telegram chat (adapters.conversation.messages).

- A ``Reply``: a message, its choices as inline buttons whose callback data is the choice's value.
- A ``Document``: a file.
- After a tap on a button (a callback query) the tap is always answered, and the first reply is
  shown as its ``shown`` says: in place of the message whose button was pressed (the default:
  its buttons go with it), below that message's text, beside it (a new message, the pressed one
  left as it was: a ballot to vote again on), or as the tap's answer, a notice over the chat that
  changes no message (a stale button). Every other reply is a new message."""

from io import BytesIO

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from adapters.bot.talk import keyboard, say
from adapters.conversation.messages import BELOW, BESIDE, NOTICE, Document, Message, Reply

MAX_NOTICE = 200  # characters Telegram shows in a tap's answer


async def show(update: Update, messages: list[Message]) -> None:
    rest = list(messages)
    query = update.callback_query
    if query is not None:
        first = rest[0] if rest else None
        if isinstance(first, Reply) and first.shown == NOTICE and len(first.text) <= MAX_NOTICE:
            await answer(query, first.text)
            rest.pop(0)
        else:
            await answer(query)
            if isinstance(first, Reply) and first.shown not in (BESIDE, NOTICE) and await in_place(query, first):
                rest.pop(0)
    for message in rest:
        await send(update, message)


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer the tap; a redelivered tap's query may be too old to answer, and that is fine."""
    try:
        await query.answer(text)
    except BadRequest:
        pass


async def in_place(query: CallbackQuery, reply: Reply) -> bool:
    """Show ``reply`` in place of the message whose button was pressed (or below its text);
    False if that message cannot be changed (too old, or gone), so the reply goes as a new one."""
    pressed = query.message
    if pressed is None or not pressed.is_accessible:
        return False
    text = reply.text
    shown = getattr(pressed, "text", None)
    if reply.shown == BELOW and shown:
        text = f"{shown}\n\n{reply.text}"
    try:
        await query.edit_message_text(text, reply_markup=keyboard(reply))
    except BadRequest as refused:
        return "not modified" in str(refused).lower()  # the same words and buttons again: shown already
    return True


async def send(update: Update, message: Message) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if isinstance(message, Document):
        await chat.send_document(BytesIO(message.content), filename=message.filename, caption=message.caption)
    else:
        await say(update, message)
