"""The funds the trust told a member of: the button the announcement of a fund carries, what the
member is told when it shares its application pack that way, and the funds as /mydata lists them,
each with its funder and, once shared, the day; else until when it is open."""

from datetime import datetime
from uuid import UUID

from adapters.conversation.messages import Button, Reply
from adapters.conversation.texts import Translate, day

PREFIX = "fund:"  # fund:<fund id, 32 hex>: 37 bytes of Telegram's 64


def share_buttons(_: Translate, action: dict | None) -> list[list[Button]]:
    """The one button an announcement of a fund carries (none for any other announcement)."""
    if not action or "fund" not in action:
        return []
    return [[(_("Share my application pack"), f"{PREFIX}{UUID(action['fund']).hex}")]]


def shared(_: Translate, funder: str, title: str) -> str:
    return _(
        "Shared: {funder} may now read your application pack for {title} (your organisation's profile, "
        "funding history and how to reach you). You can withdraw it with /consents."
    ).format(funder=funder, title=title)


def already_shared(_: Translate, title: str, on: datetime, language: str = "en") -> Reply:
    text = _("You already shared your application pack for {title}, on {date}. Nothing was changed.")
    return Reply(text.format(title=title, date=day(on, language)))


def closed(_: Translate, title: str, on: datetime, language: str = "en") -> Reply:
    text = _("{title} closed on {date}, so it takes no more replies. Nothing was changed.")
    return Reply(text.format(title=title, date=day(on, language)))


def funds_told(_: Translate, funds: list[dict], now: datetime, language: str = "en") -> str:
    """The funds the member was told of, newest first ("" when none)."""
    if not funds:
        return ""
    lines = [_("Funds the trust told you of:")]
    for fund in funds:
        if fund["shared_at"] is not None:
            reply = _("you shared your application pack on {date}").format(date=day(fund["shared_at"], language))
        elif fund["closes_at"] > now:
            reply = _("open until {date}; to apply, share your application pack in the members' portal").format(
                date=day(fund["closes_at"], language)
            )
        else:
            reply = _("closed on {date}").format(date=day(fund["closes_at"], language))
        lines.append(
            "• " + _("{title}, from {funder}: {reply}").format(title=fund["title"], funder=fund["funder"], reply=reply)
        )
    return "\n".join(lines)
