"""The small message model every channel renders: what the trust says in one turn of a
conversation, whatever the member's phone.

- ``Reply``: text, and choices in rows (label, value). Telegram shows the choices as
  buttons, WhatsApp as reply buttons (up to 3) or a list (up to 10), SMS as numbered
  lines ("Reply 1 to ..."); the value comes back when the member picks one.
- ``Document``: a file (my data as JSON) where the channel can send one.
- ``Said``: what the member sent: typed text, or the value of a choice they picked."""

from dataclasses import dataclass, field

Button = tuple[str, str]  # (label, value)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)

    @property
    def choices(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


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
