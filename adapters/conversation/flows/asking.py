"""Asking the trust for a person (/ask): the member writes their message in one message, and it
goes to the caseworkers' queue, sealed under the member's key, recorded by the trust's one
command for it with the member as actor and the channel they wrote on.

Only members can ask: a message is personal data, kept sealed under the member's own key so
that erasure destroys it; someone who has not joined (or is half-way through joining) has no
key, so the trust keeps nothing from them and tells them how to join or reach a person."""

from adapters.conversation import help_replies, replies
from adapters.conversation.talk import FREE_TEXT, Talk
from domain.help.commands import ADDED, ALREADY_SENT, MAX_MESSAGE
from domain.kernel.errors import InvalidRequest

FLOW = "ask"


def show(talk: Talk) -> None:
    if talk.member_id is None:
        reply = help_replies.not_a_member(talk._)
        if talk.draft.get("flow"):  # half-way through joining: that question is still open
            reply = replies.Reply(reply.text + "\n\n" + replies.answer_above(talk._))
        talk.say(reply)
        return
    talk.draft.clear()
    talk.draft.update(flow=FLOW)
    talk.draft[FREE_TEXT] = True  # a typed number ("12") is the message itself
    talk.say(help_replies.ask_for_message(talk._, MAX_MESSAGE, no_number=not _reachable(talk)))


def _reachable(talk: Talk) -> bool:
    """Whether a caseworker has a way to get back to the member: a number they write from
    (SMS, WhatsApp) or a contact the trust holds. A chat on Telegram alone is not one."""
    held = talk.trust.member_personal_data(talk.member_id) or {}
    return any(held.get(field) for field in ("sms_number", "whatsapp_number", "contact"))


def leave(talk: Talk) -> None:
    """The member did something else (another command, a tap): the next text is not the message."""
    if talk.draft.get("flow") == FLOW:
        talk.draft.clear()


def typed(talk: Talk, text: str) -> bool:
    if talk.draft.get("flow") != FLOW:
        return False
    if talk.member_id is None:  # left or erased (on another channel) since asking
        talk.draft.clear()
        talk.say(help_replies.not_a_member(talk._))
        return True
    message = (talk.said.text or "").strip()  # as typed, its line breaks kept
    if len(message) > MAX_MESSAGE:
        talk.say(help_replies.too_long(talk._, len(message), MAX_MESSAGE))
        return True
    try:
        outcome = talk.act(talk.trust.ask_for_help, talk.member_id, message, talk.channel.network, talk.actor)
    except InvalidRequest:
        talk.say(help_replies.not_words(talk._))
        return True
    talk.draft.clear()
    if outcome == ADDED:
        talk.say(help_replies.added(talk._))
    elif outcome == ALREADY_SENT:
        talk.say(help_replies.already_sent(talk._))
    else:
        talk.say(help_replies.sent(talk._))
    return True
