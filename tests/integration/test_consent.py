import threading
from datetime import timedelta
from uuid import uuid4

import pytest

from domain.kernel.errors import (
    ConcurrentChange,
    InvalidRequest,
    InvalidTime,
    NotAllowedNow,
    NotInCatalogue,
    UnknownMember,
    UnknownOrganisation,
)
from domain.trust import Audience
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import nothing_recorded

PURPOSES = (
    "affordable-credit, benchmarking, community-insight, fund-news, funding-applications, grant-making, research, "
    "service-planning, wellbeing-comparison"
)
CATEGORIES = (
    "contact, funding-history, household-finances, housing, organisation-profile, panel-answers, profile, wellbeing"
)


@pytest.fixture
def member(trust):
    return trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")


def names(rows):
    return sorted(row["organisation"] for row in rows)


def test_access_ends_the_moment_a_withdrawal_returns(trust, views, clock, member, approved_lender):
    consent = trust.grant_consent(
        member, "affordable-credit", ["housing", "household-finances"], Audience(approved_lender), OPERATOR
    )
    clock.advance(minutes=5)
    assert trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR).granted == {
        "housing": consent
    }
    trust.revoke_consent(consent, OPERATOR)
    # The very same instant: the read model already reflects the withdrawal.
    outcome = trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR)
    assert outcome.granted == {} and outcome.refused == ("housing",)
    assert views.who_could_see(member, clock()) == []


def test_a_consent_for_a_kind_covers_every_approved_organisation_of_that_kind(trust, views, clock, member):
    councils = [
        trust.register_organisation(name, "council", TRUSTEE) for name in ("Cumbria Council", "Carlisle Council")
    ]
    trust.approve_organisation(councils[0], "DSA-9", clock().date(), TRUSTEE)
    trust.grant_consent(member, "service-planning", ["housing"], Audience(kind="council"), OPERATOR)
    assert names(views.who_could_see(member, clock())) == ["Cumbria Council"]
    trust.approve_organisation(councils[1], "DSA-10", clock.advance(hours=1).date(), TRUSTEE)
    assert names(views.who_could_see(member, clock())) == ["Carlisle Council", "Cumbria Council"]


def test_a_consent_with_an_expiry_stops_at_that_instant(trust, views, clock, member, approved_lender):
    expiry = clock() + timedelta(days=30)
    consent = trust.grant_consent(
        member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR, expires_at=expiry
    )
    assert names(views.who_could_see(member, expiry - timedelta(seconds=1))) == ["Eden Valley Credit Union"]
    assert views.who_could_see(member, expiry) == []
    clock.advance(days=31)
    with pytest.raises(NotAllowedNow, match="expired"):
        trust.revoke_consent(consent, OPERATOR)
    trust.record_expiry(consent, OPERATOR)
    assert views.consents(member, clock())[0]["status"] == "expired"


def test_withdrawing_twice_is_refused_and_changes_nothing(services, trust, member, approved_lender):
    consent = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    trust.revoke_consent(consent, OPERATOR)
    with pytest.raises(NotAllowedNow, match="not active: it was withdrawn"), nothing_recorded(services):
        trust.revoke_consent(consent, OPERATOR)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            {"purpose": "marketing"},
            NotInCatalogue,
            f"^Unknown purpose 'marketing': give one of {PURPOSES}\\.$",
        ),
        (
            {"purpose": ""},
            NotInCatalogue,
            f"^Give a purpose: one of {PURPOSES}\\.$",
        ),
        (
            {"categories": ["shoe-size"]},
            NotInCatalogue,
            f"^Unknown category 'shoe-size': give one of {CATEGORIES}\\.$",
        ),
        ({"categories": []}, InvalidRequest, "at least one"),
        ({"audience": Audience(kind="pirate")}, NotInCatalogue, "organisation kind"),
        ({"audience": Audience(uuid4())}, UnknownOrganisation, "No organisation"),
        ({"collected_via": "paper"}, InvalidRequest, "evidence"),
        ({"collected_via": "pigeon"}, InvalidRequest, "collecting"),
        ({"notice_version": "7"}, NotInCatalogue, "notice version"),
    ],
)
def test_bad_grants_are_refused_with_a_clear_reason_and_change_nothing(
    services, member, approved_lender, change, error, message
):
    request = {
        "purpose": "affordable-credit",
        "categories": ["housing"],
        "audience": Audience(approved_lender),
    } | change
    with pytest.raises(error, match=message), nothing_recorded(services):
        services.trust.grant_consent(member, actor=OPERATOR, **request)


def test_a_grant_whose_ids_are_mixed_up_is_refused_and_changes_nothing(services, member, approved_lender):
    """The member and the organisation a grant names are read together: each must be what it is said to be."""
    grant = services.trust.grant_consent
    request = {"purpose": "affordable-credit", "categories": ["housing"], "actor": OPERATOR}
    refused = [
        (member, Audience(member), UnknownOrganisation, "No organisation"),  # a member named as the organisation
        (approved_lender, Audience(approved_lender), UnknownMember, "No member"),  # the lender as the member
        (uuid4(), Audience(approved_lender), UnknownMember, "No member"),
        (member, Audience(uuid4()), UnknownOrganisation, "No organisation"),
    ]
    for member_id, audience, error, message in refused:
        with pytest.raises(error, match=message), nothing_recorded(services):
            grant(member_id, audience=audience, **request)


def test_an_audience_is_one_organisation_or_one_kind():
    with pytest.raises(InvalidRequest, match="one named organisation"):
        Audience()
    with pytest.raises(InvalidRequest):
        Audience(uuid4(), "council")


def test_grant_times_must_make_sense(services, clock, member, approved_lender):
    request = {"purpose": "affordable-credit", "categories": ["housing"], "audience": Audience(approved_lender)}
    with pytest.raises(InvalidTime, match="future"), nothing_recorded(services):
        services.trust.grant_consent(member, actor=OPERATOR, effective_at=clock() + timedelta(hours=1), **request)
    with pytest.raises(InvalidTime, match="before"), nothing_recorded(services):
        services.trust.grant_consent(member, actor=OPERATOR, effective_at=clock() - timedelta(days=400), **request)
    with pytest.raises(InvalidTime, match="expiry"), nothing_recorded(services):
        services.trust.grant_consent(member, actor=OPERATOR, expires_at=clock() - timedelta(hours=1), **request)


def test_no_consent_can_be_granted_on_behalf_of_an_erased_member(services, member):
    services.trust.erase_member(member, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="erased member"), nothing_recorded(services):
        services.trust.grant_consent(member, "research", ["profile"], Audience(kind="researcher"), OPERATOR)


def test_the_notice_version_and_its_hash_are_recorded(trust, services, member, approved_lender):
    consent_id = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    consent = trust.consent(consent_id)
    purpose = services.catalogue.purpose("affordable-credit")
    assert consent.status == "active"
    [event] = trust.application.repository.event_store.get(consent_id)
    assert (event.notice_version, event.notice_hash) == ("2", purpose.notice_hash("2"))  # the latest notice


def test_two_withdrawals_at_once_record_exactly_one(services, trust, member, approved_lender):
    consent = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    outcomes = []

    def withdraw():
        try:
            trust.revoke_consent(consent, OPERATOR)
            outcomes.append("withdrawn")
        except (NotAllowedNow, ConcurrentChange) as error:
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=withdraw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["NotAllowedNow", "withdrawn"]
    assert [type(e).__qualname__ for e in trust.application.repository.event_store.get(consent)] == [
        "Consent.Granted",
        "Consent.Revoked",
    ]


def test_a_stale_write_is_a_clear_conflict_and_records_nothing(services, trust, member):
    stale = trust.member(member)
    trust.update_profile(member, {"area": "CA1"}, OPERATOR)
    stale.leave(effective_at=services.clock(), actor=str(OPERATOR), evidence_ref=None)
    with pytest.raises(ConcurrentChange, match="nothing was recorded"), nothing_recorded(services):
        with trust.command():
            trust.application.save(stale)


def test_a_read_can_never_rely_on_a_withdrawal_that_returned_before_it_was_decided(
    services, trust, member, approved_lender
):
    """The instant a read is decided at is taken under the writer lock, so the log
    order and the decision agree even when a withdrawal races in."""
    consent = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    ticks = iter(range(1, 10_000))
    base = services.clock()
    started, withdrawn = threading.Event(), threading.Event()

    def withdraw():
        trust.revoke_consent(consent, OPERATOR)
        withdrawn.set()

    withdrawer = threading.Thread(target=withdraw)

    def racing_clock():
        instant = base + timedelta(seconds=next(ticks))
        if threading.current_thread().name == "reader" and not started.is_set():
            started.set()
            withdrawer.start()  # a withdrawal arrives just after the read looked at the clock
            withdrawn.wait(timeout=1.0)
        return instant

    trust.clock = racing_clock
    outcomes = []
    reader = threading.Thread(
        target=lambda: outcomes.append(
            trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR)
        ),
        name="reader",
    )
    reader.start()
    reader.join()
    withdrawer.join()
    log = {type(event).__qualname__: (position, event.timestamp) for position, event in trust.recorded_after(0, 100)}
    if outcomes[0].granted:  # allowed only if it was decided, and logged, before the withdrawal
        assert log["AccessAttempt.Recorded"] < log["Consent.Revoked"]
    else:
        assert log["Consent.Revoked"] < log["AccessAttempt.Recorded"]


def test_a_withdrawal_signed_before_the_expiry_counts_when_entered_after_it(
    services, trust, views, clock, member, approved_lender
):
    expiry = clock() + timedelta(days=10)
    consent = trust.grant_consent(
        member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR, expires_at=expiry
    )
    signed = clock.advance(days=5)
    clock.advance(days=4)
    trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR)
    clock.advance(days=3)  # entered after the expiry
    trust.revoke_consent(consent, CASEWORKER, effective_at=signed, evidence_ref="WD-9")
    assert views.who_could_see(member, signed + timedelta(days=4), axis="effective") == []
    [late] = views.late_facts()
    assert late["fact"] == "consent withdrawn" and [r["categories"] for r in late["reads"]] == [["housing"]]
    short = trust.grant_consent(
        member, "research", ["profile"], Audience(kind="researcher"), OPERATOR, expires_at=clock() + timedelta(days=1)
    )
    clock.advance(days=2)
    with pytest.raises(NotAllowedNow, match="expired"):
        trust.revoke_consent(short, OPERATOR)  # nothing left to withdraw after the expiry


@pytest.mark.parametrize("evidence", ["PF 12 signed by Ada Lovelace at home", "x" * 41, "<script>"])
def test_evidence_is_a_reference_never_free_text(services, member, approved_lender, evidence):
    with pytest.raises(InvalidRequest, match="not a reference"), nothing_recorded(services):
        services.trust.grant_consent(
            member,
            "affordable-credit",
            ["housing"],
            Audience(approved_lender),
            OPERATOR,
            collected_via="paper",
            evidence_ref=evidence,
        )


def test_errors_from_the_database_never_carry_personal_data(services):
    assert services.trust.engine.hide_parameters


def test_a_consent_reaches_only_the_kinds_its_notice_covers(services, clock, member, approved_lender):
    trust = services.trust
    with pytest.raises(InvalidRequest) as refused, nothing_recorded(services):
        trust.grant_consent(member, "service-planning", ["profile"], Audience(kind="social-lender"), CASEWORKER)
    assert str(refused.value) == (
        "The Local service planning notice (version 2) covers only councils, not every social lender."
    )
    with pytest.raises(InvalidRequest) as refused, nothing_recorded(services):
        trust.grant_consent(member, "service-planning", ["profile"], Audience(approved_lender), MEMBER_THEMSELF)
    assert str(refused.value) == (
        "The Local service planning notice (version 2) covers only councils, "
        "and Eden Valley Credit Union is a social lender."
    )
    trust.grant_consent(member, "service-planning", ["profile"], Audience(kind="council"), MEMBER_THEMSELF)
    outcome = trust.record_access(approved_lender, member, "service-planning", ["profile"], OPERATOR)
    assert outcome.granted == {}  # the lender never reads under service planning
