"""`datatrust bot --local`: the members' chat bot in a terminal, without Telegram or a token.

``Terminal`` answers the Bot API calls the bot makes, in this process: each line
typed becomes an update from one member's private chat, and what the bot sends is
printed, its buttons numbered so that typing a number presses one."""

import asyncio
import codecs
import itertools
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from telegram.request import BaseRequest, RequestData

LOCAL_TOKEN = "0:local"  # noqa: S105 - not a secret: nothing leaves this process
# Telegram's user ids have at most 52 significant bits: no real chat has this one, whatever the store holds.
CHAT_ID = 2**52 + 1
BOT = {"id": 0, "is_bot": True, "first_name": "Data Trust", "username": "datatrust_local_bot"}
YOU = {"id": CHAT_ID, "is_bot": False, "first_name": "You", "language_code": "en"}
CHAT = {"id": CHAT_ID, "type": "private", "first_name": "You"}
QUIET = 0.1  # seconds without a word from the bot after which it has answered
PATIENCE = 3.0  # the longest a typed line waits for the bot to answer the one before
SILENT = {"setmycommands", "deletewebhook", "deletemessage", "sendchataction", "close", "logout"}
Params = dict[str, Any]


class Terminal(BaseRequest):
    def __init__(self, typing: int, out: TextIO, on_end: Callable[[], None] = lambda: None):
        """``typing``: the file descriptor the member's lines come from; ``on_end`` is called at its end."""
        self.typing, self.out, self.on_end = typing, out, on_end
        self.typed: asyncio.Queue[str | None] = asyncio.Queue()
        self.reading = False
        self.update_ids = itertools.count(time.time_ns() // 1000)  # never repeated by a later try-out
        self.message_ids = itertools.count(1)
        self.messages: dict[int, Params] = {}
        self.buttons: dict[str, tuple[int, str]] = {}  # "1" -> (message id, callback data)
        self.answered, self.last_word = True, 0.0
        self.folder: Path | None = None
        self.answers = {
            "getme": lambda params, files: BOT,
            "getupdates": self.get_updates,
            "sendmessage": lambda params, files: self.show(self.from_bot(params), "bot:"),
            "editmessagetext": self.edit,
            "editmessagereplymarkup": self.edit,
            "answercallbackquery": self.notice,
            "senddocument": self.save_document,
        }

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, *args: object, **kwargs: object
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1].lower()
        params = request_data.parameters if request_data else {}
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        if name in SILENT:
            return 200, b'{"ok": true, "result": true}'
        if name not in self.answers:
            refusal = {"ok": False, "error_code": 400, "description": f"Bad Request: the try-out has no {name}"}
            return 400, json.dumps(refusal).encode()
        result = self.answers[name](params, files)
        if asyncio.iscoroutine(result):
            result = await result
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # ------------------------------------------------------------ what the member types

    async def get_updates(self, params: Params, files: Params) -> list[Params]:
        self._start_reading()
        try:
            line = await asyncio.wait_for(self.typed.get(), float(params.get("timeout") or 0))
        except TimeoutError:
            return []
        if line is None:  # Ctrl-D
            asyncio.get_running_loop().call_soon(self.on_end)
            return []
        await self._settle()
        update = self._update(line.strip())
        return [update] if update else []

    def _start_reading(self) -> None:
        if self.reading:
            return
        self.reading, loop = True, asyncio.get_running_loop()

        def read() -> None:  # raw reads: a thread blocked in sys.stdin would hold its lock at exit
            decoder, pending = codecs.getincrementaldecoder("utf-8")(errors="replace"), ""
            try:
                while chunk := os.read(self.typing, 4096):
                    *lines, pending = (pending + decoder.decode(chunk)).split("\n")
                    for line in lines:
                        loop.call_soon_threadsafe(self.typed.put_nowait, line)
                loop.call_soon_threadsafe(self.typed.put_nowait, pending + decoder.decode(b"", final=True))
                loop.call_soon_threadsafe(self.typed.put_nowait, None)
            except (OSError, RuntimeError):  # the bot stopped first
                pass

        threading.Thread(target=read, name="terminal", daemon=True).start()

    async def _settle(self) -> None:
        """Lines piped in all at once wait for the bot's answer to the line before, as a person would."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline and (not self.answered or time.monotonic() - self.last_word < QUIET):
            await asyncio.sleep(0.02)

    def _update(self, line: str) -> Params | None:
        if not line:
            return None
        update: Params = {"update_id": next(self.update_ids)}
        if line in self.buttons:
            message_id, data = self.buttons[line]
            update["callback_query"] = {
                "id": str(update["update_id"]),
                "from": YOU,
                "message": self.messages[message_id],
                "chat_instance": "local",
                "data": data,
            }
        else:
            message = self.message(YOU, text=line)
            if line.startswith("/"):
                length = len(line.split()[0].encode("utf-16-le")) // 2
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            update["message"] = message
        self.answered = False
        return update

    # ------------------------------------------------------------ what the bot says

    def message(self, sender: Params, **fields: Any) -> Params:
        return {"message_id": next(self.message_ids), "from": sender, "chat": CHAT, "date": int(time.time()), **fields}

    def from_bot(self, params: Params, **more: Any) -> Params:
        return self.message(
            BOT, **{key: params[key] for key in ("text", "caption", "reply_markup") if key in params}, **more
        )

    def edit(self, params: Params, files: Params) -> Params:
        message = self.messages[int(params["message_id"])]
        message.pop("reply_markup", None)  # as in Telegram, an edit without buttons removes them
        message.update({key: params[key] for key in ("text", "reply_markup") if params.get(key)})
        changed = params.get("text") or params.get("reply_markup")  # not just buttons taken away
        return self.show(message, "bot (changed its message):" if changed else None)

    def notice(self, params: Params, files: Params) -> bool:
        if params.get("text"):
            self._say(f"bot (a notice): {params['text']}")
        return True

    def save_document(self, params: Params, files: Params) -> Params:
        filename, content, _ = files["document"]
        self.folder = self.folder or Path(tempfile.mkdtemp(prefix="datatrust-try-out-"))
        path = self.folder / Path(filename or "document").name
        path.write_bytes(content if isinstance(content, bytes) else content.read())
        document = {"file_id": f"local-{path.name}", "file_unique_id": path.name, "file_name": path.name}
        message = self.show(self.from_bot(params, document=document), "bot (a file):")
        self._say(f"     saved as {path}")
        return message

    def show(self, message: Params, heading: str | None) -> Params:
        self.messages[message["message_id"]] = message
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [(b["text"], b["callback_data"]) for row in rows for b in row if b.get("callback_data")]
        if buttons or any(message_id == message["message_id"] for message_id, _ in self.buttons.values()):
            self.buttons = {str(n): (message["message_id"], data) for n, (_, data) in enumerate(buttons, 1)}
        if heading is not None:
            text = message.get("text") or message.get("caption") or ""
            self._say("\n     ".join(f"{heading} {text}".split("\n")))
            for number, (label, _) in enumerate(buttons, 1):
                self._say(f"  [{number}] {label}")
        return message

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)
        self.answered, self.last_word = True, time.monotonic()
