"""Organisations by their org-id: given at registration, checked, one organisation per identifier,
shown where the organisation is; organisations recorded before org-ids were asked still load."""

import json
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.organisations.api_tokens import token_digest
from domain.organisations.model import Organisation
from projections.core.rebuild import rebuild
from tests.conftest import TRUSTEE
from tests.support import nothing_recorded


def test_an_organisation_registered_with_its_org_id_is_found_and_shown_with_it(trust, views):
    funder = trust.register_organisation("Eden Valley Trust", "funder", TRUSTEE, org_id=" gb-chc-1123456 ")
    assert trust.organisation(funder).org_id == "GB-CHC-1123456"
    assert views.organisation(funder)["org_id"] == "GB-CHC-1123456"
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    assert trust.organisation(lender).org_id is None
    assert [(o["name"], o["org_id"]) for o in views.organisations()] == [
        ("Eden Valley Credit Union", None),
        ("Eden Valley Trust", "GB-CHC-1123456"),
    ]


def test_an_org_id_taken_or_not_in_a_scheme_is_refused_with_a_sentence(trust, services):
    trust.register_organisation("Eden Valley Trust", "funder", TRUSTEE, org_id="GB-CHC-1123456")
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow) as taken:
            trust.register_organisation("Eden Trust (again)", "funder", TRUSTEE, org_id="GB-CHC-1123456")
        assert (
            str(taken.value)
            == "GB-CHC-1123456 is already the identifier of Eden Valley Trust; no two organisations share one."
        )
        with pytest.raises(
            InvalidRequest, match="The organisation's identifier 'CHC 1123456' is not in an org-id.guide"
        ):
            trust.register_organisation("Another Funder", "funder", TRUSTEE, org_id="CHC 1123456")


def test_an_organisation_recorded_before_org_ids_still_loads_and_rebuilds(services, trust, views):
    old = Organisation(name="Penrith Council", kind="council", actor="trustee:tess")
    [stored] = [trust.application.mapper.to_stored_event(event) for event in old.collect_events()]
    state = json.loads(stored.state)
    assert state.pop("org_id") is None
    trust.application.recorder.insert_events([replace(stored, state=json.dumps(state).encode())])
    assert trust.organisation(old.id).org_id is None
    trust.register_organisation("Eden Valley Trust", "funder", TRUSTEE, org_id="GB-CHC-1123456")
    rebuild(trust, services.views.projector)
    assert {o["name"]: o["org_id"] for o in views.organisations()} == {
        "Penrith Council": None,
        "Eden Valley Trust": "GB-CHC-1123456",
    }


TOKEN_FILE = re.compile(r"The new API token (\S+) for .+ is in (\S+)")


def test_the_org_cli_registers_by_org_id_and_issues_lists_and_revokes_tokens(cli_run, services):
    assert cli_run("init").exit_code == 0
    registered = cli_run("org", "register", "Eden Valley Trust", "--kind", "funder", "--org-id", "gb-chc-1123456")
    assert registered.exit_code == 0 and "(Eden Valley Trust, GB-CHC-1123456)" in registered.output
    refused = cli_run("org", "register", "Copycat", "--kind", "funder", "--org-id", "GB-CHC-1123456")
    assert refused.exit_code == 1 and "already the identifier of Eden Valley Trust" in refused.output
    assert "Eden Valley Trust GB-CHC-1123456 (funder): awaiting approval" in cli_run("org", "list").output
    assert (
        "only an approved one gets a token"
        in cli_run("org", "token", "issue", "Eden Valley Trust", "--label", "x").output
    )
    cli_run("org", "approve", "Eden Valley Trust", "--agreement", "DSA-3", "--agreement-date", "2026-01-05")

    issued = cli_run("org", "token", "issue", "Eden Valley Trust", "--label", "Grants system")
    assert issued.exit_code == 0, issued.output
    token_id, path = TOKEN_FILE.search(issued.output).groups()  # not a terminal: a file only its owner reads
    assert "dtk_" not in issued.output and stat.S_IMODE(Path(path).stat().st_mode) == 0o600
    secret = re.search(r"dtk_\S+", Path(path).read_text()).group(0)
    assert str(services.views.token_holder(token_digest(secret))["token_id"]) == token_id  # the API knows it
    listed = cli_run("org", "token", "list", "Eden Valley Trust").output
    assert listed.startswith(f"{token_id}  Grants system: issued ") and listed.rstrip().endswith(
        "by trustee:tess, in use"
    )
    assert secret not in listed
    assert (
        cli_run("org", "token", "revoke", token_id).output == f"Token {token_id} revoked: it is refused from now on.\n"
    )
    assert "revoked" in cli_run("org", "token", "list", "Eden Valley Trust").output
    again = cli_run("org", "token", "revoke", token_id)
    assert again.exit_code == 1 and "already revoked" in again.output


def test_a_token_is_printed_once_on_a_terminal(cli_run, monkeypatch):
    from adapters.cli import staff

    monkeypatch.setattr(staff, "stdout_is_terminal", lambda: True)
    cli_run("init")
    cli_run("org", "register", "Eden Valley Trust", "--kind", "funder")
    cli_run("org", "approve", "Eden Valley Trust", "--agreement", "DSA-3", "--agreement-date", "2026-01-05")
    issued = cli_run("org", "token", "issue", "Eden Valley Trust", "--label", "Grants system").output
    assert "It is shown only this once" in issued and re.search(r"^  dtk_\S+$", issued, re.M)
