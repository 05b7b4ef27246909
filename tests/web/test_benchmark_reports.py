# ruff: noqa: F811 - the portal fixtures are imported by name
"""In the portal, a social business agrees to benchmarking and sees how it compares with its peers:
a table and a chart per group, and the whole report as a PDF; none of it before it agrees."""

import pytest

from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.support import nothing_recorded
from tests.web.test_audit_in_words import visible
from tests.web.test_member_portal import business, member  # noqa: F401 - fixtures

PEER = Actor("member", "a peer business")
PROFILE = {"org-id": "GB-MPR-30084R", "legal-form": "co-operative", "sector": "I", "area": "CA11"}


@pytest.fixture
def peers(web_services):
    """Eleven cafes in CA that agreed to benchmarking: £100,000 to £200,000 of income, 2 to 12 staff."""
    trust = web_services.trust
    for n in range(11):
        cafe = trust.register_member(f"Cafe {n}", PEER, channel="web", kind="organisation-member")
        profile = {**PROFILE, "org-id": f"GB-COH-{20_000_000 + n}", "employees": 2 + n}
        trust.share_data(
            cafe, "organisation-profile", {**profile, "annual-income": (100_000 + n * 10_000) * 100}, PEER, "portal"
        )
        trust.grant_consent(cafe, "benchmarking", ["organisation-profile"], Audience(kind="trust"), PEER)


def test_a_business_that_agreed_sees_where_it_stands_as_a_table_a_chart_and_a_pdf(
    member,
    business,
    peers,
    web_services,
):
    before = member.text(member.get("/portal/benchmarks"))
    assert "Read about benchmarking and agree" in before and "Median" not in before
    assert member.get("/portal/benchmarks.pdf").status_code == 404
    assert member.get("/portal/benchmarks/sector.svg").status_code == 404
    own = {**PROFILE, "employees": 6.5, "annual-income": 31_250_000}  # £312,500: the largest
    web_services.trust.share_data(business, "organisation-profile", own, Actor("member", "self"), "portal")
    give = member.text(member.get("/portal/consents/give/benchmarking"))
    assert "inside the trust only" in give
    assert "The trust itself, for anonymised comparisons only (no organisation)" in give
    assert member.post("/portal/consents/give/benchmarking", {"audience": "kind:trust"}).status_code == 302

    shown = visible(member.text(member.get("/portal/benchmarks")))
    assert "Same sector: Accommodation and food services" in shown and "12 organisations in this group" in shown
    assert "Same area: Postcode area CA" in shown and "Same size: Micro (under 10 staff)" in shown
    # incomes £100k..£200k and £312.5k: quartiles £128k (127.5), £155k, £182k (182.5), to 3 s.f., half to even
    assert "Annual income £312,500 £128,000 £155,000 £182,000 in the highest quarter of 12" in shown
    assert "Funding received in the last 3 years Not shared" in shown
    assert "A figure is published only for a group of at least 10 organisations" in shown
    chart = member.get("/portal/benchmarks/sector.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml" and b"<svg" in chart.data
    assert b"Annual income" in chart.data and b"Middle half of peers" in chart.data
    assert member.get("/portal/benchmarks/shoe-size.svg").status_code == 404
    pdf = member.get("/portal/benchmarks.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["Cache-Control"] == "no-store"


def test_benchmarking_is_given_to_the_trust_only_whatever_the_form_says(member, business, web_services):
    with nothing_recorded(web_services):
        refused = member.post("/portal/consents/give/benchmarking", {"audience": "kind:funder"})
    assert refused.status_code == 400
    assert web_services.views.consents(business, web_services.clock()) == []
