"""The conversation's messages as text messages: numbered choices, plain characters, and each
text at most two segments.

- Choices become numbered lines ("1 I agree"), numbered across the whole answer in the order the
  conversation keeps them, so the member's "1" picks what they read as 1.
- Characters a basic phone shows badly, or that would make the whole text UCS-2 (70 characters
  a segment instead of 160): curly quotes, dashes, bullets and emoji, are given plain GSM-7
  equivalents or dropped. Text in other scripts stays as it is (and is counted as UCS-2).
- A text longer than two segments is split at line ends (or, failing that, between words) into
  several texts of at most two segments each, the choices with the last.
- A file cannot go by SMS: the conversation offers none on this channel."""

import re

from adapters.bot.sms.segments import fits
from adapters.conversation.messages import Message, Reply

MAX_SEGMENTS = 2
PLAIN = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "•": "-",
        "…": "...",
        "\u00a0": " ",
    }
)
# Emoji and pictographs, variation selectors and joiners: decoration, never meaning, in our texts.
_DECORATION = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u25aa-\u25fe]+ ?")


def plain(text: str) -> str:
    return _DECORATION.sub("", text.translate(PLAIN)).strip()


def texts(messages: list[Message]) -> list[str]:
    """Each message as one or more SMS texts of at most two segments, its numbered choices together in the last."""
    out: list[str] = []
    number = 0
    for message in messages:
        if not isinstance(message, Reply):
            continue
        body = "\n".join(line.rstrip() for line in plain(message.text).split("\n"))
        choices = []
        for label, _value in message.choices:
            number += 1
            choices.append(f"{number} {plain(label)}")
        block = "\n".join(choices)
        whole = f"{body}\n{block}" if body and block else body or block
        if fits(whole, MAX_SEGMENTS):
            out.append(whole)
            continue
        parts = split(body) if body else []
        if parts and block and fits(f"{parts[-1]}\n{block}", MAX_SEGMENTS):
            parts[-1] = f"{parts[-1]}\n{block}"
        elif block:
            parts += split(block)
        out += parts
    return out


def split(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """The text in parts of at most ``max_segments`` segments: whole lines where they fit, else filled word by word."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        joined = f"{current}\n{line}" if current else line
        if fits(joined, max_segments):
            current = joined
            continue
        if fits(line, max_segments):
            parts.append(current)
            current = line
            continue
        for number, word in enumerate(line.split(" ")):  # a line too long for one text: fill this one, go on
            glue = ("\n" if number == 0 else " ") if current else ""
            if fits(current + glue + word, max_segments):
                current += glue + word
            else:
                parts.append(current)
                current = word
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]
