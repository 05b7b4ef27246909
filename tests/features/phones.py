"""A member's phone on each channel, for the journeys in features/bot/: the same steps drive the
Telegram chat (the real python-telegram-bot Application polling the fake Telegram), SMS (the fake
Twilio posting signed webhooks to `datatrust serve`'s Flask app, reading its TwiML answers) and
WhatsApp (the fake Cloud API posting signed notifications, receiving what the real pywa client sends).

Each phone can ``send`` a text or a command (written as on Telegram, "/consents"; typed on the other
channels as their word, CONSENTS), ``press`` a choice by its label (a button; a list row; by SMS,
the number shown beside it), and show what the trust ``said`` last and the ``choices`` it offered."""

import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace

from werkzeug.serving import make_server

from adapters.conversation.channels import CHANNELS
from adapters.web.factory import create_app
from tests.fake_twilio import FakeTwilio
from tests.fake_whatsapp import FakeWhatsApp

TWILIO_TOKEN = "twilio-auth-token-for-journeys"  # noqa: S105 - a test value, never a real token
TRUST_NUMBER = "+447700900001"
NUMBERS = {"Mary": "+447700900123", "Iona": "+447700900124", "Anne": "+447700900125"}


def in_channel_words(channel: str, text: str) -> str:
    return CHANNELS[channel].command_words(text) if text.startswith("/") else text


class TelegramPhone:
    def __init__(self, chat):
        self.chat = chat

    def look(self):  # type: ignore[no-untyped-def]
        """What she sees now: the last message and its buttons, in their places."""
        message = self.chat.last
        return message.message_id, [label for label, _data in message.buttons]

    def press_as_seen(self, seen, label: str) -> None:  # type: ignore[no-untyped-def]
        """Tap where ``label`` was when she looked: the same place on the message as it is now
        (Telegram edits it in place under her finger)."""
        message_id, labels = seen
        place = labels.index(label)
        [now] = [m for m in self.chat.messages if m.message_id == message_id][-1:]
        self.chat.press_data(now, now.buttons[place][1])

    def send(self, text: str) -> None:
        self.chat.send(text)

    def press(self, label: str) -> None:
        self.chat.press(label)

    @property
    def said(self) -> str:
        return self.chat.last_text or ""

    @property
    def transcript(self) -> str:
        return self.chat.texts_since(0)

    @property
    def choices(self) -> list[str]:
        messages = self.chat.messages
        return [label for label, _data in messages[-1].buttons] if messages else []


class SmsPhone:
    def __init__(self, twilio: FakeTwilio, number: str):
        self.twilio, self.number = twilio, number
        self.answers: list[list[str]] = []

    def send(self, text: str) -> None:
        posted = self.twilio.inbound(self.number, TRUST_NUMBER, in_channel_words("sms", text))
        assert posted.status == 200, posted.response_body
        answer = ET.fromstring(posted.response_body)  # noqa: S314 - our own service's answer
        self.answers.append([message.text or "" for message in answer.iter("Message")])

    def look(self) -> list[str]:
        """What she sees now: the last answer, its choices numbered."""
        return list(self.answers[-1])

    def press_as_seen(self, seen: list[str], label: str) -> None:
        """Reply with the number ``label`` had in the answer she read, whatever came since."""
        for line in "\n".join(seen).splitlines():
            number, _sep, shown = line.partition(" ")
            if number.isdigit() and shown == label:
                return self.send(number)
        raise AssertionError(f"no choice {label!r} in {seen!r}")

    def press(self, label: str) -> None:
        for line in reversed("\n".join(self.answers[-1]).splitlines()):
            number, _sep, shown = line.partition(" ")
            if number.isdigit() and shown == label:
                return self.send(number)
        raise AssertionError(f"no choice {label!r} in {self.answers[-1]!r}")

    @property
    def said(self) -> str:
        return "\n".join(self.answers[-1]) if self.answers else ""

    @property
    def transcript(self) -> str:
        return "\n".join(text for answer in self.answers for text in answer)

    @property
    def choices(self) -> list[str]:
        return [m.group(1) for m in re.finditer(r"^\d+ (.+)$", self.said, re.M)]


class WhatsAppPhone:
    def __init__(self, fake: FakeWhatsApp, url: str, name: str):
        self.fake, self.url = fake, url
        self.contact = fake.contact(name, NUMBERS[name].removeprefix("+"))
        self.seen = 0

    def _push(self) -> None:
        self.seen = len(self.fake.messages_to(self.contact))
        assert set(self.fake.push(self.url)) == {200}

    def send(self, text: str) -> None:
        self.fake.user_sends_text(self.contact, in_channel_words("whatsapp", text))
        self._push()

    def look(self):  # type: ignore[no-untyped-def]
        """What she sees now: the messages so far (WhatsApp never edits one)."""
        return list(self.fake.messages_to(self.contact))

    def press_as_seen(self, seen, label: str) -> None:  # type: ignore[no-untyped-def]
        """Tap ``label`` on the message she read, whatever came since."""
        if not self._pressed(seen, label):
            raise AssertionError(f"no button or row {label!r} in what she saw")

    def press(self, label: str) -> None:
        if not self._pressed(self.fake.messages_to(self.contact), label):
            raise AssertionError(f"no button or row {label!r}; the trust last said {self.said!r}")

    def _pressed(self, messages, label: str) -> bool:  # type: ignore[no-untyped-def]
        """Tap the latest button or list row called ``label`` among ``messages`` (False: none)."""
        for message in reversed(messages):
            for button_id, title in message.buttons:
                if title == label:
                    self.fake.user_presses(self.contact, message, button_id)
                    self._push()
                    return True
            sections = message.payload.get("interactive", {}).get("action", {}).get("sections", [])
            for row in (r for s in sections for r in s["rows"]):
                if label in (row["title"], row.get("description")):
                    self.fake.user_picks(self.contact, message, row["id"])
                    self._push()
                    return True
        return False

    @property
    def _answer(self):  # type: ignore[no-untyped-def]
        return self.fake.messages_to(self.contact)[self.seen :]

    @property
    def said(self) -> str:
        return "\n".join(message.text or "" for message in self._answer)

    @property
    def transcript(self) -> str:
        return "\n".join(message.text or "" for message in self.fake.messages_to(self.contact))

    @property
    def choices(self) -> list[str]:
        answer = self._answer
        if not answer:
            return []
        last = answer[-1]
        sections = last.payload.get("interactive", {}).get("action", {}).get("sections", [])
        rows = [r.get("description") or r["title"] for s in sections for r in s["rows"]]
        return [title for _id, title in last.buttons] + rows


class Served:
    """`datatrust serve`'s Flask app on a free port, over the scenario's trust, with SMS and WhatsApp turned on."""

    def __init__(self, services, whatsapp: FakeWhatsApp):
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        base = f"http://127.0.0.1:{self.server.server_port}"
        self.sms_url, self.whatsapp_url = f"{base}/sms/twilio", f"{base}/whatsapp/webhook"
        settings = replace(
            services.settings,
            twilio_auth_token=TWILIO_TOKEN,
            twilio_webhook_url=self.sms_url,
            whatsapp_app_secret=whatsapp.app_secret,
            whatsapp_verify_token="journeys-verify-token",  # noqa: S106 - a test value
            whatsapp_phone_id=whatsapp.phone_number_id,
            whatsapp_token=whatsapp.token,
            whatsapp_api_url=whatsapp.api_url,
        )
        self.app = create_app(replace(services, settings=settings))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        return self.app(environ, start_response)

    def stop(self) -> None:
        self.server.shutdown()
