"""A social business sees how it compares with its peers: only from the data of members who agreed
to benchmarking, within the trust only, with small and dominated groups withheld by the members'
rules."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.trust import Audience
from projections.reports.tables import peer_figures
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded

BUSINESS = Actor("member", "the business itself")
SECOND = Actor("caseworker", "sam")
THE_TRUST = Audience(kind="trust")
CATEGORIES = ["organisation-profile", "funding-history"]


def a_business(trust, n: int, income_pounds: int, sector: str = "I", area: str = "CA11", employees: float = 4):
    member = trust.register_member(f"Cafe {n}", BUSINESS, channel="web", kind="organisation-member")
    profile = {
        "org-id": f"GB-COH-{10_000_000 + n:08d}",
        "legal-form": "cic-guarantee",
        "sector": sector,
        "area": area,
        "employees": employees,
        "annual-income": income_pounds * 100,
        "income-trading": 70,
        "income-grants": 30,
        "year-founded": 2010 + n % 10,
    }
    trust.share_data(member, "organisation-profile", profile, BUSINESS, "portal")
    grant = {"funder": "GB-CHC-1123456", "amount": 500_000 + n * 1000, "instrument": "grant", "date": "2026-01-15"}
    trust.share_data(member, "funding-history", [grant], BUSINESS, "portal")
    return member


def agreed(trust, member, categories=CATEGORIES):
    return trust.grant_consent(member, "benchmarking", categories, THE_TRUST, BUSINESS)


def report(services, member):
    return services.views.benchmark_report(member, services.clock(), services.trust.disclosure_rules())


@pytest.fixture
def twelve_cafes(trust):
    """Twelve cafes in CA, each with £100,000 to £210,000 of income, all agreeing to benchmarking."""
    cafes = [a_business(trust, n, 100_000 + n * 10_000) for n in range(12)]
    consents = [agreed(trust, cafe) for cafe in cafes]
    return cafes, consents


def test_a_social_business_sees_its_figures_against_its_peers(services, twelve_cafes):
    cafes, _ = twelve_cafes
    seen = report(services, cafes[0])
    assert [g.group for g in seen.groups] == ["sector", "area", "size"]
    sector = seen.groups[0]
    assert (sector.named, sector.peers, sector.withheld) == ("I", 12, None)
    income = sector.comparisons["annual-income"]
    # £100k..£210k in steps of £10k: quartiles £127.5k, £155k, £182.5k, published to 3 s.f. (half to even)
    assert (income.lower_quartile, income.median, income.upper_quartile) == (12_800_000, 15_500_000, 18_200_000)
    assert income.quarter == 1 and income.withheld is None  # the smallest cafe is in the lowest quarter
    assert report(services, cafes[11]).groups[0].comparisons["annual-income"].quarter == 4
    assert seen.groups[1].named == "CA" and seen.groups[2].named == "micro"
    assert seen.own["funding-received"] == 500_000 and seen.own["annual-income"] == 10_000_000


def test_only_members_who_agreed_are_compared_and_a_withdrawal_takes_a_member_out(services, trust, twelve_cafes):
    cafes, consents = twelve_cafes
    outsider = a_business(trust, 99, 5_000_000)  # shared its figures, never agreed to benchmarking
    assert report(services, outsider) is None
    assert report(services, cafes[0]).groups[0].peers == 12  # the outsider's income is nowhere in it
    trust.revoke_consent(consents[11], BUSINESS)
    trust.revoke_consent(consents[10], BUSINESS)
    assert report(services, cafes[11]) is None  # who withdrew sees no report either
    sector = report(services, cafes[0]).groups[0]
    assert sector.peers == 10 and sector.withheld is None
    trust.revoke_consent(consents[9], BUSINESS)
    withheld = report(services, cafes[0]).groups[0]
    assert withheld.peers == 9 and withheld.comparisons == {}
    assert withheld.withheld == (
        "Only 9 organisations in this group agreed to benchmarking, yours included: figures are compared once "
        "there are at least 10, so that no one's can be read from the comparison."
    )


def test_a_dominant_member_makes_its_groups_money_figures_withheld_with_the_reason(services, trust, twelve_cafes):
    cafes, _ = twelve_cafes
    agreed(trust, a_business(trust, 50, 50_000_000))  # a £50m business among £100k cafes
    sector = report(services, cafes[0]).groups[0]
    income = sector.comparisons["annual-income"]
    assert income.median is None and income.withheld is not None
    assert "the 2 largest hold more than 85% of the group's total" in income.withheld
    assert sector.comparisons["employees"].median == 4.0  # a figure that is not money is still compared


def test_a_group_the_profile_does_not_name_is_said_so(services, trust):
    cafes = [a_business(trust, n, 100_000, employees=4) for n in range(10)]
    for cafe in cafes:
        agreed(trust, cafe)
    lone = trust.register_member("No sector given", BUSINESS, channel="web", kind="organisation-member")
    unsaid = {"org-id": "GB-COH-09999999", "legal-form": "other"}
    trust.share_data(lone, "organisation-profile", unsaid, BUSINESS, "portal")
    agreed(trust, lone)
    groups = report(services, lone).groups
    assert [g.withheld for g in groups] == ["Your profile does not say, so there is no group to compare with."] * 3


def test_funding_counts_only_where_the_member_agreed_to_share_it(services, trust, twelve_cafes):
    cafes, _ = twelve_cafes
    profile_only = a_business(trust, 60, 150_000)
    agreed(trust, profile_only, ["organisation-profile"])
    seen = report(services, profile_only)
    assert seen.own["funding-received"] is None  # shared, but not for benchmarking
    assert seen.groups[0].comparisons["funding-received"].peers == 12  # the twelve who agreed to it


def test_benchmarking_is_given_to_the_trust_itself_and_to_nobody_else(services, trust, approved_lender, clock):
    cafe = a_business(trust, 1, 100_000)
    for audience, says in (
        (Audience(kind="funder"), "used only inside the trust: its consent names no organisation"),
        (Audience(organisation_id=approved_lender), "used only inside the trust: its consent names no organisation"),
    ):
        with nothing_recorded(services), pytest.raises(InvalidRequest, match=says):
            trust.grant_consent(cafe, "benchmarking", CATEGORIES, audience, BUSINESS)
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="Only a purpose used inside the trust"):
        trust.grant_consent(cafe, "funding-applications", CATEGORIES, THE_TRUST, BUSINESS)
    person = trust.register_member("Ann", BUSINESS, channel="web")
    with nothing_recorded(services), pytest.raises(InvalidRequest, match="only for organisation members"):
        trust.grant_consent(person, "benchmarking", CATEGORIES, THE_TRUST, BUSINESS)
    agreed(trust, cafe)
    clock.advance(minutes=1)
    assert services.views.who_could_see(cafe, clock()) == []  # no organisation could see it


def test_the_rules_are_the_members_to_change_by_vote(services, trust, twelve_cafes, clock):
    cafes, _ = twelve_cafes
    rules = trust.disclosure_rules()
    assert (rules.min_cell, rules.dominance_n, rules.dominance_k, rules.p_percent) == (10, 2, 85, 10)
    proposal = trust.open_proposal(
        "Benchmarks from groups of 13",
        "Benchmarks would need 13 organisations in every group.",
        ["For", "Against"],
        clock() + timedelta(days=7),
        TRUSTEE,
        rule_code="min-cell-size",
        rule_value=13,
    )
    for cafe in cafes:
        trust.cast_vote(proposal, cafe, 0, BUSINESS)
    clock.advance(days=8)
    trust.close_proposal(proposal, TRUSTEE)
    assert trust.disclosure_rules().min_cell == 13
    assert "at least 13" in report(services, cafes[0]).groups[0].withheld
    cafes.append(a_business(trust, 80, 100_000))
    agreed(trust, cafes[-1])  # a thirteenth agrees: compared again
    assert report(services, cafes[0]).groups[0].comparisons["annual-income"].median is not None


def test_erasure_takes_a_members_figures_with_it(services, trust, twelve_cafes):
    cafes, _ = twelve_cafes
    trust.erase_member(cafes[5], TRUSTEE)
    with services.views.reading() as conn:
        assert conn.execute(select(func.count()).select_from(peer_figures)).scalar() == 11
    assert report(services, cafes[0]).groups[0].peers == 11


def test_a_member_who_leaves_or_whose_consent_runs_out_is_no_longer_compared(services, trust, twelve_cafes, clock):
    cafes, _ = twelve_cafes
    trust.member_leaves(cafes[0], TRUSTEE)
    assert report(services, cafes[1]).groups[0].peers == 11
    brief = a_business(trust, 70, 120_000)
    trust.grant_consent(brief, "benchmarking", CATEGORIES, THE_TRUST, BUSINESS, expires_at=clock() + timedelta(days=30))
    assert report(services, cafes[1]).groups[0].peers == 12
    clock.advance(days=31)  # past its expiry, before the scheduler records it
    assert report(services, cafes[1]).groups[0].peers == 11 and report(services, brief) is None


def test_a_business_that_moves_sector_is_compared_with_its_new_peers(services, trust, twelve_cafes):
    cafes, _ = twelve_cafes
    mover = cafes[3]
    latest = trust.shared_data(mover, ["organisation-profile"])["organisation-profile"].values
    trust.share_data(mover, "organisation-profile", {**latest, "sector": "Q"}, BUSINESS, "portal")
    assert report(services, cafes[0]).groups[0].peers == 11  # out of accommodation and food
    moved = report(services, mover)
    assert moved.groups[0].named == "Q" and moved.groups[0].peers == 1  # alone in health and social work
    assert moved.groups[0].withheld.startswith("Only 1 organisation in this group agreed")
    assert moved.groups[1].peers == 12  # still in CA


def test_a_business_registered_on_paper_is_compared_once_it_is_confirmed(services, trust, twelve_cafes):
    cafes, _ = twelve_cafes
    paper = trust.register_member(
        "Paper Cafe", CASEWORKER, channel="paper", kind="organisation-member", evidence_ref="PF-7"
    )
    profile = {"org-id": "GB-COH-77777777", "sector": "I", "area": "CA11", "employees": 3, "annual-income": 9_000_000}
    trust.share_data(paper, "organisation-profile", profile, CASEWORKER, "paper", evidence_ref="PF-7")
    trust.grant_consent(
        paper, "benchmarking", CATEGORIES, THE_TRUST, CASEWORKER, collected_via="paper", evidence_ref="PF-7"
    )
    assert report(services, cafes[0]).groups[0].peers == 12  # not yet confirmed: not compared
    trust.confirm_member(paper, SECOND, how="in person with a second caseworker")
    assert report(services, cafes[0]).groups[0].peers == 13
