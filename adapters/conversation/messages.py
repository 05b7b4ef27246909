"""The small message model every channel renders: what the trust says in one turn of a
conversation, whatever the member's phone.

- ``Reply``: text, and choices in rows (label, value). Telegram shows the choices as
  buttons, WhatsApp as reply buttons (up to 3) or a list (up to 10), SMS as numbered
  lines ("Reply 1 to ..."); the value comes back when the member picks one.
- ``Document``: a file (my data as JSON) where the channel can send one.
- ``Reply.shown``: how a reply to a picked choice is shown where the channel can change the
  message the choice was picked on (Telegram); SMS and WhatsApp send every reply as new text.
- ``Said``: what the member sent: typed text, or the value of a choice they picked."""

from dataclasses import dataclass, field, replace

Button = tuple[str, str]  # (label, value)

# How the first reply to a picked choice is shown, where the channel can change the message the
# choice was picked on (Telegram: edit it, or answer the tap with a notice). Later replies are new messages.
IN_PLACE = "in place"  # in place of the message picked on, whose choices go with it (the default)
BESIDE = "beside"  # as a new message: the one picked on stays as it was (a ballot, to vote again on)
BELOW = "below"  # added below the text of the message picked on, whose choices go (a renewal done)
NOTICE = "notice"  # a short word about a pick that changed nothing (a stale choice): the tap's answer


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    shown: str = IN_PLACE  # see IN_PLACE, BESIDE, BELOW, NOTICE

    @property
    def choices(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    def shown_as(self, shown: str) -> "Reply":
        return replace(self, shown=shown)


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str


Message = Reply | Document


@dataclass(frozen=True)
class Said:
    """One message from a member. ``key`` is the provider's id for it ("twilio:SM...",
    "whatsapp:wamid..."): a redelivery with the same key changes nothing again."""

    key: str
    text: str | None = None
    choice: str | None = None
    language: str | None = None  # the app's language, where the channel says it
