"""Running the bot as an operator does: `datatrust bot` in its own process against the fake
Telegram, by long polling and by webhook; the terminal try-out; and refusals."""

import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.bootstrap import bootstrap
from adapters.bot import runner
from adapters.cli.bot import FROM_BOTFATHER
from adapters.cli.main import cli
from adapters.settings import Settings
from tests.support import CHILD_START_SECONDS, bot_environment

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

DATATRUST = [sys.executable, "-c", "from adapters.cli.main import cli; cli(prog_name='datatrust')"]


def until(condition, timeout: float = CHILD_START_SECONDS, what: str = "the bot"):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not get there in {timeout} s")
        time.sleep(0.02)
    return result


class Datatrust:
    """`datatrust ARGS` in its own process; what it prints gathered line by line."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [*DATATRUST, *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._gather, args=(self.popen.stdout, self.out, True), daemon=True),
            threading.Thread(target=self._gather, args=(self.popen.stderr, self.err, False), daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.screen: list[str] = []  # stdout lines seen by expect()

    def _gather(self, stream, into: list[str], announce: bool) -> None:
        for line in stream:
            into.append(line)
            if announce:
                self.lines.put(line)

    def type(self, line: str) -> None:
        self.popen.stdin.write(line + "\n")
        self.popen.stdin.flush()

    def expect(self, pattern: str, timeout: float = CHILD_START_SECONDS) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; last: {self.screen[-5:]}") from None
            self.screen.append(line)
            if re.search(pattern, line):
                return line

    def press(self, label: str) -> None:
        """Type the number the try-out shows beside ``label`` on the newest buttons."""
        for line in reversed(self.screen):
            if found := re.fullmatch(rf"\s+\[(\d+)\] {re.escape(label)}\n", line):
                return self.type(found.group(1))
        raise AssertionError(f"no button {label!r} shown; last: {self.screen[-5:]}")

    def stop(self, *signals: int, timeout: float = 20.0) -> int:
        for number in signals:
            if self.popen.poll() is None:
                self.popen.send_signal(number)
        if self.popen.stdin and not self.popen.stdin.closed:
            self.popen.stdin.close()
        code = self.popen.wait(timeout)
        for reader in self.readers:
            reader.join(5)
        return code

    @property
    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)


@pytest.fixture
def environment(tmp_path, fake):
    return bot_environment(tmp_path / "var", fake, TMPDIR=str(tmp_path))  # TMPDIR: where the try-out saves files


@pytest.fixture
def datatrust(environment):
    started: list[Datatrust] = []

    def run(*args: str, **env: str) -> Datatrust:
        started.append(Datatrust(list(args), {**environment, **env}))
        return started[-1]

    yield run
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()
            process.popen.wait(5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_polling_reads_what_members_sent_while_it_was_down_and_stops_cleanly(fake, datatrust):
    mary = fake.user("Mary")
    fake.send_command(mary, "/start")  # before the bot runs: it must not be dropped

    bot = datatrust("bot")
    [welcome] = fake.wait_for_messages(mary, 1, timeout=CHILD_START_SECONDS)
    assert "Are you new" in welcome.text
    fake.press(mary, welcome, "start:new")  # the bot is another process here: wait for what it shows
    until(lambda: "membership terms" in (fake.messages_to(mary)[0].text or ""), what="the terms")

    assert bot.stop(signal.SIGINT) == 0
    assert "@datatrust_test_bot is starting to read members' messages from Telegram (long polling)" in bot.output
    assert "The members' chat bot has stopped." in bot.output
    assert fake.token not in bot.output and "HTTP Request" not in bot.output
    assert all(str(call.get("drop_pending_updates")).lower() != "true" for call in fake.calls("deleteWebhook"))
    assert fake.calls("getUpdates")[0]["allowed_updates"] == ["message", "callback_query"]
    assert ("consents", "See and change who may see your data") in fake.commands()  # the command menu was set
    welsh = dict(fake.commands(language_code="cy"))  # and in Welsh for members whose app is in Welsh
    assert (
        set(welsh) == {name for name, _ in fake.commands()} and welsh["consents"] != dict(fake.commands())["consents"]
    )


def test_webhook_answers_telegram_with_the_secret_and_refuses_anyone_without_it(fake, datatrust):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    bot = datatrust("bot", "--webhook", url, "--port", str(port))
    until(lambda: fake.webhook_url, what="setWebhook")
    assert fake.webhook_url == url
    secret = fake.webhook_secret
    assert secret and len(secret) >= 32
    until(lambda: answers(port), what="the webhook server")

    mary = fake.user("Mary")
    fake.send_command(mary, "/start")
    assert fake.push() == [200]
    assert "Are you new" in fake.wait_for_messages(mary, 1)[0].text

    eve = fake.user("Eve")
    forged = json.dumps({"update_id": 1, "message": fake.send_command(eve, "/start")["message"]}).encode()
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"}):
        request = urllib.request.Request(url, data=forged, headers={"Content-Type": "application/json", **headers})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)  # noqa: S310 - the test's own server
        assert refused.value.code == 403
    assert fake.push() == [200]  # Eve's own /start, with the secret: answered once, the forged ones never
    until(lambda: fake.messages_to(eve))
    time.sleep(0.3)
    assert len(fake.messages_to(eve)) == 1

    assert bot.stop(signal.SIGTERM, signal.SIGTERM) == 0  # a supervisor and the terminal may both send one
    assert "The members' chat bot has stopped." in bot.output
    assert secret not in bot.output and fake.token not in bot.output


def test_the_terminal_try_out_joins_on_the_same_handlers_and_store(datatrust, environment, tmp_path):
    bot = datatrust("bot", "--local", DATATRUST_TELEGRAM_TOKEN="")
    bot.expect(r"try-out of the members' chat bot on the store at sqlite:///.*joining here records real events")
    bot.type("/start")
    bot.expect(r"\[2\] I have a reference code")
    bot.press("I'm new: join")
    bot.expect(r"\[2\] Not now")
    bot.press("I agree")
    bot.expect("name or nickname")
    bot.type("Mary Dixon")
    bot.expect("postcode district")
    bot.type("CA1")
    while "Skip" in (line := bot.expect(r"\[\d+\] (Skip this question|No)$")):
        bot.press("Skip this question")
    while "All set" not in line:
        bot.press("Yes")
        line = bot.expect(r"\[\d+\] No$|All set")
    bot.type("/mydata")
    bot.expect(r"\[1\] Download all of it as a file")
    bot.type("1")
    saved = Path(bot.expect(r"saved as ").split("saved as ", 1)[1].strip())
    assert saved.is_relative_to(tmp_path)
    assert json.loads(saved.read_text())["held"]["name"] == "Mary Dixon"
    assert bot.stop() == 0  # Ctrl-D
    assert "The try-out has ended." in bot.output

    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": environment["DATATRUST_VAR"]}))
    try:
        [member] = services.views.members()
        assert services.views.member_card(member["member_id"])["status"] == "active"
    finally:
        services.close()


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_the_phone_try_out_joins_through_the_same_conversation_and_store(datatrust, environment, channel):
    bot = datatrust("bot", "--local", "--channel", channel, DATATRUST_TELEGRAM_TOKEN="")
    bot.expect(r"try-out of the members' conversation by (SMS|WhatsApp) on the store at sqlite:///")
    bot.type("JOIN")
    bot.expect(r"2\]? I have a reference code")
    bot.type("1")
    bot.expect(r"2\]? Not now")
    bot.type("1")
    bot.expect("name or nickname")
    bot.type("Mary Dixon")
    bot.expect("postcode district")
    bot.expect("Skip this question")  # (the postcode's own choice)
    bot.type("CA1")
    while "member now" not in bot.expect(r"Skip this question|You are a member now"):
        bot.type("Skip this question")  # a choice's label picks it too
    bot.expect(r"Do you agree( to this)?\?")
    while True:
        bot.type("No")
        if "All set" in bot.expect(r"Do you agree( to this)?\?|All set"):
            break
    if channel == "sms":
        assert "segment(s), GSM-7" in bot.output
    assert bot.stop() == 0  # Ctrl-D
    assert "The try-out has ended." in bot.output

    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": environment["DATATRUST_VAR"]}))
    try:
        [member] = services.views.members()
        assert services.views.member_card(member["member_id"])["status"] == "active"
        assert services.trust.address_of(member["member_id"], channel) == "+447700900000"
    finally:
        services.close()


def test_the_try_out_ends_cleanly_on_ctrl_c(datatrust):
    bot = datatrust("bot", "--local")
    bot.type("/start")
    bot.expect(r"\[1\] I'm new: join")
    assert bot.stop(signal.SIGINT) == 0
    assert "Fatal" not in bot.output and "Traceback" not in bot.output


def test_a_token_telegram_refuses_is_one_line_and_never_printed(datatrust, fake):
    wrong = "999999:NotTheRightTokenAtAll_0123456789"
    bot = datatrust("bot", DATATRUST_TELEGRAM_TOKEN=wrong)
    assert bot.popen.wait(20) == 1
    bot.stop()
    assert bot.output.strip().splitlines()[-1].startswith("error: Telegram refused the token")
    assert wrong not in bot.output and "999999" not in bot.output


def test_telegram_out_of_reach_at_start_is_one_line_not_a_traceback(datatrust):
    bot = datatrust("bot", DATATRUST_TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}/bot")
    assert bot.popen.wait(20) == 1
    bot.stop()
    assert bot.output.strip().splitlines()[-1].startswith("error: the bot could not start: ")
    assert "Traceback" not in bot.output


def test_without_a_token_it_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_TELEGRAM_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["bot"])
    assert result.exit_code == 1
    assert result.output.strip() == FROM_BOTFATHER
    assert "@BotFather" in FROM_BOTFATHER and "datatrust bot --local" in FROM_BOTFATHER
    assert not (tmp_path / "var").exists()  # refused before the store was touched


@pytest.mark.parametrize(
    ("args", "env", "code", "says"),
    [
        (["--webhook", "http://bot.example.org/updates"], {}, 1, "not a public https:// URL"),
        (["--webhook", "https://bot.example.org/u"], {"DATATRUST_TELEGRAM_WEBHOOK_SECRET": "no spaces"}, 1, "only"),
        (["--local", "--webhook", "https://bot.example.org/u"], {}, 2, "takes no --webhook"),
    ],
)
def test_bad_webhook_settings_are_refused_before_anything_starts(monkeypatch, tmp_path, args, env, code, says):
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("DATATRUST_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.delenv("DATATRUST_TELEGRAM_API_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["bot", *args])
    assert result.exit_code == code and says in result.output
    assert "123:abc" not in result.output and not (tmp_path / "var").exists()


def test_the_webhook_secret_is_new_each_start_unless_configured():
    first, second = runner.webhook_secret(None), runner.webhook_secret(None)
    assert first != second and all(runner.SECRET_TOKEN.fullmatch(secret) for secret in (first, second))
    assert runner.webhook_secret("kept-across_restarts") == "kept-across_restarts"
