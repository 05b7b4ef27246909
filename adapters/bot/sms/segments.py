"""SMS length as carriers count it: the encoding a text forces and the segments it takes.

A text goes as GSM-7 (3GPP TS 23.038 §6.2.1: the 128-character default alphabet, one septet each, plus the
extension table reached by an escape, two septets each: form feed ``^ { } \\ [ ~ ] | €``) when every character is in
those two tables, otherwise the whole text goes as UCS-2, counted in UTF-16 code units (a character outside the
Basic Multilingual Plane, e.g. most emoji, takes two).

One segment holds 140 octets: 160 septets or 70 UCS-2 units. A longer text is concatenated, each part giving 6 octets
to the User Data Header, leaving 153 septets or 67 units a part; an escape and the character it escapes never go in
different parts, nor do the two halves of a surrogate pair (so a part may hold one fewer).

Sources checked: Twilio's glossary "What is the SMS character limit?" and "What is UCS-2 character encoding?"
(https://www.twilio.com/docs/glossary/what-sms-character-limit,
https://www.twilio.com/docs/glossary/what-is-ucs-2-character-encoding: 160/70, a 6-byte header leaving 153/67, any
non-GSM-7 character makes the whole message UCS-2), and Twilio's open-source segment calculator
(github.com/TwilioDevEd/message-segment-calculator, src/libs/SegmentedMessage.ts: a character that does not fit in
the room left in a part starts the next part, so an escape pair or a surrogate pair is never split; the examples of
its tests/index.test.js are among ours). One difference: that calculator keeps a whole grapheme cluster (e.g. emoji
joined by ZWJ) in one part; we keep only code points whole, which can count one segment fewer for such text near a
boundary. Not modelled: Twilio's optional Smart Encoding (which would replace e.g. curly quotes with GSM-7 ones; off
unless enabled on a Messaging Service) and national language shift tables.
"""

from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

# The GSM 03.38 default alphabet, in code order 0x00-0x7F (0x1B, the escape, is not a character of its own).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The default extension table: each is sent as ESC + code, two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}


def encoding(text: str) -> Encoding:
    """ "GSM-7" if every character is in the default alphabet or its extension table, else "UCS-2"."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return "GSM-7"
    return "UCS-2"


def _units(text: str, enc: Encoding) -> list[int]:
    """The size of each character in the encoding's units (septets or UTF-16 code units); never split one."""
    if enc == "GSM-7":
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def length(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes, as a segment counter shows it."""
    return sum(_units(text, encoding(text)))


def segments(text: str) -> int:
    """How many SMS segments the text is sent (and billed) as; an empty text is one segment."""
    enc = encoding(text)
    units = _units(text, enc)
    if sum(units) <= SINGLE[enc]:
        return 1
    part, count, used = PART[enc], 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def fits(text: str, max_segments: int = 2) -> bool:
    """Whether the text goes in at most ``max_segments`` segments."""
    return segments(text) <= max_segments
