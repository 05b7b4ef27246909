"""`datatrust serve`: a first trustee on a new store, and only then."""

import re

from click.testing import CliRunner

from adapters.cli.main import cli
from adapters.web import server


def test_serve_makes_a_first_trustee_with_a_one_time_link_only_on_a_new_store(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(server.TrustServer, "run", lambda self: started.append(self.options["bind"]))
    monkeypatch.setenv("DATATRUST_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("DATATRUST_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATATRUST_MASTER_KEY", raising=False)
    monkeypatch.delenv("DATATRUST_MASTER_KEY_FILE", raising=False)
    first = CliRunner().invoke(cli, ["serve", "--port", "8123", "--first-trustee", "tess"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    link = re.search(r"http://127\.0\.0\.1:8123/welcome/(\S+)", first.output)
    assert link and "Made the first trustee account, tess" in first.output
    second = CliRunner().invoke(cli, ["serve", "--port", "8123"], catch_exceptions=False)
    assert "/welcome/" not in second.output and "Serving the trust at http://127.0.0.1:8123/" in second.output
    assert started == ["127.0.0.1:8123", "127.0.0.1:8123"]
    assert (tmp_path / "var" / "datatrust.sqlite3").exists()


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
