"""SMS through Twilio's REST API (the ``twilio`` package's Client with its aiohttp client, adapters.bot.sms.client).

Twilio sends a long code's messages at about one SEGMENT a second (configurable:
DATATRUST_TWILIO_MESSAGES_PER_SECOND), so turns are weighed by each message's segments
(GSM-7 or UCS-2, adapters.bot.sms.segments), a little below the rate so network jitter never
makes two arrive closer than it allows. A 429 (Twilio's error 20429, "never processed and
always safe to retry") is waited out and the same message tried again. A recipient who texted
STOP (21610) has stopped messages here; any other refusal of the number is undeliverable;
a refused account (401 / 20003) refuses everyone: NotSent. Each message asks Twilio to post
its delivery status to the trust (adapters.outbox.sms_status)."""

import logging
from dataclasses import dataclass

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from adapters.bot.pacing import Pacing
from adapters.bot.sms import segments
from adapters.conversation.channels import SMS as SMS_WORDS
from adapters.outbox.channels import BLOCKED, SENT, UNDELIVERABLE, WAIT, Channel, NotSent, Outcome, Outgoing

log = logging.getLogger(__name__)
SMS = "sms"
BELOW_THE_RATE = 0.9  # of the configured rate: every gap keeps a tenth for the jitter of a request's arrival
MAX_BODY = 1600  # Twilio's limit for one message body (21617 beyond it)
TURNS_AFTER_429 = 3  # Twilio's 429 names no retry-after: wait as long as the number sends 3 segments
UNSUBSCRIBED = 21610  # "Attempt to send to unsubscribed recipient": they texted STOP to this number
NOT_AUTHENTICATED = (20003, 20404)


def sms_text(text: str) -> str:
    return "Data trust: " + text


def sms_body(message: Outgoing) -> str:
    """The text with the words members text here (CONSENTS for /consents), and what it offers numbered
    as the conversation numbers choices ("1 Renew")."""
    offered = "".join(f"\n{number} {label}" for number, (label, _value) in enumerate(message.choices, start=1))
    return sms_text(SMS_WORDS.command_words(message.text)) + offered


def sms_pacing(per_second: float) -> Pacing:
    """One sender number's pace, by segment; one message to one number at a time is no limit of Twilio's.
    Twilio counts a number's segments as they arrive, and a request can arrive later than its turn (the
    client's thread, the network, a busy machine) and the next one sooner: so turns never come closer
    than the planned rate, not even to make up lateness, and each gap keeps its margin."""
    planned = per_second * BELOW_THE_RATE
    return Pacing(per_second=planned, per_chat=0.0, limit=planned)


@dataclass
class SmsChannel(Channel):
    client: Client | None = None
    from_: str = ""
    status_callback: str | None = None  # where Twilio posts delivery statuses (None: it posts none)

    async def turn(self, address: int | str, message: Outgoing) -> None:
        await self.pacing.turn(address, weight=segments.segments(sms_body(message)))

    async def send(self, address: int | str, message: Outgoing, form: str) -> Outcome:
        body = sms_body(message)
        if len(body) > MAX_BODY:
            return Outcome(UNDELIVERABLE, why=f"longer than one SMS can be ({MAX_BODY} characters)")
        options = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            created = await self.client.messages.create_async(  # type: ignore[union-attr]
                to=str(address), from_=self.from_, body=body, **options
            )
        except TwilioRestException as error:
            return self._refused(error)
        return Outcome(SENT, provider_id=created.sid)

    async def close(self) -> None:
        await self.client.http_client.close()  # type: ignore[union-attr]

    def _refused(self, error: TwilioRestException) -> Outcome:
        code = error.code
        if error.status == 429:
            return Outcome(WAIT, wait=TURNS_AFTER_429 * self.pacing.interval, why=f"429/{code}")
        if error.status == 401 or code in NOT_AUTHENTICATED:
            raise NotSent(f"Twilio refused the account ({code})")
        if code == UNSUBSCRIBED:
            return Outcome(BLOCKED, why=str(code), stop_how="stop-word")
        if 400 <= error.status < 500:
            return Outcome(UNDELIVERABLE, why=str(code))
        raise error  # Twilio's own trouble (5xx): it may or may not have taken it
