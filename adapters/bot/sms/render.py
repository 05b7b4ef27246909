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
    """Each message as one or more SMS texts of at most two segments."""
    out: list[str] = []
    number = 0
    for message in messages:
        if not isinstance(message, Reply):
            continue
        lines = [plain(message.text)]
        for label, _value in message.choices:
            number += 1
            lines.append(f"{number} {plain(label)}")
        out += split("\n".join(line for line in lines if line))
    return out


def split(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """The text in parts of at most ``max_segments`` segments, broken at line ends, else between words."""
    if fits(text, max_segments):
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, max_segments):
        joined = f"{current}\n{piece}" if current else piece
        if fits(joined, max_segments):
            current = joined
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return [part for part in parts if part]


def _pieces(text: str, max_segments: int) -> list[str]:
    """Lines, each itself cut between words if it is too long for one text."""
    pieces: list[str] = []
    for line in text.split("\n"):
        if fits(line, max_segments):
            pieces.append(line)
            continue
        current = ""
        for word in line.split(" "):
            joined = f"{current} {word}" if current else word
            if fits(joined, max_segments):
                current = joined
            else:
                pieces.append(current)
                current = word
        pieces.append(current)
    return pieces
