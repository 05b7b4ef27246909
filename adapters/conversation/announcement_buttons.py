"""The buttons an announcement's action asks for: "Renew" on an offer to renew a consent, "Share my
application pack" on a fund the member was told of; none for a plain announcement."""

from adapters.conversation.fund_replies import share_buttons
from adapters.conversation.messages import Button
from adapters.conversation.renewal_replies import renew_buttons
from adapters.conversation.texts import Translate


def announcement_buttons(_: Translate, action: dict | None) -> list[list[Button]]:
    return renew_buttons(_, action) or share_buttons(_, action)
