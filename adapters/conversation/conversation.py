"""The members' conversation, channel-neutral: one message in, what the trust answers out.

A channel adapter (Telegram, SMS, WhatsApp) hands each message over as ``Said`` (typed text,
or the value of a choice the member picked, and the provider's id for the message) with the
member's address, and renders the ``Reply``/``Document`` list that comes back. Everything else is
here, once for every channel: which member the address belongs to, where their conversation
stands (a sealed draft that survives restarts), the flows, and the rule that a message changes
the history at most once.

How a message is read, in order:
1. a redelivery of a message already handled: nothing (it was answered the first time);
2. a typed number picks from the choices last offered ("Reply 1 to ..."), and a typed choice's
   label picks it too; a number with nothing to choose, or out of range, says so;
3. the carriers' STOP and START words (on Telegram, where blocking the bot stops messages, any
   message starts them again), then the commands (JOIN, CONSENTS, ... or /consents);
4. a picked choice, by the flow its value names; typed text, by the flow in progress.
A member who last agreed to older membership terms is asked about the new ones before a command
or a message outside any flow (at most once a day; their rights never wait: flows/terms_change.py)."""

import logging
import re
from dataclasses import replace

from adapters.conversation import replies
from adapters.conversation.channels import Channel
from adapters.conversation.flows import (
    asking,
    comparing,
    consents,
    details,
    funds,
    joining,
    leaving,
    messages,
    mydata,
    panels,
    portal,
    renewing,
    sharing,
    terms_change,
    voting,
)
from adapters.conversation.messages import Message, Said
from adapters.conversation.talk import FREE_TEXT, NUMBER_ANSWERS, Talk
from domain.kernel.errors import TrustError
from domain.store.once import AlreadyHandled

log = logging.getLogger(__name__)
# The commands that only show their flow's first step.
SHOWN = {
    "mydata": mydata.show,
    "share": sharing.show,
    "compare": comparing.show,
    "details": details.show,
    "ask": asking.show,
    "portal": portal.show,
    "vote": voting.show,
    "panel": panels.show,
    "here": messages.news_here,
}
CHOICE_FLOWS = (joining, consents, voting, renewing, funds, leaving, panels, mydata, details, sharing)
TYPED_FLOWS = (joining, panels, details, asking, sharing, voting)
UNKNOWN_COMMAND = re.compile(r"/\w+")  # "/whatever": a command the trust does not have, never a name or an answer


class Conversation:
    def __init__(self, services, channel: Channel):  # type: ignore[no-untyped-def]
        self.services, self.channel = services, channel

    def answer(self, address: int | str, said: Said) -> list[Message]:
        """The trust's answer to one message (empty for a redelivery, or after STOP on SMS)."""
        if self.services.trust.was_handled(said.key):
            return []
        talk = Talk(self.services, self.channel, address, said)
        try:
            self._read(talk)
            return [self._in_channel_words(message) for message in talk.finish()]
        except AlreadyHandled:  # another delivery of this message got there first, and answered
            return []
        except TrustError as error:  # a command refused (the store busy, say): nothing was recorded
            log.warning("A member's message was not acted on: %s", type(error).__name__)  # never the text
            return [self._in_channel_words(replies.went_wrong(talk._))]

    def _in_channel_words(self, message: Message) -> Message:
        if isinstance(message, replies.Reply):
            words = self.channel.command_words
            rows = [[(words(label), value) for label, value in row] for row in message.buttons]
            return replace(message, text=words(message.text), buttons=rows)
        return message

    def _read(self, talk: Talk) -> None:
        said, _ = talk.said, talk._
        choice, text = said.choice, (said.text or "").strip()
        if self.channel.stopped_by_blocking:
            self._unblocked(talk)
        if choice is None and text:
            choice, refused = self._picked(talk, text)
            if refused is not None:
                talk.say(refused)
                return
        if choice is None:
            self._typed(talk, text)
            return
        asking.leave(talk)  # a tap on any choice ends the wait for a message to the caseworkers
        if choice.upper() in messages.STOP_WORDS:  # a "Stop messages" button (e.g. on a WhatsApp template)
            messages.stop(talk)
            return
        answered, waiting = terms_change.chosen(talk, choice)
        if answered:
            if waiting is not None:  # what they asked for before the question about the new terms
                if talk.recorded:  # its own key: the agreement took the message's (a redelivery stops there)
                    talk.said = replace(talk.said, key=f"{talk.said.key}:then"[-200:])
                self._typed(talk, waiting, asked_first=False)
            return
        if not any(flow.chosen(talk, choice) for flow in CHOICE_FLOWS):
            talk.say(replies.stale(_))

    def _typed(self, talk: Talk, text: str, asked_first: bool = True) -> None:
        """Typed text (not a pick): the carriers' words, a command, or an answer to the flow in progress.
        A member on older membership terms is asked about the new ones first (``asked_first``)."""
        _ = talk._
        word = "" if self.channel.stopped_by_blocking else text.upper()  # no STOP/START words there
        if word in messages.STOP_WORDS:
            messages.stop(talk)
            return
        if (
            word in messages.START_WORDS
            and talk.member_id is not None
            and talk.views.messages_stopped_on(talk.member_id, self.channel.network)
        ):
            messages.start(talk)
            return
        command = self.channel.command_in(text) or ("help" if text.upper() in messages.HELP_WORDS else None)
        if asked_first and terms_change.asks_first(talk, text, command):
            return
        if command is not None:
            self._command(talk, command)
            return
        if sharing.named(talk, text):  # "/share wellbeing": a command with the category's name
            return
        if UNKNOWN_COMMAND.fullmatch(text):
            flowing = talk.draft.get("flow")
            talk.say(replies.Reply(replies.answer_above(_)) if flowing else replies.not_understood(_))
            return
        if any(flow.typed(talk, text) for flow in TYPED_FLOWS):
            return
        talk.say(replies.not_understood(_, self.channel.short))

    @staticmethod
    def _unblocked(talk: Talk) -> None:
        """A member who blocked the bot (so messages to them were stopped) writes to it again: they
        take its messages again. Not the message's one command: that may still come (start_messages
        records nothing when messages were not stopped, so a redelivery changes nothing)."""
        if talk.member_id is not None and talk.views.messages_stopped_on(talk.member_id, talk.channel.network):
            talk.trust.start_messages(talk.member_id, talk.channel.network, talk.actor)

    def _picked(self, talk: Talk, text: str) -> tuple[str | None, "replies.Reply | None"]:
        """(the choice a typed number or label picks, or what to say when a number picks nothing)."""
        offered = talk.draft.get("choices") or []
        if text.isdigit() and len(text) <= 3:
            if self._expects_digits(talk) and (talk.draft.get(NUMBER_ANSWERS) or not 1 <= int(text) <= len(offered)):
                return None, None  # not one of the numbers shown: the answer itself
            if not offered:
                return None, replies.no_choice_waiting(talk._, talk.channel.short)
            number = int(text)
            if not 1 <= number <= len(offered):
                return None, replies.not_a_choice(talk._, len(offered))
            return offered[number - 1][1], None
        for label, value in offered:
            if text.casefold() == self.channel.command_words(label).casefold():
                return value, None
        return None, None

    @staticmethod
    def _expects_digits(talk: Talk) -> bool:
        """A question that takes typed text (a panel's free-text question, a typed profile answer):
        there a number that is none of those shown ("12" beside "1 Skip this question") is the answer."""
        return bool(talk.draft.get(FREE_TEXT))

    def _command(self, talk: Talk, command: str) -> None:
        if command != "ask":
            asking.leave(talk)  # another command: the message to the caseworkers is not coming
        if command == "start":
            joining.start(talk)
        elif command == "cancel":
            if talk.draft.get("flow") == joining.FLOW:
                joining.cancel(talk)
            elif talk.draft.get("flow") == sharing.FLOW:
                sharing.cancel(talk)
            else:
                talk.draft.clear()
                talk.say(replies.help_text(talk._, talk.channel.short))
        elif command == "help":
            messages.help_text(talk)
        elif command == "terms":
            if not terms_change.whole_terms(talk):
                joining.whole_terms(talk)
        elif command == "consents":
            talk.draft.clear()
            consents.show(talk)
        elif command in SHOWN:
            SHOWN[command](talk)
        elif command in ("leave", "forget"):
            leaving.ask(talk, command)
