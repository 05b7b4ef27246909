from datetime import timedelta

import pytest

from domain.kernel.errors import InvalidRequest, InvalidTime, NotAllowedNow
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import nothing_recorded


@pytest.fixture
def member(trust):
    return trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")


def test_an_unapproved_organisation_sees_nothing_whatever_the_consents_say(trust, views, clock, member):
    pending = trust.register_organisation("New Lender", "social-lender", TRUSTEE)
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(pending), OPERATOR)
    assert views.who_could_see(member, clock()) == []
    outcome = trust.record_access(pending, member, "affordable-credit", ["housing"], OPERATOR)
    assert outcome.refused == ("housing",)


def test_a_suspended_organisation_sees_nothing_until_reinstated(trust, views, clock, member, approved_lender):
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    clock.advance(days=1)
    trust.suspend_organisation(approved_lender, "Agreement breached", TRUSTEE)
    assert views.who_could_see(member, clock()) == []
    explanation = views.explain(approved_lender, member, "housing", clock())
    assert not explanation["allowed"]
    assert any("suspended" in reason and "Agreement breached" in reason for reason in explanation["reasons"])
    clock.advance(days=1)
    trust.reinstate_organisation(approved_lender, "Fixed", TRUSTEE)
    assert [r["organisation"] for r in views.who_could_see(member, clock())] == ["Eden Valley Credit Union"]


def test_organisation_names_are_unique_regardless_of_case_and_spacing(services, approved_lender):
    with pytest.raises(NotAllowedNow, match="already registered"), nothing_recorded(services):
        services.trust.register_organisation("  eden valley   CREDIT union ", "social-lender", TRUSTEE)


def test_bad_organisation_requests_are_refused_and_change_nothing(services, clock, approved_lender):
    trust = services.trust
    with pytest.raises(Exception, match="organisation kind"), nothing_recorded(services):
        trust.register_organisation("Acme", "pirate", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="already approved"), nothing_recorded(services):
        trust.approve_organisation(approved_lender, "DSA-2", clock().date(), TRUSTEE)
    with pytest.raises(NotAllowedNow, match="only a suspended"), nothing_recorded(services):
        trust.reinstate_organisation(approved_lender, "why", TRUSTEE)
    with pytest.raises(InvalidRequest, match="reason"), nothing_recorded(services):
        trust.suspend_organisation(approved_lender, "  ", TRUSTEE)
    with pytest.raises(InvalidTime, match="future"), nothing_recorded(services):
        trust.suspend_organisation(approved_lender, "late", TRUSTEE, effective_at=clock() + timedelta(days=1))
    pending = trust.register_organisation("Acme Lending", "social-lender", TRUSTEE)
    with pytest.raises(InvalidRequest, match="future"), nothing_recorded(services):
        trust.approve_organisation(pending, "DSA-3", (clock() + timedelta(days=3)).date(), TRUSTEE)
