"""The aggregates' own rules, without any database."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.consent.model import Consent
from domain.kernel.errors import NotAllowedNow
from domain.membership.model import Member
from domain.organisations.model import Organisation, OrganisationName

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def member(confirmed: bool = True) -> Member:
    return Member(
        id=uuid4(),
        reference_code="ABCDEFGH",
        kind="individual",
        channel="bot" if confirmed else "paper",
        personal="sealed:v1:x",
        questions=[],
        has_contact=False,
        confirmed=confirmed,
        effective_at=T0,
        actor="member:self",
        evidence_ref=None,
    )


def consent(expires_at=None) -> Consent:
    return Consent(
        member_id=uuid4(),
        purpose="research",
        categories=["profile"],
        audience_organisation_id=None,
        audience_kind="researcher",
        expires_at=expires_at,
        notice_version="1",
        notice_hash="h",
        collected_via="bot",
        evidence_ref=None,
        effective_at=T0,
        actor="member:self",
    )


def test_a_member_moves_from_unconfirmed_to_active_to_left_to_erased():
    m = member(confirmed=False)
    assert m.status == "unconfirmed"
    m.confirm(T0, "caseworker:sam", "in person")
    assert m.status == "active"
    with pytest.raises(NotAllowedNow, match="only an unconfirmed member"):
        m.confirm(T0, "caseworker:sam", "again")
    m.leave(T0 + timedelta(days=1), "member:self", None)
    with pytest.raises(NotAllowedNow, match="has left"):
        m.update_profile("sealed:v1:y", ["area"], T0, "member:self")
    m.erase(T0 + timedelta(days=2), "trustee:tess")
    assert m.status == "erased" and m.ended_effective_at == T0 + timedelta(days=1)
    with pytest.raises(NotAllowedNow, match="already erased"):
        m.erase(T0, "trustee:tess")
    names = [type(e).__name__ for e in m.collect_events()]
    assert names == ["Registered", "Confirmed", "Left", "Erased"]


def test_a_consent_is_withdrawn_once_and_never_before_it_was_given():
    c = consent()
    with pytest.raises(NotAllowedNow, match="before the consent was given"):
        c.revoke(T0 - timedelta(hours=1), "member:self", None)
    c.revoke(T0 + timedelta(hours=1), "member:self", None)
    with pytest.raises(NotAllowedNow, match="withdrawn with effect from 2026-03-02 10:00"):
        c.revoke(T0 + timedelta(hours=2), "member:self", None)


def test_a_consent_expires_only_once_its_expiry_has_passed():
    expiry = T0 + timedelta(days=30)
    c = consent(expires_at=expiry)
    with pytest.raises(NotAllowedNow, match="not reached"):
        c.expire(expiry - timedelta(seconds=1), "scheduler:datatrust")
    with pytest.raises(NotAllowedNow, match="expired at"):
        c.revoke(expiry, "member:self", None)
    c.expire(expiry + timedelta(days=1), "scheduler:datatrust")
    assert c.status == "expired" and c.ended_at == expiry
    with pytest.raises(NotAllowedNow, match="already expired"):
        c.expire(expiry + timedelta(days=2), "scheduler:datatrust")


def test_an_organisation_is_approved_once_and_suspended_only_when_approved():
    o = Organisation(name="Eden Valley Credit Union", kind="social-lender", actor="trustee:tess")
    with pytest.raises(NotAllowedNow, match="only an approved"):
        o.suspend("x", T0, "trustee:tess")
    o.approve("DSA-1", T0.date(), T0, "trustee:tess")
    with pytest.raises(NotAllowedNow, match="already approved"):
        o.approve("DSA-2", T0.date(), T0, "trustee:tess")
    o.suspend("breach", T0 + timedelta(days=1), "trustee:tess")
    o.reinstate("fixed", T0 + timedelta(days=2), "trustee:tess")
    assert o.status == "approved" and o.status_since == T0 + timedelta(days=2)


def test_organisation_names_index_ignores_case_and_spacing():
    assert OrganisationName.create_id("Eden  Valley credit UNION ") == OrganisationName.create_id(
        "eden valley credit union"
    )
