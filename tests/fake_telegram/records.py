"""What the fake Telegram remembers: users, chats, the bot's messages and documents, answered callbacks."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user; talking to the bot happens in the private chat whose id equals the user id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    @property
    def chat_id(self) -> int:
        return self.id

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def private_chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class FakeChat:
    """A group chat (negative id)."""

    id: int
    title: str
    type: str = "group"

    @property
    def chat_id(self) -> int:
        return self.id

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class SentDocument:
    chat_id: int
    message_id: int
    file_id: str
    file_unique_id: str
    filename: str | None
    content: bytes
    mime_type: str | None
    caption: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.filename:
            data["file_name"] = self.filename
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class SentMessage:
    """A message the bot sent (text or document), as it stands now, with its earlier texts if edited."""

    chat_id: int
    message_id: int
    date: int
    text: str | None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: SentDocument | None = None
    caption: str | None = None
    edited: bool = False
    edit_date: int | None = None
    history: list[str | None] = field(default_factory=list)
    deleted: bool = False

    @property
    def keyboard(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data); url buttons have callback_data None."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [[(b.get("text"), b.get("callback_data")) for b in row] for row in self.reply_markup["inline_keyboard"]]

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """All inline buttons, row by row, as (text, callback_data)."""
        return [button for row in self.keyboard for button in row]

    def as_json(self, bot: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id, "from": bot, "chat": chat, "date": self.date}
        if self.text is not None:
            data["text"] = self.text
        if self.document is not None:
            data["document"] = self.document.as_json()
        if self.caption is not None:
            data["caption"] = self.caption
        # Telegram echoes only inline keyboards in the Message object, not reply keyboards.
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        return data


@dataclass(frozen=True)
class AnsweredCallback:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    user_id: int | None
    data: str | None


@dataclass(frozen=True)
class WebhookDelivery:
    update_id: int
    url: str
    secret_token: str | None
    status: int
