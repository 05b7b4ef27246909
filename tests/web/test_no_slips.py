"""Caseworkers and trustees do not slip: a reload never does a thing twice (post/redirect/get),
a one-time secret is shown once, destructive actions look different and need a tick the server
checks, a trustee sees the pool before approving an insight request, a request whose pool can
only be empty is refused when sent, and pages offer only what can act and say only what is true."""

import dataclasses
import re
from datetime import timedelta
from uuid import UUID

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.insight_support import community, council, submit
from tests.support import cheap_password_hashing, nothing_recorded
from tests.web.conftest import Web
from tests.web.test_insight_portal import ASK
from tests.web.test_proposals import RULE_CHANGE, open_proposal


@pytest.fixture
def web_services(tmp_path, web_clock, database_url):
    """The web app's store on SQLite and (marked postgres) on PostgreSQL: every test here runs on both."""
    environment = {"DATATRUST_DATABASE_URL": database_url, "DATATRUST_VAR": str(tmp_path / "var")}
    built = bootstrap(Settings.from_environment(environment), clock=web_clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


SECRET = re.compile(r'<p class="secret">\s*(\S+)\s*</p>')
NOT_CONFIRMED = "Nothing was changed: tick the box to confirm."


def _approved_lender(web_services) -> UUID:
    trust = web_services.trust
    organisation = trust.register_organisation("Solway Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-2", (web_services.clock() - timedelta(days=1)).date(), TRUSTEE)
    return organisation


def _api_works(app, token: str) -> bool:
    response = app.test_client().get("/api/v1/insight-requests", headers={"Authorization": f"Bearer {token}"})
    return response.status_code != 401


def test_issuing_a_token_then_reloading_leaves_exactly_one_working_token(trustee, web_services, app):
    organisation = _approved_lender(web_services)
    page = f"/trustee/organisations/{organisation}"
    issued = trustee.form(page, {"label": "Loan system"}, f"{page}/tokens")
    assert issued.status_code == 302 and issued.headers["Location"] == page
    shown = trustee.get(page)
    text = trustee.text(shown)
    [token] = SECRET.findall(text)
    assert "it will not be shown again" in text and _api_works(app, token)
    assert shown.headers["Cache-Control"] == "no-store"  # nor kept for the Back button
    assert 'value="Loan system"' not in text  # the label field is empty again
    with nothing_recorded(web_services):
        reloaded = trustee.text(trustee.get(page))  # the reload is a GET: it issues nothing
    assert token not in reloaded and not SECRET.search(reloaded) and "Loan system" in reloaded
    [row] = web_services.views.api_tokens(organisation)
    assert row["label"] == "Loan system" and row["revoked_rec"] is None


def test_a_token_held_for_one_organisation_is_never_shown_on_anothers_page(trustee, web_services):
    organisation = _approved_lender(web_services)
    other = council(web_services.trust, web_services.clock)
    page = f"/trustee/organisations/{organisation}"
    assert trustee.form(page, {"label": "Loan system"}, f"{page}/tokens").status_code == 302
    assert not SECRET.search(trustee.text(trustee.get(f"/trustee/organisations/{other}")))


def test_a_new_staff_account_and_a_new_sign_in_link_are_shown_once_after_a_redirect(trustee, web_services):
    opened = trustee.form("/trustee/staff", {"username": "newbie", "roles": ["caseworker"]})
    assert opened.status_code == 302 and opened.headers["Location"] == "/trustee/staff"
    first = trustee.get("/trustee/staff")
    assert "/welcome/" in trustee.text(first) and first.headers["Cache-Control"] == "no-store"
    with nothing_recorded(web_services):
        assert "/welcome/" not in trustee.text(trustee.get("/trustee/staff"))
    account = next(a for a in web_services.views.staff() if a["username"] == "newbie")
    page = f"/trustee/staff/{account['account_id']}"
    again = trustee.form(page, {}, f"{page}/sign-in-link")
    assert again.status_code == 302 and again.headers["Location"] == page
    link = trustee.text(trustee.get(page))
    assert "Sign-in link for newbie" in link and "/welcome/" in link
    with nothing_recorded(web_services):
        assert "/welcome/" not in trustee.text(trustee.get(page))


def test_revoking_a_token_needs_the_tick_and_without_it_changes_nothing(trustee, web_services, app):
    organisation = _approved_lender(web_services)
    _token_id, token = web_services.trust.issue_api_token(organisation, "Loan system", TRUSTEE)
    [row] = web_services.views.api_tokens(organisation)
    page = f"/trustee/organisations/{organisation}"
    text = trustee.text(trustee.get(page))
    assert re.search(r'<button type="submit" class="button danger">Revoke token</button>', text)
    assert 'class="button danger">Issue token' not in text and '<button type="submit">Issue token' in text
    with nothing_recorded(web_services):
        refused = trustee.post(f"{page}/tokens/{row['token_id']}/revoke", {})
    assert refused.status_code == 400 and NOT_CONFIRMED in trustee.text(refused)
    assert _api_works(app, token)
    done = trustee.post(f"{page}/tokens/{row['token_id']}/revoke", {"confirm": "y"})
    assert done.status_code == 302 and not _api_works(app, token)


def test_suspending_an_organisation_needs_the_tick_and_without_it_changes_nothing(trustee, web_services):
    organisation = _approved_lender(web_services)
    page = f"/trustee/organisations/{organisation}"
    text = trustee.text(trustee.get(page))
    assert 'class="button danger">Suspend organisation' in text and 'class="danger-zone"' in text
    with nothing_recorded(web_services):
        refused = trustee.post(f"{page}/suspend", {"reason": "Breach under review"})
    assert refused.status_code == 400 and NOT_CONFIRMED in trustee.text(refused)
    assert "Breach under review" in trustee.text(refused)  # what was typed is kept
    assert web_services.views.organisation(organisation)["status"] == "approved"
    assert trustee.post(f"{page}/suspend", {"reason": "Breach under review", "confirm": "y"}).status_code == 302
    assert web_services.views.organisation(organisation)["status"] == "suspended"
    reinstate = trustee.text(trustee.get(page))
    assert "Reinstate organisation" in reinstate and "button danger" not in reinstate  # an ordinary action


def test_disabling_an_account_needs_the_tick_and_without_it_changes_nothing(people, trustee, web_services):
    amy = people("amy.k", ["caseworker"])
    account = next(a for a in web_services.views.staff() if a["username"] == "amy.k")
    page = f"/trustee/staff/{account['account_id']}"
    text = trustee.text(trustee.get(page))
    assert 'class="button danger">Disable account' in text
    assert 'class="button secondary">Make a new sign-in link' in text
    with nothing_recorded(web_services):
        refused = trustee.post(f"{page}/disable", {})
    assert refused.status_code == 400 and NOT_CONFIRMED in trustee.text(refused)
    assert amy.get("/members").status_code == 200  # still signed in
    assert trustee.post(f"{page}/disable", {"confirm": "y"}).status_code == 302
    assert amy.get("/members").status_code == 302


def test_the_review_page_shows_how_many_members_could_be_asked(trustee, web_services, web_clock):
    trust = web_services.trust
    request_id = submit(trust, web_clock, council(trust, web_clock))
    page = trustee.text(trustee.get(f"/trustee/insight/{request_id}"))
    assert "0 members could be asked now" in page and "No member could be asked now" in page
    community(trust, 40)  # the pool is counted live, as a draw now would count it
    page = trustee.text(trustee.get(f"/trustee/insight/{request_id}"))
    assert "40 members could be asked now" in page and "a panel of 30" in page
    assert "no group smaller than 10 members" in page  # the live minimum cell size
    assert "could be asked now, fewer than" not in page and "No member could be asked" not in page


def test_the_pool_shown_says_when_it_is_smaller_than_the_panel(trustee, web_services, web_clock):
    trust = web_services.trust
    community(trust, 12)
    request_id = submit(trust, web_clock, council(trust, web_clock))
    page = trustee.text(trustee.get(f"/trustee/insight/{request_id}"))
    assert "12 members could be asked now" in page and "Only 12 could be asked now" in page


def test_a_social_lender_asking_for_community_insight_is_told_the_pool_can_only_be_empty(app, web_services):
    organisation = _approved_lender(web_services)
    _token_id, token = web_services.trust.issue_api_token(organisation, "Portal", TRUSTEE)
    portal = Web(app.test_client())
    assert portal.form("/organisation/sign-in", {"token": token}).status_code == 302
    with nothing_recorded(web_services):
        refused = portal.form("/organisation/requests/new", ASK)
    text = portal.text(refused)
    assert refused.status_code == 400
    assert "No member could be asked: members&#39; consent to Community insight reaches only a council" in text
    assert "not a social lender like Solway Credit Union" in text and "Nothing was sent." in text
    assert web_services.views.insight_requests(organisation_id=organisation) == []


def test_close_and_count_is_offered_only_once_voting_is_over(trustee, web_services, web_clock):
    web_services.trust.register_member("Voter", MEMBER_THEMSELF, channel="bot")
    proposal = open_proposal(trustee)
    page = trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    assert "Close and count the votes" not in page
    assert "You can close it and count the votes from" in page
    web_clock.advance(days=8)
    page = trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    assert "Close and count the votes" in page and "You can close it" not in page


def test_without_a_chat_channel_the_pages_do_not_say_members_are_told_in_the_chat(trustee):
    form = trustee.text(trustee.get("/trustee/proposals/new"))
    assert "No chat channel is set up (Telegram, SMS or WhatsApp)" in form and "told in the chat" not in form
    response = trustee.form("/trustee/proposals/new", RULE_CHANGE, follow_redirects=True)
    opened = trustee.text(response)
    assert "Proposal opened. No chat channel is set up" in opened and "tell them another way" in opened


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"telegram_token": "123:abc"}, "in the chat (Telegram)"),
        (
            {"telegram_token": "123:abc", "twilio_account_sid": "AC1", "twilio_auth_token": "t", "twilio_from": "+44"},
            "in the chat (Telegram and SMS)",
        ),
    ],
)
def test_with_chat_channels_the_pages_name_them(trustee, web_services, settings, said):
    web_services.settings = dataclasses.replace(web_services.settings, **settings)
    form = trustee.text(trustee.get("/trustee/proposals/new"))
    assert f"are told as soon as it opens {said}." in form and "No chat channel" not in form


def test_the_api_refuses_a_request_whose_pool_can_only_be_empty_with_the_same_sentence(app, web_services):
    organisation = _approved_lender(web_services)
    _token_id, token = web_services.trust.issue_api_token(organisation, "Loan system", TRUSTEE)
    sent = {
        "title": "Buses",
        "purpose": "community-insight",
        "questions": [{"kind": "single", "text": "How good are the buses?", "options": ["good", "fair", "poor"]}],
        "criteria": {"size": 20, "quotas": [], "breakdown": []},
        "fee_offered_pence": 50_000,
        "closes_at": "2026-03-20T12:00:00+00:00",
    }
    with nothing_recorded(web_services):
        response = app.test_client().post(
            "/api/v1/insight-requests", json=sent, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "reaches only a council, not a social lender like Solway Credit Union" in error
    assert "the panel's pool would always be empty. Nothing was sent." in error


def test_closing_a_panel_is_offered_only_once_its_closing_time_has_passed(trustee, web_services, web_clock):
    trust = web_services.trust
    community(trust)
    request_id = submit(trust, web_clock, council(trust, web_clock))
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    trust.draw_panel(request_id, TRUSTEE)
    page = trustee.text(trustee.get(f"/trustee/insight/{request_id}"))
    assert "You can close it from" in page and ">Close</button>" not in page
    web_clock.advance(days=15)
    page = trustee.text(trustee.get(f"/trustee/insight/{request_id}"))
    assert ">Close</button>" in page and "You can close it from" not in page


def test_drawing_a_panel_without_a_chat_channel_says_the_members_must_be_told_another_way(
    trustee, web_services, web_clock
):
    trust = web_services.trust
    community(trust)
    request_id = submit(trust, web_clock, council(trust, web_clock))
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    trustee.get(f"/trustee/insight/{request_id}")
    drawn = trustee.text(trustee.post(f"/trustee/insight/{request_id}/draw", {}, follow_redirects=True))
    assert "Panel drawn. No chat channel is set up" in drawn
    assert "the members drawn are not told they are invited: tell them another way." in drawn
