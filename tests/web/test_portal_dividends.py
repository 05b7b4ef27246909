# ruff: noqa: F811 - the portal fixtures are imported by name
"""In the portal, a social business that was a member at the end of 2025 sees its dividend from the
2025 surplus and gives it to one of the year's community projects, confirming first: recorded as by
itself via the portal, paid to the project on the treasurer's list; without the tick, with no
project chosen, or a second time, nothing is recorded and the page says why."""

from datetime import UTC, datetime

import pytest

from domain.kernel.actors import Actor
from tests.conftest import TRUSTEE
from tests.support import nothing_recorded
from tests.surplus_support import IN_2025, PROJECTS, clock_in_2025, co_op_year, rule_vote, split_ballot
from tests.web.conftest import Web
from tests.web.test_audit_in_words import visible
from tests.web.test_member_portal import issue_link, member  # noqa: F401 - the fixture

BUSINESS = "Eden Bakery CIC"


@pytest.fixture
def web_clock():
    return clock_in_2025()


@pytest.fixture
def business(web_services, web_clock):
    """A social business that joined in 2025 with three other members; the 2025 surplus of £1,000
    recorded, half voted to dividends, shared equally: £125 each."""
    trust = web_services.trust
    web_clock.now = IN_2025
    joined = trust.register_member(BUSINESS, Actor("member", "self"), channel="web", kind="organisation-member")
    others = co_op_year(trust, web_clock, members=3, income_pence=400_000)
    trust.record_surplus(2025, 100_000, "ACC-2025", TRUSTEE)
    uses = split_ballot(trust, web_clock, [joined, *others], [[50, 50, 0]] * 4)
    trust.decide_surplus_uses(2025, uses, 0, PROJECTS, TRUSTEE)
    trust.share_dividends(2025, 100, 0, rule_vote(trust, web_clock, [joined, *others]), TRUSTEE)
    return joined


def test_a_member_gives_its_dividend_to_a_community_project_in_the_portal(member, business, web_services):
    listed = visible(member.text(member.get("/portal")))
    assert "Dividends" in listed
    shown = visible(member.text(member.get("/portal/dividends")))
    assert "2025 surplus £125.00 Paid to you" in shown
    assert "Give it to a community project instead" in shown
    form = visible(member.text(member.get("/portal/dividends/2025/give")))
    assert "Your dividend from the 2025 surplus is £125.00" in form
    assert all(project in form for project in PROJECTS)

    with nothing_recorded(web_services):
        unticked = member.post("/portal/dividends/2025/give", {"project": PROJECTS[1]})
    assert unticked.status_code == 400
    assert "Nothing was given: tick the box to confirm." in member.text(unticked)
    with nothing_recorded(web_services):
        no_project = member.post("/portal/dividends/2025/give", {"confirm": "y"})
    assert no_project.status_code == 400 and "Choose a community project." in member.text(no_project)
    with nothing_recorded(web_services):
        not_one = member.post("/portal/dividends/2025/give", {"project": "My own pocket", "confirm": "y"})
    assert not_one.status_code == 400

    given = member.post("/portal/dividends/2025/give", {"project": PROJECTS[1], "confirm": "y"})
    assert given.status_code == 302 and given.headers["Location"] == "/portal/dividends"
    after = visible(member.text(member.get("/portal/dividends")))
    assert "Thank you: your 2025 dividend of £125.00 goes to Penrith skate park." in after
    assert "You gave it to Penrith skate park" in after and "Give it to a community project" not in after
    paid = {row["member_id"]: row["given_to"] for row in web_services.views.payment_list(2025)}
    assert paid[business] == "Penrith skate park" and len(paid) == 4 and sum(v is None for v in paid.values()) == 3
    history = [(e["what"], e["actor"]) for e in web_services.views.history(business) if "dividend" in e["what"]]
    assert history == [("dividend given", "member:via portal")]

    with nothing_recorded(web_services):
        again = member.post("/portal/dividends/2025/give", {"project": PROJECTS[0], "confirm": "y"})
    assert again.status_code == 302
    refused = visible(member.text(member.get("/portal/dividends")))
    assert "Your 2025 dividend cannot be given: It already goes to Penrith skate park. Nothing was changed." in refused
    assert member.get("/portal/dividends/2024/give").status_code == 404


def test_a_member_without_a_dividend_is_told_why(app, web_services, web_clock, caseworker):
    web_clock.now = datetime(2026, 2, 1, tzinfo=UTC)
    newcomer = web_services.trust.register_member(
        "New Co-op Ltd", Actor("member", "self"), channel="web", kind="organisation-member"
    )
    web = Web(app.test_client())
    path = issue_link(caseworker, newcomer)
    web.get(path)
    assert web.post(path).status_code == 302
    shown = visible(web.text(web.get("/portal/dividends")))
    assert "You have no dividend yet." in shown
