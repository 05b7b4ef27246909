"""The trustees' audit pages answer exactly as `datatrust audit` does."""

import csv
import io
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from adapters.cli.main import cli
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.conftest import TRUSTEE

MEMBER = Actor("member", "mary")


@pytest.fixture
def history(web_services, web_clock, lender):
    """Mary consents on Monday, withdraws on paper on Tuesday, and it is entered on Thursday;
    the lender reads on Wednesday."""
    trust = web_services.trust
    organisation_id, _token = lender
    member_id = trust.register_member("Mary Atkinson", MEMBER, channel="bot", profile={"area": "CA11"})
    consent_id = trust.grant_consent(
        member_id, "affordable-credit", ["contact"], Audience(kind="social-lender"), MEMBER, collected_via="bot"
    )
    tuesday = web_clock.advance(days=1)
    web_clock.advance(days=1)
    trust.record_access(organisation_id, member_id, "affordable-credit", ["contact"], Actor("organisation", "t"))
    web_clock.advance(days=1)
    trust.revoke_consent(consent_id, TRUSTEE, effective_at=tuesday, evidence_ref="WD-1")
    code = web_services.views.member_card(member_id)["reference_code"]
    return {
        "member_id": member_id,
        "code": code,
        "organisation_id": organisation_id,
        "wednesday": tuesday + timedelta(days=1),
    }


def cli_json(web_services, monkeypatch, *args):
    monkeypatch.setenv("DATATRUST_DATABASE_URL", web_services.settings.database_url)
    monkeypatch.setenv("DATATRUST_MASTER_KEY_FILE", str(web_services.settings.master_key_file))
    result = CliRunner().invoke(cli, ["--actor", "trustee:tess", "audit", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def web_csv(trustee, url: str) -> list[dict]:
    response = trustee.get(url + "&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("axis", ["recorded", "effective"])
def test_who_could_see_agrees_with_the_cli_on_both_axes(trustee, web_services, history, monkeypatch, axis):
    at = history["wednesday"].strftime("%Y-%m-%dT%H:%M")  # as a datetime-local input sends it (UK time)
    cli_answer = cli_json(
        web_services, monkeypatch, "who-could-see", str(history["member_id"]), "--at", at, "--axis", axis
    )
    url = f"/trustee/audit/who-could-see?member={history['code']}&at={at}&axis={axis}"
    page = trustee.get(url)
    rows = web_csv(trustee, url)
    expected = [
        (o["organisation"], c["consent_id"], c["valid_from"], c["valid_to"] or "")
        for o in cli_answer["organisations"]
        for c in o["consents"]
    ]
    assert [(r["organisation"], r["consent_id"], r["valid_from"], r["valid_to"]) for r in rows] == expected
    if axis == "recorded":  # the system still enforced the consent on Wednesday
        assert len(rows) == 1 and "Eden Valley Credit Union" in trustee.text(page)
    else:  # but as now known, Mary had withdrawn on Tuesday
        assert rows == [] and "No organisation could see this member" in trustee.text(page)


def test_what_could_see_history_and_explain_agree_with_the_cli(trustee, web_services, history, monkeypatch):
    organisation_id, member_id = history["organisation_id"], history["member_id"]
    start = (history["wednesday"] - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    end = (history["wednesday"] + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    cli_what = cli_json(web_services, monkeypatch, "what-could-see", str(organisation_id), "--from", start, "--to", end)
    web_what = web_csv(
        trustee, f"/trustee/audit/what-could-see?organisation={organisation_id}&start={start}&end={end}&axis=recorded"
    )
    assert [(r["member_id"], r["valid_from"], r["valid_to"]) for r in web_what] == [
        (g["member_id"], g["valid_from"], g["valid_to"] or "") for g in cli_what["grants"]
    ]
    cli_history = cli_json(web_services, monkeypatch, "history", str(member_id))
    web_history = web_csv(trustee, f"/trustee/audit/history?member={member_id}")
    assert [r["text"] for r in web_history] == [h["text"] for h in cli_history]
    assert any("read contact" in r["text"] for r in web_history)
    at = history["wednesday"].strftime("%Y-%m-%dT%H:%M")
    cli_explain = cli_json(
        web_services,
        monkeypatch,
        "explain",
        str(organisation_id),
        str(member_id),
        "contact",
        "--at",
        at,
        "--axis",
        "effective",
    )
    [web_explain] = web_csv(
        trustee,
        f"/trustee/audit/explain?organisation={organisation_id}&member={member_id}&category=contact&at={at}"
        "&axis=effective",
    )
    assert web_explain["allowed"] == str(cli_explain["allowed"]) == "False"
    assert web_explain["reasons"] == "; ".join(cli_explain["reasons"])


def test_the_late_facts_page_shows_the_late_withdrawal_and_the_read_in_its_window(trustee, history):
    page = trustee.text(trustee.get("/trustee/audit/late-facts"))
    assert "Consent withdrawn: Mary Atkinson" in page and "evidence WD-1" in page
    assert "Reads in the window</dt><dd><ul><li>Eden Valley Credit Union read Mary Atkinson&#39;s" in page
    rows = list(csv.DictReader(io.StringIO(trustee.get("/trustee/audit/late-facts?format=csv").get_data(as_text=True))))
    assert [r["fact"] for r in rows] == ["consent withdrawn"]


def test_a_bad_audit_question_is_answered_with_clear_errors(trustee, history):
    response = trustee.get("/trustee/audit/who-could-see?member=ZZZZ&at=yesterday&axis=sideways")
    text = trustee.text(response)
    assert response.status_code == 400 and "Not a valid choice" in text
    unknown = trustee.get("/trustee/audit/who-could-see?member=nobody&axis=recorded")
    assert unknown.status_code == 400 and "No member is known by nobody" in trustee.text(unknown)
    time = trustee.get(f"/trustee/audit/who-could-see?member={history['code']}&at=yesterday&axis=recorded")
    assert time.status_code == 400 and "is not a date and time" in trustee.text(time)


def test_csv_cells_never_run_as_spreadsheet_formulas(trustee, web_services, lender):
    trust = web_services.trust
    member_id = trust.register_member("=HYPERLINK(1)", MEMBER, channel="bot")
    trust.grant_consent(member_id, "affordable-credit", ["contact"], Audience(kind="social-lender"), MEMBER)
    organisation_id, _token = lender
    at = web_services.clock().strftime("%Y-%m-%d %H:%M")
    rows = web_csv(trustee, f"/trustee/audit/what-could-see?organisation={organisation_id}&start={at}&axis=recorded")
    assert rows[0]["member"] == "'=HYPERLINK(1)"


def test_the_dashboard_counts_without_naming_anyone(trustee, history):
    page = trustee.text(trustee.get("/trustee"))
    assert "Members: 1" in page and "CA11" in page and "Eden Valley Credit Union" in page
    assert "Mary" not in page
