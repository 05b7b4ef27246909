"""What the chat says about the members' web portal: the one-time link, or that it is not open here."""

from adapters.conversation.replies import Reply
from adapters.conversation.texts import Translate, ngettext


def link(_: Translate, url: str, minutes: int) -> Reply:
    works = ngettext(
        "It works once, within {count} minute.", "It works once, within {count} minutes.", minutes, _
    ).format(count=minutes)
    return Reply(
        _("Your link to the members' web portal, for you alone:")
        + f"\n{url}\n"
        + works
        + " "
        + _("Do not pass it on: anyone who opens it can act for you there until you sign out.")
    )


def not_open(_: Translate) -> Reply:
    return Reply(
        _(
            "The members' web portal is not open on this trust's chat yet. "
            "A caseworker can give you a link to it: send /ask to write to one."
        )
    )
