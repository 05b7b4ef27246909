"""The members' portal: a one-time link from a caseworker signs a member in (once, for 30 minutes);
signing out ends the session on the server; the member shares their data from forms made from the
data standard, and gives and withdraws their consents."""

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.kernel.actors import Actor
from tests.support import nothing_recorded
from tests.web.conftest import Web

BUSINESS = "Quarry Lane Community Bakery"
LINK = re.compile(r'<p class="secret">(http://localhost/portal/sign-in/[^<]+)</p>')
PROFILE = {
    "field_org_id": "gb-mpr-30084r",
    "field_legal_form": "co-operative",
    "field_sector": "I",
    "field_area": "ca11",
    "field_year_founded": "2009",
    "field_employees": "6.5",
    "field_annual_income": "£312,500",
    "field_income_trading": "80",
    "field_income_grants": "20",
}
GRANT = {
    "field_grant_id": "360G-eden-2024-17",
    "field_title": "A second oven",
    "field_funder": "GB-CHC-1123456",
    "field_amount": "12,500",
    "field_instrument": "grant",
    "field_date": "25/3/2024",
}


@pytest.fixture
def business(web_services):
    """A social business that joined by itself (so confirmed at once)."""
    joined = datetime(2026, 2, 1, tzinfo=UTC)
    return web_services.trust.register_member(
        BUSINESS, Actor("member", "self"), channel="web", kind="organisation-member", effective_at=joined
    )


def issue_link(caseworker: Web, member_id) -> str:
    caseworker.get(f"/members/{member_id}")
    response = caseworker.post(f"/members/{member_id}/portal-link")
    assert response.status_code == 302
    shown = caseworker.get(response.headers["Location"])
    assert shown.headers["Cache-Control"] == "no-store"
    url = LINK.search(caseworker.text(shown)).group(1)
    again = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert url not in again  # shown once
    return url.removeprefix("http://localhost")


@pytest.fixture
def member(app, caseworker, business) -> Web:
    """The business's member, signed in to the portal with a link a caseworker issued."""
    web = Web(app.test_client())
    path = issue_link(caseworker, business)
    assert "Press the button to sign in" in web.text(web.get(path))
    response = web.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/portal"
    web.get("/portal")  # the page the browser is sent to (its forms carry this session's token)
    return web


def test_a_link_signs_the_member_in_once_and_each_step_is_in_their_history(
    app, member, caseworker, business, web_services
):
    home = member.text(member.get("/portal"))
    assert "Your data" in home and BUSINESS in home and "Organisation profile" in home
    history = [(e["what"], e["actor"]) for e in web_services.views.history(business) if "portal" in e["what"]]
    assert history == [("portal link issued", "caseworker:cal"), ("portal sign-in", "member:via portal")]


def test_a_used_or_expired_link_opens_nothing(app, caseworker, business, web_clock):
    path = issue_link(caseworker, business)
    first, second = Web(app.test_client()), Web(app.test_client())
    first.get(path)
    assert first.post(path).status_code == 302
    second.get(path)
    used = second.post(path)
    assert used.status_code == 404 and "already been used" in second.text(used)
    assert second.get("/portal").status_code == 302  # not signed in
    late = issue_link(caseworker, business)
    web_clock.advance(minutes=31)
    third = Web(app.test_client())
    third.get(late)
    expired = third.post(late)
    assert expired.status_code == 404 and "expired" in third.text(expired)
    assert third.get("/portal").headers["Location"].startswith("/portal/sign-in")


def test_a_signed_out_session_cookie_replayed_opens_nothing(app, member, business, web_services):
    copied = member.client.get_cookie("datatrust_session").value
    signed_out = member.post("/portal/sign-out")
    assert signed_out.headers["Location"] == "/portal/sign-in"
    assert "You are signed out" in member.text(member.get("/portal/sign-in"))
    thief = Web(app.test_client())
    thief.client.set_cookie("datatrust_session", copied)
    replayed = thief.get("/portal")
    assert replayed.status_code == 302 and "ended=signed-out" in replayed.headers["Location"]
    assert "This session was signed out" in thief.text(thief.get(replayed.headers["Location"]))
    ended = [e["actor"] for e in web_services.views.history(business) if e["what"] == "portal session ended"]
    assert ended == ["member:via portal"]


def test_the_profile_form_refuses_bad_input_with_every_problem_and_records_nothing(member, web_services, business):
    member.get("/portal/data/organisation-profile")
    bad = {**PROFILE, "field_org_id": "my charity", "field_area": "nowhere", "field_income_grants": "5"}
    with nothing_recorded(web_services):
        response = member.post("/portal/data/organisation-profile", bad)
    page = member.text(response)
    assert response.status_code == 400 and "There are 3 problems" in page
    for problem in ("Identifier", "Area (postcode district) is not in the expected form", "must add up to 100%"):
        assert problem in page
    assert 'id="field_org_id-error"' in page and 'id="field_area-error"' in page  # beside the fields too
    assert 'value="my charity"' in page and 'value="nowhere"' in page  # what was typed is kept
    saved = member.post("/portal/data/organisation-profile", PROFILE)
    assert saved.status_code == 302
    shared = web_services.trust.shared_data(business)["organisation-profile"]
    assert shared.channel == "portal" and shared.actor == "member:via portal"
    assert shared.values["annual-income"] == 31250000 and shared.values["org-id"] == "GB-MPR-30084R"
    home = member.text(member.get("/portal"))
    assert "£312,500.00" in home and "Co-operative society" in home and "6.5 FTE" in home
    again = member.text(member.get("/portal/data/organisation-profile"))
    assert 'value="312500.00"' in again  # the form starts from what was shared


def test_funding_history_records_are_added_changed_and_removed_each_a_new_submission(member, web_services, business):
    member.get("/portal/data/funding-history/records/new")
    with nothing_recorded(web_services):
        refused = member.post("/portal/data/funding-history/records/new", {**GRANT, "field_amount": "lots"})
    assert refused.status_code == 400 and "Amount must be a number" in member.text(refused)
    assert "Record 1:" not in member.text(refused)
    assert member.post("/portal/data/funding-history/records/new", GRANT).status_code == 302
    second = {**GRANT, "field_grant_id": "360G-2", "field_title": "Van", "field_instrument": "loan"}
    member.post("/portal/data/funding-history/records/new", second)
    listed = member.text(member.get("/portal/data/funding-history/records"))
    assert "A second oven" in listed and "£12,500.00" in listed and "Loan" in listed and 'class="stack"' in listed
    member.get("/portal/data/funding-history/records/2")
    member.post("/portal/data/funding-history/records/2", {**second, "field_amount": "9000"})
    member.post("/portal/data/funding-history/records/1/remove")
    history = web_services.trust.shared_history(business)
    assert [len(s.values) for s in history] == [1, 2, 2, 1]
    assert history[-1].values[0]["amount"] == 900000 and history[-1].values[0]["grant-id"] == "360G-2"


def test_the_member_gives_and_withdraws_a_consent_after_reading_its_notice(member, web_services, business, lender):
    organisation_id, _token = lender
    offered = member.text(member.get("/portal/consents"))
    assert "Funding applications" in offered and "Affordable credit" not in offered  # notices for individuals
    assert member.get("/portal/consents/give/affordable-credit").status_code in (400, 404)
    give = member.text(member.get("/portal/consents/give/funding-applications"))
    assert "An approved funder, social lender or social investor this consent names" in give
    assert "Eden Valley Credit Union only" in give
    with nothing_recorded(web_services):
        refused = member.post("/portal/consents/give/funding-applications", {"audience": "kind:council"})
    assert refused.status_code == 400 and "There is a problem" in member.text(refused)
    given = member.post("/portal/consents/give/funding-applications", {"audience": f"org:{organisation_id}"})
    assert given.status_code == 302
    [consent] = web_services.views.consents(business, web_services.clock())
    assert consent["via"] == "portal" and consent["purpose"] == "funding-applications"
    reads = member.text(member.get("/portal/reads"))
    assert "Eden Valley Credit Union" in reads
    listed = member.text(member.get("/portal/consents"))
    assert "Funding applications" in listed and "Withdraw Funding applications" in listed
    member.post(f"/portal/consents/{consent['consent_id']}/withdraw")
    [ended] = web_services.views.consents(business, web_services.clock())
    assert ended["ended_at"] is not None
    assert "Nobody outside the trust" in member.text(member.get("/portal/reads"))


def test_a_member_cannot_withdraw_anothers_consent(app, member, web_services, lender, caseworker):
    other = web_services.trust.register_member("Someone Else", Actor("member", "self"), channel="web")
    from domain.trust import Audience

    theirs = web_services.trust.grant_consent(
        other, "affordable-credit", ["household-finances"], Audience(kind="social-lender"), Actor("member", "self")
    )
    member.get("/portal/consents")
    with nothing_recorded(web_services):
        response = member.post(f"/portal/consents/{theirs}/withdraw")
    assert "not one of your active consents" in member.text(member.get(response.headers["Location"]))


def test_a_caseworker_records_a_paper_form_from_the_standard(caseworker, web_services, business):
    page = caseworker.text(caseworker.get(f"/members/{business}/data/organisation-profile"))
    assert (
        "Identifier (required)" in page
        and "Annual income (£)" in page
        and "Employees (full-time equivalent) (FTE)" in page
    )
    assert '<option value="co-operative">Co-operative society</option>' in page
    bad = {**PROFILE, "field_org_id": "", "field_employees": "lots", "form_ref": "", "signed_on": "2026-02-27"}
    with nothing_recorded(web_services):
        refused = caseworker.post(f"/members/{business}/data/organisation-profile", bad)
    text = caseworker.text(refused)
    assert refused.status_code == 400 and "There are 3 problems" in text
    for problem in ("Enter the form", "Identifier is required", "Employees (full-time equivalent) must be a number"):
        assert problem in text
    assert 'id="form_ref-error"' in text and 'id="field_org_id-error"' in text and 'id="field_employees-error"' in text
    assert 'value="lots"' in text and 'value="ca11"' in text  # what was typed is kept
    done = caseworker.post(
        f"/members/{business}/data/organisation-profile", {**PROFILE, "form_ref": "OP-7", "signed_on": "2026-02-27"}
    )
    assert done.status_code == 302
    shared = web_services.trust.shared_data(business)["organisation-profile"]
    assert shared.channel == "paper" and shared.evidence_ref == "OP-7" and shared.actor == "caseworker:cal"
    assert shared.effective_at.isoformat() == "2026-02-27T00:00:00+00:00"
    member_page = caseworker.text(caseworker.get(f"/members/{business}"))
    assert "Data shared" in member_page and "£312,500.00" in member_page and "via paper (form OP-7)" in member_page
    reads = [e["text"] for e in web_services.views.history_in_words(business, web_services.catalogue)]
    assert any("a paper form of shared data" in text for text in reads)
    assert any("the member's page" in text for text in reads)


def test_a_360giving_file_uploaded_in_the_portal_adds_the_members_grants(member, web_services, business):
    folder = Path(__file__).parents[1] / "integration" / "threesixty"
    member.post("/portal/data/organisation-profile", {"field_org_id": "GB-MPR-30084R"})
    member.get("/portal/data/funding-history/records")
    bad = (folder / "quarry-lane-bad-rows.csv").read_bytes()
    with nothing_recorded(web_services):
        refused = member.post(
            "/portal/data/funding-history/records/upload", {"file": (io.BytesIO(bad), "quarry-lane.csv")}
        )
    page = member.text(refused)
    assert refused.status_code == 400 and "There are 5 problems" in page
    assert "Row 3, Amount Awarded" in page and "Row 6, Identifier" in page and "is also on row 2" in page
    assert 'id="file-error"' in page
    good = (folder / "eden-valley-trust-grants.csv").read_bytes()
    done = member.post("/portal/data/funding-history/records/upload", {"file": (io.BytesIO(good), "eden.csv")})
    assert done.status_code == 302
    listed = member.text(member.get(done.headers["Location"]))
    assert "Funding history imported: 2 added, 0 updated (2 records in all)." in listed
    assert "Apprentice baker" in listed and "£31,250.50" in listed
    latest = web_services.trust.shared_data(business)["funding-history"]
    assert (latest.channel, latest.actor) == ("portal", "member:via portal")


def test_an_individual_uses_the_portal_for_their_own_categories(app, caseworker, web_services):
    person = web_services.trust.register_member("Mary Atkinson", Actor("member", "self"), channel="web")
    web = Web(app.test_client())
    path = issue_link(caseworker, person)
    web.get(path)
    web.post(path)
    home = web.text(web.get("/portal"))
    assert "Wellbeing" in home and "Housing" in home and "Organisation profile" not in home
    assert web.get("/portal/data/organisation-profile").status_code == 404  # not asked of an individual
    form = web.text(web.get("/portal/data/housing"))
    assert 'type="radio"' in form and "Can you afford to keep your home warm enough?" in form
    assert '<label for="field_bedrooms">Bedrooms</label>' in form  # its unit is in its name already
    saved = web.post("/portal/data/housing", {"field_tenure": "social-rent", "field_warm_enough": "no"})
    assert saved.status_code == 302
    shared = web_services.trust.shared_data(person)["housing"]
    assert shared.values == {"tenure": "social-rent", "warm-enough": False}
    assert "Rent from a council or housing association" in web.text(web.get("/portal"))


def test_a_member_who_leaves_is_shut_out_of_the_portal_at_once(member, web_services, business):
    web_services.trust.member_leaves(business, Actor("caseworker", "cal"))
    response = member.get("/portal")
    assert response.status_code == 302 and "ended=left" in response.headers["Location"]
    assert "Your membership has ended" in member.text(member.get(response.headers["Location"]))


def test_a_caseworker_adds_funding_records_from_paper_one_at_a_time(caseworker, web_services, business):
    url = f"/members/{business}/data/funding-history"
    page = caseworker.text(caseworker.get(url))
    assert "One record at a time" in page and "Amount (£) (required)" in page
    with nothing_recorded(web_services):
        refused = caseworker.post(
            url, {**GRANT, "field_date": "25/3/2099", "form_ref": "FH-1", "signed_on": "2026-02-27"}
        )
    assert refused.status_code == 400 and "Date awarded cannot be in the future" in caseworker.text(refused)
    assert "Record 1:" not in caseworker.text(refused)
    for grant_id, ref in (("360G-1", "FH-1"), ("360G-2", "FH-2")):
        caseworker.get(url)
        sent = {**GRANT, "field_grant_id": grant_id, "form_ref": ref, "signed_on": "2026-02-27"}
        assert caseworker.post(url, sent).status_code == 302
    latest = web_services.trust.shared_data(business)["funding-history"]
    assert [r["grant-id"] for r in latest.values] == ["360G-1", "360G-2"] and latest.evidence_ref == "FH-2"
    assert "2 records." in caseworker.text(caseworker.get(f"/members/{business}"))
