"""The trustees' questions, on both time axes."""

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import UnknownMember
from domain.trust import Audience
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE

LENDER_API = Actor("organisation", "evcu-api")


@pytest.fixture
def history(trust, clock, approved_lender):
    """Consent given Monday 09:00; withdrawn on paper signed Tuesday 09:00, entered Friday 09:00;
    the lender read housing on Wednesday."""
    member = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    consent = trust.grant_consent(
        member, "affordable-credit", ["housing", "household-finances"], Audience(approved_lender), OPERATOR
    )
    signed = clock.advance(days=1)
    clock.advance(days=1)
    trust.record_access(approved_lender, member, "affordable-credit", ["housing"], LENDER_API)
    clock.advance(days=2)
    trust.revoke_consent(consent, CASEWORKER, effective_at=signed, evidence_ref="WD-42")
    return {"member": member, "consent": consent, "signed": signed, "entered": clock(), "lender": approved_lender}


def test_who_could_see_at_a_past_time_differs_by_axis_for_a_late_withdrawal(views, history):
    wednesday = history["signed"] + timedelta(days=1)
    enforced = views.who_could_see(history["member"], wednesday, axis="recorded")
    assert [r["organisation"] for r in enforced] == ["Eden Valley Credit Union"]
    assert enforced[0]["categories"] == ["household-finances", "housing"]
    assert enforced[0]["consents"][0]["consent_id"] == history["consent"]
    assert views.who_could_see(history["member"], wednesday, axis="effective") == []
    assert views.who_could_see(history["member"], history["entered"], axis="recorded") == []


def test_what_could_see_over_a_period_lists_members_and_intervals(views, history):
    start = history["signed"] - timedelta(days=1)
    rows = views.what_could_see(history["lender"], start, start + timedelta(days=10))
    assert {(r["member"], r["category"]) for r in rows} == {
        ("Ada Lovelace", "housing"),
        ("Ada Lovelace", "household-finances"),
    }
    assert all(r["valid_to"] == history["entered"] for r in rows)
    effective = views.what_could_see(history["lender"], start, start + timedelta(days=10), axis="effective")
    assert all(r["valid_to"] == history["signed"] for r in effective)
    assert views.what_could_see(history["lender"], history["entered"]) == []


def test_explain_says_yes_with_the_consent_or_no_with_why(views, history):
    wednesday = history["signed"] + timedelta(days=1)
    yes = views.explain(history["lender"], history["member"], "housing", wednesday)
    assert yes["allowed"] and yes["consent_ids"] == [history["consent"]]
    no = views.explain(history["lender"], history["member"], "housing", wednesday, axis="effective")
    assert not no["allowed"]
    assert any("withdrawn at 2026-03-03 09:00 UTC" in reason and "caseworker:cal" in reason for reason in no["reasons"])
    never = views.explain(history["lender"], history["member"], "wellbeing", wednesday)
    assert "never gave consent for wellbeing" in never["reasons"][0]


def test_the_history_tells_the_members_timeline_in_plain_words(views, history):
    texts = [row["text"] for row in views.history(history["member"])]
    assert texts[0] == "The individual joined via bot."
    assert texts[1].startswith("Gave consent") and "Eden Valley Credit Union" in texts[1]
    assert texts[2] == "Eden Valley Credit Union read housing for affordable-credit."
    assert texts[3].startswith("Withdrew consent")
    withdrawn = views.history(history["member"])[3]
    assert withdrawn["effective_at"] == history["signed"] and withdrawn["recorded_at"] == history["entered"]


def test_a_late_paper_withdrawal_shows_in_the_late_facts_with_its_window_and_reads(views, history):
    [late] = [row for row in views.late_facts() if row["fact"] == "consent withdrawn"]
    assert (late["effective_at"], late["recorded_at"]) == (history["signed"], history["entered"])
    assert late["late_by_seconds"] == 3 * 24 * 3600
    assert late["evidence_ref"] == "WD-42" and late["recorded_by"] == "caseworker:cal"
    assert late["window"] == [f"Eden Valley Credit Union could still see member {str(history['member'])[:8]}"]
    assert [(r["organisation"], r["categories"]) for r in late["reads"]] == [("Eden Valley Credit Union", ["housing"])]


def test_facts_recorded_on_time_are_not_late(views, trust, clock):
    trust.register_member("On Time", MEMBER_THEMSELF, channel="bot")
    assert views.late_facts() == []


def test_an_unknown_axis_is_refused_plainly(views, history):
    with pytest.raises(Exception, match="recorded.*effective"):
        views.who_could_see(history["member"], history["entered"], axis="sideways")


def test_who_could_see_tells_an_unknown_member_from_one_nobody_could_see(views, history):
    # one query answers both (issue 19): the member's row, outer-joined to their grants
    with pytest.raises(UnknownMember, match="No member is known by"):
        views.who_could_see(uuid4(), history["entered"])
    assert views.who_could_see(history["member"], history["signed"] - timedelta(days=30)) == []


def test_a_late_suspension_opens_a_window_for_every_member_it_could_see(trust, views, clock, approved_lender):
    members = [trust.register_member(f"M{i}", MEMBER_THEMSELF, channel="bot") for i in range(3)]
    for member in members:
        trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    decided = clock.advance(days=1)
    clock.advance(hours=6)
    trust.suspend_organisation(approved_lender, "Breach reported", TRUSTEE, effective_at=decided)
    [late] = views.late_facts()
    assert late["fact"] == "organisation suspended" and len(late["window"]) == 3
    assert views.who_could_see(members[0], decided + timedelta(hours=1), axis="recorded") != []
    assert views.who_could_see(members[0], decided + timedelta(hours=1), axis="effective") == []


def test_late_facts_do_not_blame_a_read_another_consent_allowed(trust, views, clock, approved_lender):
    member = trust.register_member("Hal", MEMBER_THEMSELF, channel="bot")
    older = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(kind="social-lender"), OPERATOR)
    signed = clock.advance(days=1)
    clock.advance(hours=5)
    trust.record_access(approved_lender, member, "affordable-credit", ["housing"], LENDER_API)
    clock.advance(days=1)
    trust.revoke_consent(older, CASEWORKER, effective_at=signed, evidence_ref="WD-1")
    [late] = views.late_facts()
    assert late["reads"] == []
