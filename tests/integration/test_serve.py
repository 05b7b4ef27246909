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
