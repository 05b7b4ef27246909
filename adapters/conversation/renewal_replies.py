"""What the trust says about renewing a consent that ends soon: the "Renew" choice an
announcement carries, and what a renewal did. Pure functions from facts to a ``Reply``."""

from datetime import datetime
from uuid import UUID

from adapters.conversation.messages import Button, Reply
from adapters.conversation.texts import Translate, moment

PREFIX = "renew:"  # renew:<consent id, 32 hex>:<offered expiry, Unix seconds>: 49 bytes of Telegram's 64


def renew_buttons(_: Translate, action: dict | None) -> list[list[Button]]:
    """The button an announcement's action asks for (none for a plain announcement)."""
    if not action or "renew" not in action:
        return []
    offered = int(datetime.fromisoformat(action["expires_at"]).timestamp())
    return [[(_("Renew"), f"{PREFIX}{UUID(action['renew']).hex}:{offered}")]]


def renewed(_: Translate, title: str, audience: str, until: datetime, language: str = "en") -> str:
    return _("Renewed: {title} for {audience}, now until {until}.").format(
        title=title, audience=audience, until=moment(until, language)
    )


def already_renewed(_: Translate, title: str, until: datetime, language: str = "en") -> str:
    return _("Already renewed: {title} runs until {until}. Nothing was changed.").format(
        title=title, until=moment(until, language)
    )


def ended(_: Translate, title: str, withdrawn: bool) -> Reply:
    if withdrawn:
        text = _("Your consent for {title} was withdrawn, so it cannot be renewed; nothing was changed.")
    else:
        text = _("Your consent for {title} has already ended, so it cannot be renewed; nothing was changed.")
    return Reply(text.format(title=title) + " " + _("You can give it again with /consents."))
