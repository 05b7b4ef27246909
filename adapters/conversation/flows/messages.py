"""Stopping and starting the trust's messages on a channel (STOP, START and the carriers' other
words), and HELP. Stopping messages is never withdrawing consent: it is recorded as its own
event, the member is told their consents are unchanged and how to withdraw if they meant that."""

from adapters.conversation import replies
from adapters.conversation.talk import Talk

# Twilio's default opt-out and opt-in keywords, which carriers honour; WhatsApp uses the same.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def stop(talk: Talk) -> None:
    """STOP from a member: recorded (once) as stopping messages here. On SMS the carrier answers
    a STOP itself, so the trust says nothing more; elsewhere it confirms."""
    talk.draft.clear()
    if talk.member_id is not None and not talk.views.messages_stopped_on(talk.member_id, talk.channel.network):
        talk.act(talk.trust.stop_messages, talk.member_id, talk.channel.network, "stop-word", talk.actor)
    if talk.channel.network != "sms":
        talk.say(replies.messages_stopped(talk._))


def start(talk: Talk) -> None:
    """START from a member who stopped messages here: they take them again (their consents are as they were)."""
    assert talk.member_id is not None
    talk.act(talk.trust.start_messages, talk.member_id, talk.channel.network, talk.actor)
    talk.say(replies.messages_started(talk._))


def news_here(talk: Talk) -> None:
    """HERE (/here): the member wants the trust's news on this channel first (their other
    channels are used only when this one is stopped); recorded, and their history says so."""
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    changed = talk.act(talk.trust.prefer_channel, talk.member_id, talk.channel.network, talk.actor)
    talk.say(replies.news_here(talk._, already=not changed))


def help_text(talk: Talk) -> None:
    reply = replies.help_text(talk._, talk.channel.short)
    if talk.channel.network != "telegram" and not talk.channel.short:
        reply = replies.Reply(reply.text + "\n" + replies.stop_line(talk._))
    if talk.draft.get("flow"):
        reply = replies.Reply(reply.text + "\n\n" + replies.answer_above(talk._))
    talk.say(reply)
