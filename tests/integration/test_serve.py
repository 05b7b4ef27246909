"""`datatrust serve`: a first trustee on a new store, and only then."""

import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.cli.main import cli
from adapters.web import server
from tests.fake_telegram import FakeTelegram
from tests.support import CHILD_START_SECONDS, bot_environment


@pytest.fixture(autouse=True)
def no_bot_token(monkeypatch):
    """In-process serves here start no chat bot, whatever this machine's environment holds."""
    monkeypatch.delenv("DATATRUST_TELEGRAM_TOKEN", raising=False)


def test_serve_makes_a_first_trustee_with_a_one_time_link_only_on_a_new_store(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(server.TrustServer, "run", lambda self: started.append(self.options["bind"]))
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATATRUST_MASTER_KEY", raising=False)
    monkeypatch.delenv("DATATRUST_MASTER_KEY_FILE", raising=False)
    first = CliRunner().invoke(cli, ["serve", "--port", "8123", "--first-trustee", "tess"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "Made the first trustee account, tess" in first.output and "/welcome/" not in first.output
    # CliRunner's stdout is not a terminal (as under a service manager): the link is in a 0600 file
    path = Path(re.search(r"The one-time sign-in link for tess is in (\S+\.txt)", first.output).group(1))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.parent == tmp_path / "var"
    assert re.search(r"http://127\.0\.0\.1:8123/welcome/(\S+)", path.read_text())
    second = CliRunner().invoke(cli, ["serve", "--port", "8123"], catch_exceptions=False)
    assert "/welcome/" not in second.output and "Serving the trust at http://127.0.0.1:8123/" in second.output
    assert (
        "No trustee can sign in: tess has no password yet. If the one-time link was missed or has expired, "
        "run `datatrust staff link tess --url http://127.0.0.1:8123` for a fresh one."
    ) in second.output
    assert started == ["127.0.0.1:8123", "127.0.0.1:8123"]
    assert (tmp_path / "var" / "datatrust.sqlite3").exists()


def test_serve_on_a_terminal_prints_the_first_link_there_and_is_quiet_once_a_trustee_can_sign_in(tmp_path, monkeypatch):
    from adapters.bootstrap import bootstrap
    from adapters.cli import staff

    monkeypatch.setattr(server.TrustServer, "run", lambda self: None)
    monkeypatch.setattr(staff, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_DATABASE_URL", raising=False)
    first = CliRunner().invoke(cli, ["serve"], catch_exceptions=False)
    token = re.search(r"  http://127\.0\.0\.1:8000/welcome/(\S+)", first.output).group(1)
    assert "The one-time sign-in link for trustee: open it to choose a password" in first.output
    assert not list((tmp_path / "var").glob("sign-in-link-*"))
    services = bootstrap()
    try:
        services.trust.set_password_with_link(token, "a long and private passphrase 42")
    finally:
        services.close()
    second = CliRunner().invoke(cli, ["serve"], catch_exceptions=False)
    assert "Serving the trust at http://127.0.0.1:8000/" in second.output
    assert "No trustee can sign in" not in second.output and "/welcome/" not in second.output


def test_serve_refuses_a_bad_first_trustee_name_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(server.TrustServer, "run", lambda self: None)
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--first-trustee", "Tess Smith!"])
    assert result.exit_code == 1 and result.output.startswith("error: A username is")


def test_the_access_log_never_holds_a_sign_in_link_token():
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = server.RedactingLogger(Config())
    request = SimpleNamespace(
        method="GET",
        path="/welcome/s3cret-token",
        query="",
        uri="/welcome/s3cret-token",
        version=(1, 1),
        headers=[],
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], status_code=200)
    environ = {
        "RAW_URI": "/welcome/s3cret-token",
        "PATH_INFO": "/welcome/s3cret-token",
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["U"] == "/welcome/[token]"
    assert "s3cret" not in " ".join(str(value) for value in atoms.values())


def test_serve_says_plainly_when_the_chat_bot_is_not_running(tmp_path, monkeypatch):
    monkeypatch.setattr(server.TrustServer, "run", lambda self: None)
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve"], catch_exceptions=False)
    assert result.exit_code == 0
    assert (
        "The members' chat bot is not running: set DATATRUST_TELEGRAM_TOKEN to start it with the web forms "
        "(or run `datatrust bot --local` to try it)."
    ) in result.output


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_serve_with_a_token_runs_the_chat_bot_beside_the_web_forms_and_stops_it_with_them(tmp_path):
    with FakeTelegram() as fake:
        port = free_port()
        env = bot_environment(tmp_path / "var", fake)
        serving = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [*DATATRUST, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        try:
            mary = fake.user("Mary")
            fake.send_command(mary, "/start")
            assert "Are you new" in fake.wait_for_messages(mary, 1, timeout=CHILD_START_SECONDS)[0].text
            until_serving(port)
        finally:
            serving.send_signal(signal.SIGTERM)
            output, _ = serving.communicate(timeout=30)  # ends when serve and the bot (same stdout) both have
    assert serving.returncode == 0, output
    assert "Starting the members' chat bot beside the web forms" in output
    assert "The members' chat bot has stopped." in output
    assert fake.token not in output


DATATRUST = [sys.executable, "-c", "from adapters.cli.main import cli; cli(prog_name='datatrust')"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until_serving(port: int, timeout: float = CHILD_START_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # answered
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
