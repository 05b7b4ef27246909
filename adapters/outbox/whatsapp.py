"""WhatsApp through Meta's Cloud API (pywa's async client, adapters.bot.whatsapp.client).

Meta's rules, as its error codes document them:
- throughput per business number: 80 messages a second by default (configurable:
  DATATRUST_WHATSAPP_MESSAGES_PER_SECOND), paced a little below it; one customer at most one
  message every 6 seconds (the pair rate). A throttling refusal (4, 80007, 130429 "rate limit
  hit", 131056 "pair rate limit hit": pywa's ThrottlingError) is waited out and tried again;
- outside 24 hours since the member last wrote, a business-initiated message goes only as an
  approved template (the catalogue's [whatsapp.templates] announcement); without one the
  message may not go at all (``form`` says None, and the outbox looks for another channel);
- 131047 (re-engagement: outside the window) is treated, as the issue says, like a block: the
  member stopped messages here; 131026 (not a WhatsApp user, or cannot receive) and the other
  refusals of one message are undeliverable; a refused token or template refuses everyone: NotSent.
A refusal can also come later, as a ``failed`` status in a notification (adapters.outbox.whatsapp_status)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pywa_async
from pywa.errors import (
    AuthorizationError,
    ReEngagementMessage,
    SendMessageError,
    TemplateDisabled,
    TemplateNotExists,
    TemplateParamCountMismatch,
    TemplatePaused,
    ThrottlingError,
    TooManyMessages,
)
from pywa_async.types import Button
from pywa_async.types.templates import BodyText, TemplateLanguage

from adapters.bot.pacing import Pacing
from adapters.conversation.channels import WHATSAPP as WHATSAPP_WORDS
from adapters.conversation.texts import Translate, translator
from adapters.outbox.channels import (
    BLOCKED,
    FREE_FORM,
    SENT,
    TEMPLATE,
    UNDELIVERABLE,
    WAIT,
    Channel,
    NotSent,
    Outcome,
    Outgoing,
    announcement_message,
)
from domain.kernel.catalogue import WhatsAppTemplate

WHATSAPP = "whatsapp"
BELOW_THE_RATE = 0.95
PAIR_RATE_SECONDS = 6.0  # Meta: about one message every 6 seconds to one customer (131056 beyond it)
WINDOW = timedelta(hours=24)  # Meta's customer service window
WINDOW_MARGIN = timedelta(minutes=10)  # a message chosen free-form must arrive while the window is still open
WAIT_AFTER_THROTTLING = 1.0
WAIT_AFTER_PAIR_RATE = PAIR_RATE_SECONDS
TEMPLATE_REFUSED = (TemplateNotExists, TemplateParamCountMismatch, TemplatePaused, TemplateDisabled)


def whatsapp_pacing(per_second: float) -> Pacing:
    return Pacing(per_second=per_second * BELOW_THE_RATE, per_chat=PAIR_RATE_SECONDS, limit=per_second)


def wa_id(address: int | str) -> str:
    """WhatsApp's id of a number: its digits, without the +."""
    return str(address).lstrip("+")


@dataclass
class WhatsAppChannel(Channel):
    client: pywa_async.WhatsApp | None = None
    template: WhatsAppTemplate | None = None  # the catalogue's announcement template, if it has one
    words: Translate = field(default_factory=lambda: translator("en"))  # the trust's language (DATATRUST_BOT_LANGUAGE)
    minds_the_window = True

    def form(self, last_heard: datetime | None, now: datetime) -> str | None:
        if last_heard is not None and now - last_heard < WINDOW - WINDOW_MARGIN:
            return FREE_FORM
        return TEMPLATE if self.template is not None else None

    async def send(self, address: int | str, message: Outgoing, form: str) -> Outcome:
        try:
            if form == TEMPLATE and self.template is not None:
                sent = await self.client.send_template(  # type: ignore[union-attr]
                    to=wa_id(address),
                    name=self.template.name,
                    language=TemplateLanguage(self.template.language),
                    params=[BodyText.params(*self.template.body_values(WHATSAPP_WORDS.command_words(message.text)))]
                    if self.template.body
                    else [],
                )
            else:
                buttons = [Button(title=label, callback_data=value) for label, value in message.choices]
                sent = await self.client.send_message(  # type: ignore[union-attr]
                    to=wa_id(address),
                    text=announcement_message(WHATSAPP_WORDS.command_words(message.text), self.words),
                    buttons=buttons or None,
                )
        except TooManyMessages as error:
            return Outcome(WAIT, wait=WAIT_AFTER_PAIR_RATE, why=str(error.code), chat_only=True)
        except ThrottlingError as error:
            return Outcome(WAIT, wait=WAIT_AFTER_THROTTLING, why=str(error.code))
        except ReEngagementMessage as error:
            return Outcome(BLOCKED, why=str(error.code))
        except TEMPLATE_REFUSED as error:
            raise NotSent(f"Meta refused the catalogue's announcement template ({error.code})") from error
        except AuthorizationError as error:
            raise NotSent(f"Meta refused the access token ({error.code})") from error
        except SendMessageError as error:
            return Outcome(UNDELIVERABLE, why=str(error.code))
        return Outcome(SENT, provider_id=sent.id)

    async def close(self) -> None:
        session = getattr(getattr(self.client, "api", None), "_session", None)
        if session is not None:
            await session.aclose()
