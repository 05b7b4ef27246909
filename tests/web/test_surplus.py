"""The co-op's surplus on the trustees' pages: record a year's surplus (bad input refused with
the trust's sentence, nothing recorded), open a split ballot, record the uses and the dividend
rule, and download the treasurer's payment list: reference codes and amounts, nothing more,
each download a staff read of every member on it."""

import csv
import io
from datetime import timedelta
from uuid import UUID

import pytest

from tests.conftest import TRUSTEE
from tests.support import nothing_recorded
from tests.surplus_support import MEMBER, PROJECTS, clock_in_2025, co_op_year, rule_vote


@pytest.fixture
def web_clock():
    return clock_in_2025()


def test_a_trustee_records_the_surplus_its_uses_and_dividends_and_downloads_the_payment_list(
    people, web_services, web_clock
):
    trust, views = web_services.trust, web_services.views
    members = co_op_year(trust, web_clock, members=3, income_pence=400_000)
    trustee = people("tess", ["trustee"])

    with nothing_recorded(web_services):
        too_much = trustee.form("/trustee/surplus", {"year": "2025", "amount": "4000.01", "evidence_ref": "ACC-2025"})
    assert too_much.status_code == 400
    assert "more than the income the trust recorded in 2025 (£4,000.00)" in trustee.text(too_much)
    recorded = trustee.form("/trustee/surplus", {"year": "2025", "amount": "1000.00", "evidence_ref": "ACC-2025"})
    assert recorded.status_code == 302 and recorded.headers["Location"].endswith("/trustee/surplus/2025")
    listing = trustee.text(trustee.get("/trustee/surplus"))
    assert "£1,000.00" in listing and "£4,000.00" in listing and "waiting for members" in listing

    opened = trustee.form(
        "/trustee/proposals/new",
        {
            "title": "How should we use the 2025 surplus?",
            "text": "Share 100% between the uses.",
            "choices": "Dividends\nCommunity projects\nReinvest",
            "closes": "2026-01-19T17:00",
            "quorum_percent": "25",
            "pass_percent": "50",
            "kind": "split",
            "rule_code": "min-cell-size",  # the form always sends its select; a split ballot ignores it
        },
    )
    assert opened.status_code == 302, trustee.text(opened)
    proposal = UUID(opened.headers["Location"].rsplit("/", 1)[1])
    assert "A split ballot" in trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    for member, shares in zip(members, [[40, 40, 20], [60, 20, 20]], strict=False):
        trust.cast_split_vote(proposal, member, shares, MEMBER)
    web_clock.advance(days=8)
    trust.close_proposal(proposal, TRUSTEE)
    closed = trustee.text(trustee.get(f"/trustee/proposals/{proposal}"))
    assert "The mean split" in closed and "<td>Dividends</td><td>50%</td>" in closed

    uses = trustee.form(
        "/trustee/surplus/2025",
        {"proposal_id": str(proposal), "dividend_use": "dividends", "projects": "\n".join(PROJECTS)},
        target="/trustee/surplus/2025/uses",
    )
    assert uses.status_code == 302, trustee.text(uses)
    page = trustee.text(trustee.get("/trustee/surplus/2025"))
    assert "£500.00" in page and "Penrith skate park" in page

    rule = rule_vote(trust, web_clock, members)
    with nothing_recorded(web_services):
        bad = trustee.form(
            "/trustee/surplus/2025",
            {"proposal_id": str(rule), "equal_percent": "60", "participation_percent": "30"},
            target="/trustee/surplus/2025/dividends",
        )
    assert bad.status_code == 400 and "This dividend rule does not add up" in trustee.text(bad)
    shared = trustee.form(
        "/trustee/surplus/2025",
        {"proposal_id": str(rule), "equal_percent": "100", "participation_percent": "0"},
        target="/trustee/surplus/2025/dividends",
    )
    assert shared.status_code == 302, trustee.text(shared)
    trust.give_dividend(2025, members[2], "Penrith skate park", MEMBER)

    response = trustee.get("/trustee/surplus/2025/payments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    codes = {views.member_card(m)["reference_code"] for m in members}
    assert {row["reference_code"] for row in rows} == codes
    assert sorted(row["amount"] for row in rows) == ["166.66", "166.67", "166.67"]
    assert sorted(row["pay_to"] for row in rows) == ["community project: Penrith skate park", "member", "member"]
    assert list(rows[0]) == ["reference_code", "amount", "pay_to"]  # no name, no contact, no member id
    for member in members:
        reads = [r for r in views.who_read(member) if "dividend" in str(r)]
        assert reads, f"the download is not in the staff reads of {member}"


def test_a_caseworker_cannot_open_the_surplus_pages(people, web_services):
    caseworker = people("cal", ["caseworker"])
    assert caseworker.get("/trustee/surplus").status_code == 403
    assert caseworker.get("/trustee/surplus/2025/payments.csv").status_code == 403


def test_a_caseworker_records_a_split_from_a_signed_paper_ballot(people, web_services, web_clock):
    trust = web_services.trust
    members = co_op_year(trust, web_clock, members=2)
    proposal = trust.open_proposal(
        "How should we use the 2025 surplus?",
        "Share 100% between the uses.",
        ["Dividends", "Community projects", "Reinvest"],
        web_clock() + timedelta(days=7),
        TRUSTEE,
        split=True,
    )
    caseworker = people("cal", ["caseworker"])
    url = f"/members/{members[0]}/ballots/{proposal}"
    page = caseworker.text(caseworker.get(url))
    assert "Dividends (%)" in page and "shares must add up to 100%" in page

    with nothing_recorded(web_services):
        bad = caseworker.post(url, {"share_0": "50", "share_1": "30", "share_2": "10", "ballot_ref": "BAL-7"})
    assert bad.status_code == 400 and "The shares add up to 90%; they must add up to 100%." in caseworker.text(bad)
    good = caseworker.form(url, {"share_0": "50", "share_1": "30", "share_2": "20", "ballot_ref": "BAL-7"})
    assert good.status_code == 302, caseworker.text(good)
    assert trust.member_ballot(proposal, members[0]).shares == (50, 30, 20)
