"""Where announcements are sent from (issue 15): with a Telegram token the chat bot's outbox sends on
every channel; without one, `datatrust serve` starts `datatrust outbox` beside the web for SMS and
WhatsApp, and `datatrust outbox` with no channel set up says what to set, in one line."""

import subprocess

from click.testing import CliRunner

from adapters.cli import outbox
from adapters.cli.main import cli
from adapters.settings import Settings

SMS = {
    "DATATRUST_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "DATATRUST_TWILIO_AUTH_TOKEN": "token",
    "DATATRUST_TWILIO_FROM": "+447700900001",
}


def started_with(monkeypatch, env: dict[str, str]) -> list[list[str]]:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args: started.append(args) or "child")
    outbox.start_outbox_beside_the_web(Settings.from_environment(env))
    return started


def test_serve_starts_the_outbox_for_sms_and_whatsapp_when_no_chat_bot_runs(monkeypatch):
    [args] = started_with(monkeypatch, SMS)
    assert "cli(['outbox']" in args[-1]


def test_with_a_telegram_token_the_chat_bot_sends_on_every_channel_instead(monkeypatch):
    assert started_with(monkeypatch, {**SMS, "DATATRUST_TELEGRAM_TOKEN": "123:abc"}) == []


def test_without_sms_or_whatsapp_set_up_no_outbox_is_started(monkeypatch):
    assert started_with(monkeypatch, {"DATATRUST_TWILIO_AUTH_TOKEN": "token"}) == []  # replies only, no number


def test_datatrust_outbox_without_a_channel_says_what_to_set(monkeypatch):
    for name in (*SMS, "DATATRUST_WHATSAPP_PHONE_ID", "DATATRUST_WHATSAPP_TOKEN", "DATATRUST_WHATSAPP_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["outbox"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no channel to send announcements on: set DATATRUST_TWILIO_ACCOUNT_SID")


def test_a_rate_that_is_not_a_positive_number_is_refused_naming_its_setting():
    for bad in ("fast", "0", "-1"):
        try:
            Settings.from_environment({"DATATRUST_TWILIO_MESSAGES_PER_SECOND": bad})
        except ValueError as error:
            assert str(error).startswith("DATATRUST_TWILIO_MESSAGES_PER_SECOND must be a number of messages")
        else:
            raise AssertionError(f"{bad!r} was accepted")
    assert (
        Settings.from_environment({"DATATRUST_WHATSAPP_MESSAGES_PER_SECOND": "250"}).whatsapp_messages_per_second == 250
    )
