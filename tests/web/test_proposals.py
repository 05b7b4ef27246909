"""Proposals on the web: a trustee opens, follows and closes one; a caseworker records
a signed paper ballot; pages show turnout, and counts only once closed, never a choice."""

from uuid import UUID

import pytest

from tests.conftest import MEMBER_THEMSELF, OPERATOR
from tests.support import nothing_recorded

RULE_CHANGE = {
    "title": "Raise the minimum cell size",
    "text": "Insight releases would need at least 15 members in every group.",
    "choices": "For\nAgainst",
    "closes": "2026-03-09T17:00",
    "quorum_percent": "25",
    "pass_percent": "50",
    "kind": "rule",
    "rule_code": "min-cell-size",
    "rule_value": "15",
}


@pytest.fixture
def voters(web_services):
    return [web_services.trust.register_member(f"Voter {n}", MEMBER_THEMSELF, channel="bot") for n in range(4)]


def open_proposal(trustee, **changes) -> UUID:
    response = trustee.form("/trustee/proposals/new", {**RULE_CHANGE, **changes})
    assert response.status_code == 302, trustee.text(response)
    return UUID(response.headers["Location"].rsplit("/", 1)[1])


def test_a_trustee_opens_follows_and_closes_a_rule_change(trustee, web_services, web_clock, voters):
    trust = web_services.trust
    proposal = open_proposal(trustee)
    page = trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    assert "Raise the minimum cell size" in page and "0 of 4" in page and "4 members" in page
    trust.cast_vote(proposal, voters[0], 0, OPERATOR)
    trust.cast_vote(proposal, voters[1], 0, OPERATOR)
    trust.cast_vote(proposal, voters[2], 1, OPERATOR)

    page = trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    assert "3 of 4 (75%)" in page and "Votes per option" not in page
    assert "The counts are shown once the proposal closes" in page
    with nothing_recorded(web_services):
        early = trustee.post(f"/trustee/proposals/{proposal}/close", follow_redirects=True)
    assert "cannot be closed before then" in trustee.text(early)

    web_clock.advance(days=8)
    closed = trustee.text(trustee.post(f"/trustee/proposals/{proposal}/close", follow_redirects=True))
    assert "Proposal closed" in closed and "The proposal passed." in closed
    assert "<td>For</td><td>2</td>" in closed and "<td>Against</td><td>1</td>" in closed
    listing = trustee.text(trustee.get("/trustee/proposals"))
    assert "passed" in listing and "3 of 4" in listing
    rules = trustee.text(trustee.get("/trustee/rules"))
    assert "<strong>15</strong>" in rules and "the vote on" in rules and "Raise the minimum cell size" in rules
    assert "2026-03-10" in rules  # when the vote set it (closed 8 days after 2 March)


def test_the_rules_page_shows_defaults_before_any_vote(trustee):
    page = trustee.text(trustee.get("/trustee/rules"))
    assert "Minimum cell size for insight releases" in page and "<strong>10</strong>" in page
    assert "the default (10)" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"choices": "For"}, "Give 2 to 8 options"),
        ({"choices": ""}, "Give 2 to 8 options"),
        ({"choices": "For\nfor"}, "different"),
        ({"closes": "2026-03-01T10:00"}, "in the future"),
        ({"closes": "next week"}, "is not a date and time"),
        ({"closes": ""}, "Enter when voting closes"),
        ({"quorum_percent": "120"}, "from 0 to 100"),
        ({"pass_percent": "-5"}, "from 0 to 100"),
        ({"rule_value": "2"}, "from 5 to 1000"),
        ({"rule_value": ""}, "Enter the rule&#39;s new value"),
        ({"rule_code": "max-size"}, "Not a valid choice"),
        ({"title": ""}, "Enter a title"),
    ],
)
def test_a_proposal_form_with_mistakes_is_shown_again_and_records_nothing(
    trustee, web_services, voters, changes, message
):
    trustee.get("/trustee/proposals/new")
    with nothing_recorded(web_services):
        response = trustee.post("/trustee/proposals/new", {**RULE_CHANGE, **changes})
    assert response.status_code == 400
    assert message in trustee.text(response)


def test_a_caseworker_records_a_paper_ballot_and_never_sees_a_choice(
    caseworker, trustee, web_services, web_clock, voters
):
    proposal = open_proposal(trustee, kind="poll", choices="Monday\nTuesday\nWednesday", rule_value="")
    member = voters[0]
    web_services.trust.cast_vote(proposal, member, 2, OPERATOR)
    listing = caseworker.text(caseworker.get(f"/members/{member}/ballots"))
    assert "in the chat" in listing and "Wednesday" not in listing
    url = f"/members/{member}/ballots/{proposal}"
    caseworker.get(url)
    with nothing_recorded(web_services):
        refused = caseworker.post(url, {"option": "1", "ballot_ref": ""})
    assert refused.status_code == 400 and "Enter the form&#39;s reference" in caseworker.text(refused)
    with nothing_recorded(web_services):
        refused = caseworker.post(url, {"option": "7", "ballot_ref": "BAL-1"})
    assert refused.status_code == 400 and "Not a valid choice" in caseworker.text(refused)
    done = caseworker.post(url, {"option": "1", "ballot_ref": "BAL-1"}, follow_redirects=True)
    page = caseworker.text(done)
    assert "Paper vote recorded" in page and "on paper" in page
    assert web_services.trust.member_ballot(proposal, member).choice == 1
    for shown in (page, trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))):
        assert "Tuesday</td>" not in shown and "chose" not in shown

    web_clock.advance(days=8)
    caseworker.get(url)
    with nothing_recorded(web_services):
        late = caseworker.post(url, {"option": "0", "ballot_ref": "BAL-2"}, follow_redirects=True)
    assert "Voting on this proposal closed" in caseworker.text(late)


def test_a_caseworker_cannot_open_or_close_and_a_trustee_cannot_record_ballots(
    caseworker, trustee, web_services, voters
):
    proposal = open_proposal(trustee)
    for url in ("/trustee/proposals", "/trustee/proposals/new", f"/trustee/proposals/{proposal}", "/trustee/rules"):
        assert caseworker.get(url).status_code == 403
    with nothing_recorded(web_services):
        assert caseworker.post(f"/trustee/proposals/{proposal}/close").status_code == 403
        assert caseworker.post("/trustee/proposals/new", RULE_CHANGE).status_code == 403
        assert trustee.post(f"/members/{voters[0]}/ballots/{proposal}", {"option": "0"}).status_code == 403


def test_a_paper_ballot_never_tells_the_caseworker_the_members_earlier_choice(
    caseworker, trustee, web_services, voters
):
    proposal = open_proposal(trustee, kind="poll", choices="Monday\nTuesday\nWednesday", rule_value="")
    member = voters[0]
    web_services.trust.cast_vote(proposal, member, 2, OPERATOR)
    url = f"/members/{member}/ballots/{proposal}"
    caseworker.get(url)
    done = caseworker.post(url, {"option": "2", "ballot_ref": "BAL-7"}, follow_redirects=True)
    page = caseworker.text(done)
    assert "Wednesday&#39;" not in page and "already chose" not in page
    assert "Paper vote recorded" in page and "on paper" in page
    assert web_services.trust.member_ballot(proposal, member).choice == 2
