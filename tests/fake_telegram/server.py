"""A fake Telegram Bot API server on 127.0.0.1 for testing the real python-telegram-bot client.

    with FakeTelegram() as fake:
        bot = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        mary = fake.user("Mary")
        fake.send_command(mary, "/start")
        ...
        assert fake.messages_to(mary)[0].text == "Welcome"

Requests arrive as PTB sends them: POST {base_url}{token}/{method}, form-urlencoded (nested values such as
reply_markup are JSON strings) or multipart/form-data when a file is uploaded; JSON bodies are accepted too.
Answers use Telegram's envelope: {"ok": true, "result": ...} or {"ok": false, "error_code": ..., "description":
..., "parameters": {"retry_after": N}}.
"""

import asyncio
import itertools
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fake_telegram.flood import FloodControl, FloodLimits
from tests.fake_telegram.records import (
    AnsweredCallback,
    FakeChat,
    FakeUser,
    SentDocument,
    SentMessage,
    WebhookDelivery,
)
from tests.loopback import LoopbackServer

DEFAULT_TOKEN = "123456789:AAFakeTelegramTokenForTests_0123456789"  # noqa: S105 - not a secret
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
# Methods that put a message in a chat and so count against the flood limits.
FLOOD_LIMITED = frozenset({"sendmessage", "senddocument", "editmessagetext", "editmessagereplymarkup"})
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)

Target = FakeUser | FakeChat | SentMessage | int


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def envelope(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            data["parameters"] = self.parameters
        return data


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class FakeTelegram:
    """The fake Bot API: an HTTP server in a background thread plus a Python API to play the users' side."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "datatrust_test_bot",
        bot_first_name: str = "Data Trust",
        limits: FloodLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.token = token
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.flood = FloodControl(limits=limits or FloodLimits(), clock=clock)
        self._loopback = LoopbackServer("fake-telegram", host, port)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = False
        self._ids = itertools.count(1)
        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, FakeUser | FakeChat] = {}
        self._blocked: set[int] = set()
        self._next_message_id: dict[int, int] = {}
        self._next_update_id = 100_000
        self._pending: list[dict[str, Any]] = []
        self._redeliveries: list[dict[str, Any]] = []
        self._updates: dict[int, dict[str, Any]] = {}
        self._poll_generation = 0
        self._sent: dict[int, list[SentMessage]] = {}
        self._files: dict[str, SentDocument] = {}
        self._callbacks: dict[str, dict[str, Any]] = {}
        self.answered_callbacks: list[AnsweredCallback] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_allowed_updates: list[str] | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, Any]], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "getfile": self._get_file,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "close": lambda params, files: True,
            "logout": lambda params, files: True,
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> "FakeTelegram":
        self._loopback.start(type("Handler", (_Handler,), {"fake": self}))
        return self

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._loopback.stop()

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._loopback.port

    @property
    def base_url(self) -> str:
        """For Bot(base_url=...) / ApplicationBuilder().base_url(...): PTB appends the token."""
        return f"{self._loopback.base_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self._loopback.base_url}/file/bot"

    # ----------------------------------------------------------------- the users' side

    def user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """A new user with a private chat with the bot (chat id == user id)."""
        with self._lock:
            user = FakeUser(500_000 + next(self._ids), first_name, last_name, username, language_code)
            self._users[user.id] = user
            self._chats[user.id] = user
            return user

    def group(self, title: str) -> FakeChat:
        with self._lock:
            chat = FakeChat(-(4_000_000_000 + next(self._ids)), title)
            self._chats[chat.id] = chat
            return chat

    def block(self, user: FakeUser) -> None:
        """The user blocks the bot: sending to them answers 403 Forbidden."""
        with self._lock:
            self._blocked.add(user.id)

    def unblock(self, user: FakeUser) -> None:
        with self._lock:
            self._blocked.discard(user.id)

    def send_text(self, user: FakeUser, text: str, *, chat: FakeChat | None = None) -> dict[str, Any]:
        """Queue the update Telegram sends when ``user`` writes ``text`` (in their private chat by default)."""
        return self._queue_user_message(user, text, chat, entities=None)

    def send_command(
        self, user: FakeUser, command: str, args: str = "", *, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """Queue ``/command args`` with its bot_command entity, as Telegram sends it."""
        command = command if command.startswith("/") else f"/{command}"
        text = f"{command} {args}" if args else command
        entity = {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
        return self._queue_user_message(user, text, chat, entities=[entity])

    def press(
        self, user: FakeUser, message: SentMessage | int, callback_data: str, *, check: bool = True
    ) -> dict[str, Any]:
        """Queue the callback_query Telegram sends when ``user`` presses a button of the bot's ``message``.

        ``message`` is a SentMessage (or a message id in the user's private chat). With ``check`` the data must be
        on one of the message's current buttons, as a real user can only press what is shown.
        """
        with self._lock:
            if isinstance(message, int):
                message = self._find_sent(user.id, message)
            if check and callback_data not in [data for _, data in message.buttons]:
                raise ValueError(f"no button with callback_data {callback_data!r} on message {message.message_id}")
            query_id = str(7_000_000_000_000 + next(self._ids))
            query = {
                "id": query_id,
                "from": user.as_json(),
                "message": message.as_json(self.bot_user, self._chat_json(message.chat_id)),
                "chat_instance": str(abs(hash((self.bot_id, message.chat_id)))),
                "data": callback_data,
            }
            self._callbacks[query_id] = query
            return self.queue_update({"callback_query": query})

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (an update_id is assigned unless given). Returns the update as queued."""
        with self._changed:
            update = dict(update)
            if "update_id" not in update:
                self._next_update_id += 1
                update["update_id"] = self._next_update_id
            self._updates[update["update_id"]] = update
            self._pending.append(update)
            self._pending.sort(key=lambda u: u["update_id"])
            self._changed.notify_all()
            return update

    def redeliver(self, update_id: int) -> dict[str, Any]:
        """Deliver an update again, with the same update_id, even if the bot already confirmed it.

        It goes out once more in the next getUpdates answer (or push), regardless of the offset asked for.
        """
        with self._changed:
            update = self._updates[update_id]
            # Still unconfirmed: the next getUpdates sends it again anyway.
            if update not in self._pending and update not in self._redeliveries:
                self._redeliveries.append(update)
            self._changed.notify_all()
            return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._redeliveries) + list(self._pending)

    # ----------------------------------------------------------------- webhook side

    def push(self, timeout: float = 5.0) -> list[int]:
        """POST the queued updates, in order, to the webhook set by setWebhook; returns the HTTP statuses.

        An update answered with 2xx is done; on any other answer it stays queued and pushing stops (Telegram
        retries later, in order). Blocking: from async code use ``await fake.apush()``.
        """
        statuses: list[int] = []
        while True:
            with self._lock:
                if not self.webhook_url:
                    raise RuntimeError("no webhook set")
                url, secret = self.webhook_url, self.webhook_secret
                if self._redeliveries:
                    update, redelivery = self._redeliveries[0], True
                elif self._pending:
                    update, redelivery = self._pending[0], False
                else:
                    return statuses
            request = urllib.request.Request(  # noqa: S310 - the test's own webhook URL
                url, data=json.dumps(update).encode(), method="POST", headers={"Content-Type": "application/json"}
            )
            if secret:
                request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            statuses.append(status)
            with self._lock:
                self.webhook_deliveries.append(WebhookDelivery(update["update_id"], url, secret, status))
                if not 200 <= status < 300:
                    return statuses
                queue = self._redeliveries if redelivery else self._pending
                if queue and queue[0] is update:
                    queue.pop(0)

    async def apush(self, timeout: float = 5.0) -> list[int]:
        return await asyncio.to_thread(self.push, timeout)

    # ----------------------------------------------------------------- readers

    def messages_to(self, target: Target) -> list[SentMessage]:
        """Every message the bot sent to that chat, in order (edits applied in place; deleted ones included)."""
        with self._lock:
            return list(self._sent.get(self._chat_id_of(target), []))

    def documents_to(self, target: Target) -> list[SentDocument]:
        return [m.document for m in self.messages_to(target) if m.document is not None]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[tuple[str, str]]:
        """The bot's command list for a scope, as (command, description)."""
        with self._lock:
            key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
            return [(c["command"], c["description"]) for c in self._commands.get(key, [])]

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every request to ``method`` (case-insensitive), including rejected ones."""
        with self._lock:
            return [params for name, params in self.requests if name.lower() == method.lower()]

    def wait_for_messages(self, target: Target, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Block until the bot has sent at least ``count`` messages to the chat; TimeoutError otherwise."""
        chat_id = self._chat_id_of(target)
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._sent.get(chat_id, [])) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    have = len(self._sent.get(chat_id, []))
                    raise TimeoutError(f"chat {chat_id} got {have} messages, expected {count} within {timeout}s")
                self._changed.wait(remaining)
            return list(self._sent[chat_id])

    async def until_messages(self, target: Target, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Async form of wait_for_messages that leaves the event loop free."""
        chat_id = self._chat_id_of(target)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                sent = list(self._sent.get(chat_id, []))
            if len(sent) >= count:
                return sent
            if time.monotonic() >= deadline:
                raise TimeoutError(f"chat {chat_id} got {len(sent)} messages, expected {count} within {timeout}s")
            await asyncio.sleep(0.01)

    @property
    def given_429(self) -> int:
        """How many 429 Too Many Requests answers were given, all causes."""
        return self.flood.given_429

    @property
    def given_429_overall(self) -> int:
        return self.flood.given_429_overall

    @property
    def given_429_by_chat(self) -> dict[int, int]:
        """429s given because one chat's bucket was empty, by chat id."""
        return dict(self.flood.given_429_by_chat)

    # ----------------------------------------------------------------- HTTP entry point

    def handle(self, http_method: str, path: str, headers: Any, body: bytes) -> tuple[int, str, bytes]:
        url = urlsplit(path)
        # httpx percent-encodes the token's colon in file URLs.
        plain_path = unquote(url.path)
        file_prefix = f"/file/bot{self.token}/"
        if http_method == "GET" and plain_path.startswith(file_prefix):
            return self._serve_file(plain_path[len(file_prefix) :])
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", plain_path)
        if not match:
            return _json(ApiError(404, "Not Found").envelope(), 404)
        token, method = match.groups()
        if token != self.token:
            return _json(ApiError(401, "Unauthorized").envelope(), 401)
        handler = self._handlers.get(method.lower())
        try:
            params, files = _parse_request(headers.get("Content-Type", ""), body, url.query)
            with self._lock:
                self.requests.append((method, dict(params)))
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params, files)
        except ApiError as error:
            return _json(error.envelope(), error.code)
        return _json({"ok": True, "result": result}, 200)

    # ----------------------------------------------------------------- methods

    def _get_me(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _get_updates(self, params: dict[str, Any], files: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _int(params, "offset", 0)
        limit = max(1, min(100, _int(params, "limit", 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        deadline = time.monotonic() + timeout
        with self._changed:
            if self.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
                    "the webhook first",
                )
            if offset > 0:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            elif offset < 0:
                self._pending = self._pending[offset:]
            self._poll_generation += 1
            generation = self._poll_generation
            while not (self._redeliveries or self._pending):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping:
                    return []
                self._changed.wait(remaining)
                if self._poll_generation != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
                        "is running",
                    )
            batch = self._redeliveries[:limit]
            del self._redeliveries[:limit]
            return batch + self._pending[: limit - len(batch)]

    def _send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            chat_id = self._writable_chat(params)
            text = str(params.get("text") or "")
            if not text.strip():
                raise _bad("message text is empty")
            if len(text) > MAX_TEXT:
                raise _bad("message is too long")
            markup = _check_markup(params.get("reply_markup"))
            self._admit("sendMessage", chat_id)
            message = SentMessage(
                chat_id=chat_id,
                message_id=self._take_message_id(chat_id),
                date=int(time.time()),
                text=text,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
            )
            return self._store(message)

    def _send_document(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            chat_id = self._writable_chat(params)
            caption = params.get("caption")
            if caption is not None and len(caption) > MAX_CAPTION:
                raise _bad("message caption is too long")
            markup = _check_markup(params.get("reply_markup"))
            if "document" in files:
                filename, content, mime_type = files["document"]
                known = None
            else:
                reference = params.get("document")
                known = self._files.get(str(reference)) if reference else None
                if known is None:
                    raise _bad("wrong file identifier/HTTP URL specified" if reference else "there is no document")
                filename, content, mime_type = known.filename, known.content, known.mime_type
            self._admit("sendDocument", chat_id)
            message_id = self._take_message_id(chat_id)
            n = next(self._ids)
            document = SentDocument(
                chat_id=chat_id,
                message_id=message_id,
                file_id=known.file_id if known else f"BQACAgIAAxkBAAI{n:08d}",
                file_unique_id=known.file_unique_id if known else f"AgAD{n:06d}",
                filename=filename,
                content=content,
                mime_type=mime_type,
                caption=caption,
            )
            self._files.setdefault(document.file_id, document)
            message = SentMessage(
                chat_id=chat_id,
                message_id=message_id,
                date=int(time.time()),
                text=None,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                document=document,
                caption=caption,
            )
            return self._store(message)

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            message = self._editable(params)
            text = str(params.get("text") or "")
            if not text.strip():
                raise _bad("message text is empty")
            if len(text) > MAX_TEXT:
                raise _bad("MESSAGE_TOO_LONG")
            # As in Telegram, an edit without reply_markup drops the inline keyboard.
            markup = _check_markup(params.get("reply_markup"))
            if message.text == text and message.reply_markup == markup:
                raise _bad(NOT_MODIFIED)
            self._admit("editMessageText", message.chat_id)
            message.history.append(message.text)
            message.text, message.reply_markup, message.parse_mode = text, markup, params.get("parse_mode")
            return self._mark_edited(message)

    def _edit_message_reply_markup(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            message = self._editable(params)
            markup = _check_markup(params.get("reply_markup"))
            if message.reply_markup == markup:
                raise _bad(NOT_MODIFIED)
            self._admit("editMessageReplyMarkup", message.chat_id)
            message.reply_markup = markup
            return self._mark_edited(message)

    def _delete_message(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        with self._changed:
            message = self._find_sent(_int(params, "chat_id", 0), _int(params, "message_id", 0), "delete")
            message.deleted = True
            self._changed.notify_all()
            return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        with self._lock:
            query_id = str(params.get("callback_query_id") or "")
            query = self._callbacks.pop(query_id, None)
            if query is None:
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            self.answered_callbacks.append(
                AnsweredCallback(
                    callback_query_id=query_id,
                    text=params.get("text"),
                    show_alert=_bool(params, "show_alert"),
                    url=params.get("url"),
                    user_id=query["from"]["id"],
                    data=query.get("data"),
                )
            )
            return True

    def _get_file(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            document = self._files.get(str(params.get("file_id")))
            if document is None:
                raise _bad("invalid file_id")
            data = document.as_json()
            data.pop("file_name", None)
            data.pop("mime_type", None)
            data["file_path"] = f"documents/{document.file_id}"
            return data

    def _serve_file(self, file_path: str) -> tuple[int, str, bytes]:
        with self._lock:
            document = self._files.get(file_path.removeprefix("documents/"))
        if document is None:
            return _json(ApiError(404, "Not Found").envelope(), 404)
        return 200, document.mime_type or "application/octet-stream", document.content

    def _set_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params, files)
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if not url.startswith(("http://", "https://")):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        with self._lock:
            self.webhook_url, self.webhook_secret = url, (str(secret) if secret else None)
            self.webhook_allowed_updates = params.get("allowed_updates")
            if _bool(params, "drop_pending_updates"):
                self._pending.clear()
            return True

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook_url = self.webhook_secret = self.webhook_allowed_updates = None
            if _bool(params, "drop_pending_updates"):
                self._pending.clear()
            return True

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {
                "url": self.webhook_url or "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._pending),
            }
            if self.webhook_url:
                info["max_connections"] = 40
                if self.webhook_allowed_updates:
                    info["allowed_updates"] = self.webhook_allowed_updates
            return info

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('field "commands" must be an Array')
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self._commands[self._commands_key(params)] = commands
            return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            return self._commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        with self._lock:
            self._commands.pop(self._commands_key(params), None)
            return True

    # ----------------------------------------------------------------- helpers (call with the lock held)

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        return json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True), params.get("language_code") or ""

    def _queue_user_message(
        self, user: FakeUser, text: str, chat: FakeChat | None, entities: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        with self._lock:
            chat_id = chat.id if chat else user.id
            message: dict[str, Any] = {
                "message_id": self._take_message_id(chat_id),
                "from": user.as_json(),
                "chat": self._chat_json(chat_id),
                "date": int(time.time()),
                "text": text,
            }
            if entities:
                message["entities"] = entities
            return self.queue_update({"message": message})

    def _take_message_id(self, chat_id: int) -> int:
        # In a private chat the user's and the bot's messages share one numbering.
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        chat = self._chats[chat_id]
        return chat.private_chat_json() if isinstance(chat, FakeUser) else chat.as_json()

    def _chat_id_of(self, target: Target) -> int:
        if isinstance(target, int):
            return target
        return target.chat_id

    def _writable_chat(self, params: dict[str, Any]) -> int:
        raw = params.get("chat_id")
        try:
            chat_id = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _bad("chat not found") from None
        if chat_id not in self._chats:
            raise _bad("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _find_sent(self, chat_id: int, message_id: int, verb: str = "edit") -> SentMessage:
        for message in self._sent.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise _bad(f"message to {verb} not found")

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise _bad("inline messages are not supported by the fake")
        chat_id = self._writable_chat(params)
        return self._find_sent(chat_id, _int(params, "message_id", 0))

    def _admit(self, method: str, chat_id: int) -> None:
        assert method.lower() in FLOOD_LIMITED
        retry_after = self.flood.admit(chat_id)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def _store(self, message: SentMessage) -> dict[str, Any]:
        self._sent.setdefault(message.chat_id, []).append(message)
        self._changed.notify_all()
        return message.as_json(self.bot_user, self._chat_json(message.chat_id))

    def _mark_edited(self, message: SentMessage) -> dict[str, Any]:
        message.edited = True
        message.edit_date = int(time.time())
        self._changed.notify_all()
        return message.as_json(self.bot_user, self._chat_json(message.chat_id))


# --------------------------------------------------------------------- request parsing


def _json(payload: dict[str, Any], status: int) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(payload).encode()


def _int(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f'field "{name}" must be of type Integer') from None


def _bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    return value is True or str(value).lower() in ("true", "1")


def _check_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise _bad("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
    return markup


def _header_param(header: str, name: str) -> str | None:
    message = Message()
    message["content-type"] = header
    value = message.get_param(name)
    return value if isinstance(value, str) else None


_DISPOSITION_PARAM = re.compile(r'\b(name|filename)="((?:[^"\\]|\\.)*)"')


def _parse_request(
    content_type: str, body: bytes, query: str
) -> tuple[dict[str, Any], dict[str, tuple[str | None, bytes, str | None]]]:
    params: dict[str, Any] = dict(parse_qsl(query))
    files: dict[str, tuple[str | None, bytes, str | None]] = {}
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" and body:
        try:
            params.update(json.loads(body))
        except ValueError:
            raise _bad("can't parse JSON") from None
    elif kind == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    elif kind == "multipart/form-data":
        boundary = _header_param(content_type, "boundary")
        if not boundary:
            raise _bad("multipart without boundary")
        for headers, content in _multipart_parts(body, boundary.encode()):
            disposition = headers.get("content-disposition", "")
            found = {k: _html5_unescape(v) for k, v in _DISPOSITION_PARAM.findall(disposition)}
            name = found.get("name")
            if name is None:
                continue
            if "filename" in found:
                files[name] = (found["filename"], content, headers.get("content-type"))
            else:
                params[name] = content.decode()
    for name in JSON_FIELDS & params.keys():
        if isinstance(params[name], str):
            try:
                params[name] = json.loads(params[name])
            except ValueError:
                raise _bad(f"can't parse {name} JSON object") from None
    return params, files


def _html5_unescape(value: str) -> str:
    return value.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n").replace("\\\\", "\\")


def _multipart_parts(body: bytes, boundary: bytes) -> list[tuple[dict[str, str], bytes]]:
    parts = []
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, content = chunk.partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, sep, value = line.partition(":")
            if sep:
                headers[key.strip().lower()] = value.strip()
        parts.append((headers, content))
    return parts


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    fake: FakeTelegram

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus delayed ACK adds ~40 ms a request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _dispatch(self, http_method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, content_type, payload = self.fake.handle(http_method, self.path, self.headers, body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from http.server
        pass
