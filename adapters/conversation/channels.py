"""The channels members talk to the trust on, as the conversation sees them: how a decision
taken there is recorded (the actor, and the channel it was collected by), what the phone can
show, and the words that name the commands there.

On Telegram a command is ``/consents``. On SMS and WhatsApp it is a word (CONSENTS), and two of
Telegram's commands cannot be words there: START is the carriers' word for taking messages
again and CANCEL one of their words for stopping them, so joining is JOIN and leaving a
conversation half-way is MENU. Texts are written once with the Telegram commands; each channel's
renderer puts its own words in (``command_words``)."""

import re
from dataclasses import dataclass

from domain.kernel.actors import Actor

# Commands in the order help lists them. (TERMS sends the whole membership terms: for SMS.)
COMMANDS = (
    "start",
    "consents",
    "mydata",
    "share",
    "compare",
    "details",
    "vote",
    "panel",
    "ask",
    "portal",
    "here",
    "leave",
    "forget",
    "help",
    "cancel",
    "terms",
)
_WORD_FOR = {"start": "JOIN", "cancel": "MENU"}
_COMMAND_TOKEN = re.compile(r"(?<![\w/])/(" + "|".join(COMMANDS) + r")\b")


@dataclass(frozen=True)
class Channel:
    network: str  # where the member's address is linked: telegram, sms, whatsapp
    collected_via: str  # how a consent or registration taken here is recorded ("bot": Telegram)
    actor: Actor
    short: bool  # SMS: short texts, summaries with the whole text on request, numbered choices
    sends_files: bool  # my data as a file
    # Telegram: a member stops messages by blocking the bot (recorded when a message to them is
    # refused) and can only write to a bot they have not blocked, so any message from them starts
    # messages again; the carriers' STOP and START words are ordinary text there.
    stopped_by_blocking: bool = False

    def word(self, command: str) -> str:
        """How a member names the command here: /consents on Telegram, CONSENTS elsewhere."""
        if self.network == "telegram":
            return f"/{command}"
        return _WORD_FOR.get(command, command.upper())

    def command_words(self, text: str) -> str:
        """The text with this channel's words for the commands it names."""
        if self.network == "telegram":
            return text
        return _COMMAND_TOKEN.sub(lambda found: self.word(found.group(1)), text)

    def command_in(self, typed: str) -> str | None:
        """The command a typed message names, if it is one ("consents", "/consents", "Join")."""
        word = typed.strip().lower().removeprefix("/")
        if word in ("join", "start"):
            return "start"
        if word in ("menu", "cancel"):
            return "cancel"
        return word if word in COMMANDS else None


TELEGRAM = Channel(
    "telegram", "bot", Actor("member", "via bot"), short=False, sends_files=True, stopped_by_blocking=True
)
SMS = Channel("sms", "sms", Actor("member", "via sms"), short=True, sends_files=False)
WHATSAPP = Channel("whatsapp", "whatsapp", Actor("member", "via whatsapp"), short=False, sends_files=False)
CHANNELS = {channel.network: channel for channel in (TELEGRAM, SMS, WHATSAPP)}
