"""The conversation's messages as WhatsApp messages, within the Cloud API's limits
(https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
.../interactive-list-messages):

- up to 3 choices whose labels fit in 20 characters: reply buttons;
- up to 10 choices whose labels fit in 24 characters (or 72, as a row's description): a list;
- more: the text with numbered lines, as by SMS (a typed number picks one);
- an interactive message's body holds 1,024 characters and a text 4,096: a longer text goes first
  as text messages (split at line ends), then the choices with a short prompt.

Each choice's id is the conversation's value for it (at most 256 characters), so a tap comes back
exactly as a Telegram button's data does."""

from dataclasses import dataclass, field

from pywa.types import Button, Section, SectionList, SectionRow

from adapters.conversation.messages import Message, Reply

MAX_BUTTONS, MAX_BUTTON_TITLE = 3, 20
MAX_ROWS, MAX_ROW_TITLE, MAX_ROW_DESCRIPTION = 10, 24, 72
MAX_BODY, MAX_TEXT = 1024, 4096
MAX_ID = 256


@dataclass
class Outgoing:
    """One message to send: ``send_message(to, text, buttons=...)``."""

    text: str
    buttons: list[Button] | SectionList | None = None
    numbered: list[str] = field(default_factory=list)  # values, in order, when shown as numbered lines


def messages(replies: list[Message], choose: str = "Choose") -> list[Outgoing]:
    """Each reply as WhatsApp messages. ``choose`` labels a list's button (and prompts choices after a long text)."""
    out: list[Outgoing] = []
    for reply in replies:
        if not isinstance(reply, Reply):
            continue
        choices = [(label, value) for label, value in reply.choices if len(value) <= MAX_ID]
        if not choices:
            out += [Outgoing(part) for part in split(reply.text, MAX_TEXT)]
            continue
        body = reply.text
        if len(body) > MAX_BODY:
            *before, body = split(body, MAX_BODY)
            out += [Outgoing(part) for part in before]
        out.append(_with_choices(body or choose, choices, choose))
    return out


def _with_choices(body: str, choices: list[tuple[str, str]], choose: str) -> Outgoing:
    if len(choices) <= MAX_BUTTONS and all(len(label) <= MAX_BUTTON_TITLE for label, _v in choices):
        return Outgoing(body, [Button(title=label, callback_data=value) for label, value in choices])
    if len(choices) <= MAX_ROWS and all(len(label) <= MAX_ROW_DESCRIPTION for label, _v in choices):
        rows = [_row(label, value) for label, value in choices]
        return Outgoing(
            body, SectionList(button_title=choose[:MAX_BUTTON_TITLE], sections=[Section(title=choose[:24], rows=rows)])
        )
    lines = [body] + [f"{number} {label}" for number, (label, _v) in enumerate(choices, start=1)]
    return Outgoing("\n".join(lines)[:MAX_TEXT], None, [value for _label, value in choices])


def _row(label: str, value: str) -> SectionRow:
    if len(label) <= MAX_ROW_TITLE:
        return SectionRow(title=label, callback_data=value)
    return SectionRow(title=label[: MAX_ROW_TITLE - 1] + "…", callback_data=value, description=label)


def split(text: str, limit: int) -> list[str]:
    """The text in parts of at most ``limit`` characters, broken at line ends where it can be."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        joined = f"{current}\n{line}" if current else line
        if len(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = line
    if current:
        parts.append(current)
    return parts
