"""What the fake WhatsApp Cloud API remembers: contacts, approved templates, sent messages and their statuses."""

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FakeContact:
    """A WhatsApp user: ``wa_id`` is the phone number in digits, as Meta writes it in webhooks."""

    wa_id: str
    name: str

    @property
    def phone(self) -> str:
        return f"+{self.wa_id}"

    @property
    def user_id(self) -> str:
        """The business-scoped user id (BSUID) Meta sends beside wa_id: country code, a dot, digits."""
        digits = int.from_bytes(hashlib.sha256(self.wa_id.encode()).digest()[:8], "big") % 10**19
        return f"GB.{digits:019d}"

    def as_contact(self) -> dict[str, Any]:
        """The entry of a webhook's ``contacts`` array."""
        return {"profile": {"name": self.name}, "wa_id": self.wa_id, "user_id": self.user_id}


@dataclass(frozen=True)
class ApprovedTemplate:
    """A template approved for the WhatsApp Business account: name, language code and body parameter count."""

    name: str
    language: str
    body_params: int = 0


@dataclass
class SentMessage:
    """A message the business sent through ``POST /{phone-number-id}/messages`` and the API accepted."""

    wamid: str
    phone_number_id: str
    to: str
    type: str
    payload: dict[str, Any]
    accepted_at: float
    statuses: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str | None:
        """The text body, the interactive body text, or None for a template."""
        if self.type == "text":
            return self.payload["text"]["body"]
        if self.type == "interactive":
            return self.payload["interactive"]["body"]["text"]
        return None

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Reply buttons as (id, title)."""
        if self.type != "interactive" or self.payload["interactive"]["type"] != "button":
            return []
        return [(b["reply"]["id"], b["reply"]["title"]) for b in self.payload["interactive"]["action"]["buttons"]]

    @property
    def rows(self) -> list[tuple[str, str]]:
        """List rows, all sections, as (id, title)."""
        if self.type != "interactive" or self.payload["interactive"]["type"] != "list":
            return []
        sections = self.payload["interactive"]["action"]["sections"]
        return [(r["id"], r["title"]) for s in sections for r in s["rows"]]

    @property
    def template(self) -> tuple[str, str, list[str]] | None:
        """(name, language, body parameter texts) for a template message."""
        if self.type != "template":
            return None
        template = self.payload["template"]
        params = [
            str(p.get("text"))
            for c in template.get("components") or []
            if str(c.get("type", "")).lower() == "body"
            for p in c.get("parameters") or []
        ]
        return template["name"], template["language"]["code"], params

    @property
    def failed(self) -> bool:
        return "failed" in self.statuses


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of a notification to the webhook: what was sent and how the endpoint answered."""

    url: str
    body: bytes
    signature: str | None
    status: int
