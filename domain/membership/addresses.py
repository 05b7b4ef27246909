"""Where a member is reached on each channel: a Telegram chat id, or a phone number for SMS
and WhatsApp. An address is personal data: it is sealed in the member's record (under the
field below) and found again only by its keyed digest (see chat_links.py)."""

import re

from domain.kernel.errors import InvalidRequest

# network -> (the field in the member's sealed record, the contact channel the read side shows)
ADDRESS_FIELDS = {
    "telegram": ("telegram_chat", "bot"),
    "sms": ("sms_number", "sms"),
    "whatsapp": ("whatsapp_number", "whatsapp"),
}
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def checked_address(network: str, address: int | str) -> int | str:
    """A chat id for Telegram; a phone number in international form (+447700900123) otherwise."""
    if network not in ADDRESS_FIELDS:
        raise InvalidRequest(f"Unknown channel {network!r}; members talk to the trust on: {', '.join(ADDRESS_FIELDS)}.")
    if network == "telegram":
        if isinstance(address, bool) or not isinstance(address, int):
            raise InvalidRequest("A Telegram chat is known by its number.")
        return address
    if "(0)" in str(address).replace(" ", ""):  # "+44 (0)7700 ...": the 0 is dialled at home only
        raise InvalidRequest("A phone number in international form has no (0): write +447700900123.")
    number = re.sub(r"[\s()-]", "", str(address))
    if not _E164.match(number):
        raise InvalidRequest("A phone number must be in international form, like +447700900123.")
    return number
