"""What the bot says when a member asks the trust for a person (/ask). Every sentence is
marked for translation; ``_`` is the member's language."""

from adapters.conversation.messages import Reply
from adapters.conversation.texts import Translate


def ask_for_message(_: Translate, limit: int, no_number: bool = False) -> Reply:
    """``no_number``: the trust holds no phone number or contact for them (a member who joined
    on Telegram), so a caseworker could not get back to them unless they give one."""
    text = _(
        "Write your message for the trust's caseworkers, all in one message (at most {limit} characters). "
        "A person will read it. Send /cancel if you change your mind."
    ).format(limit=f"{limit:,}")
    if no_number:
        text += "\n\n" + _(
            "The trust has no phone number or other contact for you: put one in your message, "
            "so that a caseworker can get back to you."
        )
    return Reply(text)


def sent(_: Translate) -> Reply:
    return Reply(
        _(
            "Thank you: your message is with the trust's caseworkers. One of them will get in touch with you "
            "as soon as they can, by phone or by message, using the contact details the trust holds for you. "
            "To add something, send /ask again."
        )
    )


def added(_: Translate) -> Reply:
    return Reply(
        _(
            "Thank you: this is added to the message you sent before, which the caseworkers have not "
            "answered yet. One of them will get in touch with you as soon as they can."
        )
    )


def already_sent(_: Translate) -> Reply:
    return Reply(
        _(
            "You sent this message already; the caseworkers have it. Nothing was added. "
            "One of them will get in touch with you as soon as they can."
        )
    )


def too_long(_: Translate, length: int, limit: int) -> Reply:
    return Reply(
        _(
            "Sorry, your message is {length} characters long and I can pass on at most {limit}. "
            "Nothing was sent. Please write it shorter, in one message, or send /cancel."
        ).format(length=f"{length:,}", limit=f"{limit:,}")
    )


def not_words(_: Translate) -> Reply:
    return Reply(
        _("Sorry, I could not pass that on: nothing was sent. Please write your message in words, or send /cancel.")
    )


def not_a_member(_: Translate) -> Reply:
    return Reply(
        _(
            "I can pass messages to the trust's caseworkers only from members: the trust keeps nothing "
            "from someone who has not joined. Send /start to join (it takes about two minutes), then /ask. "
            "If you need a person to help you join, a caseworker at an advice centre can register you with "
            "a paper form."
        )
    )
