"""`datatrust staff list|link`: the operator's way back in when a sign-in link was missed or expired."""

import re
import stat
from pathlib import Path

import pytest

from adapters.cli import staff as staff_cli
from domain.kernel.errors import InvalidRequest
from domain.staff.model import StaffAccount
from tests.conftest import OPERATOR
from tests.support import nothing_recorded

PASSWORD = "a long and private passphrase 42"  # noqa: S105 - a test account's
LINK_FILE = re.compile(r"The one-time sign-in link for (\S+) is in (\S+\.txt)")


def link_in_file(output: str) -> tuple[str, Path]:
    found = LINK_FILE.search(output)
    assert found, output
    return found.group(1), Path(found.group(2))


def token_of(text: str) -> str:
    found = re.search(r"/welcome/([A-Za-z0-9_-]+)", text)
    assert found, text
    return found.group(1)


@pytest.fixture
def accounts(services):
    """tess: a trustee who chose a password; amy: a caseworker who never did; old: disabled."""
    tess = services.trust.open_staff_account("tess", ["trustee"], OPERATOR)
    services.trust.set_password_with_link(tess.token, PASSWORD)
    amy = services.trust.open_staff_account("amy", ["caseworker"], OPERATOR)
    old = services.trust.open_staff_account("old", ["caseworker", "trustee"], OPERATOR)
    services.trust.disable_staff_account(old.account_id, OPERATOR)
    return {"tess": tess, "amy": amy, "old": old}


def test_staff_list_shows_each_account_its_roles_whether_enabled_and_ever_signed_in_and_no_secrets(cli_run, accounts):
    result = cli_run("staff", "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "amy: caseworker, enabled, has never signed in",
        "old: caseworker and trustee, disabled, has never signed in",
        "tess: trustee, enabled, has signed in",
    ]
    assert not any(link.token in result.output for link in accounts.values())


def test_staff_list_says_when_no_trustee_can_sign_in(cli_run, services):
    services.trust.open_staff_account("tess", ["trustee"], OPERATOR)
    result = cli_run("staff", "list")
    assert result.output.splitlines() == [
        "tess: trustee, enabled, has never signed in",
        "No trustee can sign in: tess has no password yet. If the one-time link was missed or has "
        "expired, run `datatrust staff link tess` for a fresh one.",
    ]


def test_staff_link_off_a_terminal_writes_a_0600_file_and_prints_only_its_path(cli_run, services, accounts):
    result = cli_run("--actor", "operator:olive", "staff", "link", "amy", "--url", "https://trust.example/")
    assert result.exit_code == 0, result.output
    username, path = link_in_file(result.output)
    assert username == "amy" and "/welcome/" not in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_text()
    assert "https://trust.example/welcome/" in written and "Delete this file once the link is used." in written
    assert services.trust.account_for_link(token_of(written)).username == "amy"
    with pytest.raises(
        InvalidRequest, match="expired or has already been used"
    ):  # the link printed when the account was opened no longer works
        services.trust.account_for_link(accounts["amy"].token)
    events = list(services.trust.application.repository.event_store.get(StaffAccount.create_id("amy")))
    assert type(events[-1]).__name__ == "SignInLinkIssued" and events[-1].actor == "operator:olive"


def test_staff_link_on_a_terminal_prints_the_link_and_writes_no_file(
    cli_run, services, settings, accounts, monkeypatch
):
    monkeypatch.setattr(staff_cli, "stdout_is_terminal", lambda: True)
    result = cli_run("staff", "link", "tess")
    assert result.exit_code == 0, result.output
    assert "The one-time sign-in link for tess: open it to choose a password" in result.output
    assert "http://127.0.0.1:8000/welcome/" in result.output
    assert services.trust.account_for_link(token_of(result.output)).username == "tess"
    assert not list(settings.master_key_file.parent.glob("sign-in-link-*"))


@pytest.mark.parametrize(
    ("username", "sentence"),
    [
        ("nobody", "error: There is no staff account called nobody. `datatrust staff list` shows every account.\n"),
        (
            "old",
            "error: The account old is disabled. A trustee can enable it again on the Staff page, "
            "or run `datatrust staff enable old`; then ask for a link.\n",
        ),
        ("Not A Name!", "error: A username is 2 to 40 characters"),
    ],
)
def test_staff_link_refuses_an_unknown_or_disabled_account_with_a_sentence_and_changes_nothing(
    cli_run, services, settings, accounts, username, sentence
):
    with nothing_recorded(services):
        result = cli_run("staff", "link", username)
    assert result.exit_code == 1 and result.output.startswith(sentence)
    assert "/welcome/" not in result.output
    assert not list(settings.master_key_file.parent.glob("sign-in-link-*"))
    assert services.trust.account_for_link(accounts["amy"].token).username == "amy"  # other links still work


def test_when_every_trustee_is_disabled_the_operator_enables_one_and_gets_it_a_link(cli_run, services, accounts):
    services.trust.disable_staff_account(accounts["tess"].account_id, OPERATOR)
    listed = cli_run("staff", "list").output
    assert "`datatrust staff enable USERNAME` to enable one again" in listed
    with nothing_recorded(services):
        refused = cli_run("staff", "enable", "nobody")
    assert refused.exit_code == 1 and "There is no staff account called nobody." in refused.output
    enabled = cli_run("--actor", "operator:olive", "staff", "enable", "tess")
    assert enabled.exit_code == 0 and "The account tess is enabled again." in enabled.output
    events = list(services.trust.application.repository.event_store.get(StaffAccount.create_id("tess")))
    assert type(events[-1]).__name__ == "Enabled" and events[-1].actor == "operator:olive"
    with nothing_recorded(services):
        again = cli_run("staff", "enable", "tess")
    assert again.exit_code == 1 and again.output == "error: The account tess is not disabled.\n"
    _username, path = link_in_file(cli_run("staff", "link", "tess").output)
    assert services.trust.account_for_link(token_of(path.read_text())).username == "tess"


def test_the_operator_opens_a_new_staff_account_with_its_link(cli_run, services, accounts):
    result = cli_run("--actor", "operator:olive", "staff", "open", "nell", "--role", "trustee", "--role", "caseworker")
    assert result.exit_code == 0, result.output
    username, path = link_in_file(result.output)
    assert username == "nell" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert services.trust.account_for_link(token_of(path.read_text())).roles == ["caseworker", "trustee"]
    with nothing_recorded(services):
        taken = cli_run("staff", "open", "tess", "--role", "trustee")
    assert taken.exit_code == 1 and "There is already an account called tess." in taken.output
