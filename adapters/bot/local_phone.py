"""`datatrust bot --local --channel sms|whatsapp`: the members' conversation in a terminal, as a
member's phone would show it, without Twilio or Meta.

Each line typed is a text from one phone number (``LOCAL_NUMBER``, in Ofcom's range reserved for
drama, so no real member has it) and goes through the same conversation the webhooks use; what
comes back is printed as the channel renders it: numbered texts of at most two segments (with
each one's segment count and encoding) for SMS; text, reply buttons or list rows for WhatsApp,
numbered so that typing a number picks one, as a tap would."""

import uuid
from collections.abc import Iterable
from typing import TextIO

from adapters.bot.sms import render as sms_render
from adapters.bot.sms.segments import encoding, segments
from adapters.bot.whatsapp import render as whatsapp_render
from adapters.conversation.channels import SMS, WHATSAPP
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Document, Said

LOCAL_NUMBER = "+447700900000"  # Ofcom's drama range: never a real member's number


def talk(services, network: str, lines: Iterable[str], out: TextIO) -> None:  # type: ignore[no-untyped-def]
    channel = SMS if network == "sms" else WHATSAPP
    conversation = Conversation(services, channel)
    for line in lines:
        typed = line.rstrip("\n")
        if not typed.strip():
            continue
        answer = conversation.answer(LOCAL_NUMBER, Said(key=f"local:{uuid.uuid4().hex}", text=typed))
        if network == "sms":
            for text in sms_render.texts(answer):
                out.write(f"sms ({segments(text)} segment(s), {encoding(text)}):\n{text}\n\n")
        else:
            shown = whatsapp_render.messages(answer)
            number = 0
            for message in shown:
                out.write(f"whatsapp:\n{message.text}\n")
                for title in _choices(message):
                    number += 1
                    out.write(f"  [{number}] {title}\n")
                out.write("\n")
            for document in (m for m in answer if isinstance(m, Document)):
                out.write(f"whatsapp: (a file, {document.filename}, {len(document.content)} bytes)\n\n")
        if not answer:
            out.write("(no answer)\n\n")
        out.flush()


def _choices(message: whatsapp_render.Outgoing) -> list[str]:
    buttons = message.buttons
    if buttons is None:
        return []
    if isinstance(buttons, list):
        return [button.title for button in buttons]
    return [row.description or row.title for section in buttons.sections for row in section.rows]
