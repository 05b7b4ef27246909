"""The funds the trust told a member of, as /mydata lists them: each with its funder and, when the
member shared its application pack, the day; else until when it is open (replies are in the portal)."""

from datetime import datetime

from adapters.conversation.texts import Translate, day


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
