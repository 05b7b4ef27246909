"""A consent's end and its one-tap renewal: the member is told when a consent ends,
is offered a renewal before it does, and a renewal keeps it for the same term again."""

import json
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from domain.announcements.model import Announcement
from domain.consent.renewals import term_in_words
from domain.kernel.actors import SCHEDULER, Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotInCatalogue, UnknownConsent
from domain.trust import Audience
from projections.core.rebuild import rebuild
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.integration.test_rebuild import generate, read_models
from tests.support import nothing_recorded

MEMBER = Actor("member", "via bot")
TERM = timedelta(days=30)


@pytest.fixture
def member(trust):
    return trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")


@pytest.fixture
def consent(trust, clock, member, approved_lender):
    """Affordable credit to the lender, for 30 days from now."""
    return trust.grant_consent(
        member,
        "affordable-credit",
        ["housing"],
        Audience(approved_lender),
        OPERATOR,
        expires_at=clock() + TERM,
    )


def announcements_to(trust, member):
    """(text, action) of every unfinished announcement for exactly this member."""
    found = []
    for announcement_id in trust.unfinished_announcements():
        text, _at, recipients = trust.announcement(announcement_id)
        if recipients == frozenset({member}):
            found.append((text, trust.announcement_action(announcement_id)))
    return found


def test_an_expiry_takes_effect_at_the_expiry_and_the_member_is_told_once(trust, views, clock, member, consent):
    expiry = clock() + TERM
    clock.advance(days=31)
    trust.record_expiry(consent, SCHEDULER)

    [row] = views.consents(member, clock())
    assert (row["status"], row["ended_at"], row["expires_at"]) == ("expired", expiry, expiry)
    [entry] = [e for e in views.history(member) if e["what"] == "consent expired"]
    assert entry["effective_at"] == expiry and entry["actor"] == "scheduler:datatrust"
    [(text, action)] = announcements_to(trust, member)
    assert text == (
        f"Your consent for Affordable credit to Eden Valley Credit Union ended at {uk_time(expiry)}. "
        "Eden Valley Credit Union can no longer see that data. You can give it again with /consents."
    )
    assert action is None
    assert len(trust.unfinished_announcements()) == 1


def test_the_end_of_a_consent_for_a_kind_names_the_kind(trust, clock, member):
    consent = trust.grant_consent(
        member, "service-planning", ["housing"], Audience(kind="council"), OPERATOR, expires_at=clock() + TERM
    )
    clock.advance(days=30)
    trust.record_expiry(consent, SCHEDULER)
    [(text, _action)] = announcements_to(trust, member)
    assert text.startswith("Your consent for Local service planning to approved council organisations ended at ")
    assert "Those organisations can no longer see that data." in text


def test_an_expiry_is_refused_before_it_is_due_or_twice(services, trust, clock, consent):
    with pytest.raises(NotAllowedNow, match="not reached its expiry"), nothing_recorded(services):
        trust.record_expiry(consent, SCHEDULER)
    clock.advance(days=30)
    trust.record_expiry(consent, SCHEDULER)
    with pytest.raises(NotAllowedNow, match="already expired"), nothing_recorded(services):
        trust.record_expiry(consent, SCHEDULER)


@pytest.mark.parametrize("goes", ["leaves", "is erased"])
def test_the_expiry_of_a_member_who_has_gone_is_recorded_without_telling_them(
    trust, views, clock, member, consent, goes
):
    if goes == "leaves":
        trust.member_leaves(member, OPERATOR)
    else:
        trust.erase_member(member, TRUSTEE)
    clock.advance(days=31)
    trust.record_expiry(consent, SCHEDULER)
    assert views.consents(member, clock())[0]["status"] == "expired"
    assert trust.unfinished_announcements() == []


def test_a_renewal_keeps_the_consent_for_the_same_term_and_reads_go_on_past_the_old_expiry(
    services, trust, views, clock, member, consent, approved_lender
):
    old_expiry = clock() + TERM
    clock.advance(days=25)
    new_expiry = trust.renew_consent(consent, member, MEMBER)
    assert new_expiry == old_expiry + TERM

    clock.now = old_expiry + timedelta(minutes=1)
    outcome = trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR)
    assert outcome.granted == {"housing": consent} and outcome.refused == ()
    with pytest.raises(NotAllowedNow, match="not reached its expiry"):
        trust.record_expiry(consent, SCHEDULER)

    [row] = views.consents(member, clock())
    assert (row["status"], row["expires_at"]) == ("active", new_expiry)
    [could] = views.who_could_see(member, old_expiry + timedelta(minutes=1))
    assert could["organisation"] == "Eden Valley Credit Union"
    assert views.who_could_see(member, new_expiry) == []
    for axis in ("recorded", "effective"):
        answer = views.explain(approved_lender, member, "housing", old_expiry + timedelta(minutes=1), axis)
        assert answer["allowed"] and answer["consent_ids"] == [consent]
    [renewed] = [e for e in views.history(member) if e["what"] == "consent renewed"]
    assert renewed["actor"] == "member:via bot"
    said = f"Renewed consent {str(consent)[:8]} for affordable-credit until 2026-05-01 09:00"
    assert renewed["text"].startswith(said)
    notice = services.catalogue.purpose("affordable-credit")
    last = trust.application.repository.event_store.get(consent)
    *_, event = last
    assert type(event).__name__ == "Renewed"
    assert (event.expires_at, event.notice_version, event.notice_hash) == (new_expiry, "2", notice.notice_hash("2"))


def test_renewing_again_extends_by_the_term_each_time_not_more(trust, clock, member, consent):
    expiry = clock() + TERM
    clock.advance(days=1)
    assert trust.renew_consent(consent, member, MEMBER) == expiry + TERM
    assert trust.renew_consent(consent, member, MEMBER) == expiry + 2 * TERM


def test_a_consent_given_late_on_paper_renews_for_its_whole_term(trust, clock, approved_lender):
    signed = clock() - timedelta(days=10)
    member = trust.register_member(
        "Ada Lovelace", CASEWORKER, channel="paper", evidence_ref="PF-7", effective_at=signed
    )
    consent = trust.grant_consent(
        member,
        "affordable-credit",
        ["housing"],
        Audience(approved_lender),
        CASEWORKER,
        collected_via="paper",
        evidence_ref="PF-7",
        effective_at=signed,
        expires_at=signed + TERM,
    )
    assert trust.renew_consent(consent, member, MEMBER) == signed + 2 * TERM


def test_renewing_on_a_later_notice_records_that_notice(services, trust, clock, member, consent):
    purpose = services.catalogue.purposes["affordable-credit"]
    newer = replace(purpose, notices={**purpose.notices, "3": "A clearer notice."})
    services.catalogue.purposes["affordable-credit"] = newer
    trust.renew_consent(consent, member, MEMBER)
    [row] = services.views.consents(member, clock())
    assert row["notice_version"] == "3"
    *_, event = trust.application.repository.event_store.get(consent)
    assert (event.notice_version, event.notice_hash) == ("3", newer.notice_hash("3"))


def test_a_renewal_onto_a_notice_that_no_longer_names_the_audience_is_refused(services, trust, member, consent):
    purpose = services.catalogue.purposes["affordable-credit"]
    services.catalogue.purposes["affordable-credit"] = replace(
        purpose,
        notices={**purpose.notices, "3": "Approved funders may read the kinds of your data this consent names."},
        covers={**purpose.covers, "3": ("funder",)},
    )
    told = (
        r"^The Affordable credit notice \(version 3\) covers only funders, "
        r"and Eden Valley Credit Union is a social lender\.$"
    )
    with pytest.raises(InvalidRequest, match=told), nothing_recorded(services):
        trust.renew_consent(consent, member, MEMBER)


def test_a_renewal_is_refused_with_a_reason_and_records_nothing(
    services, trust, clock, member, consent, approved_lender
):
    other = trust.register_member("Grace Hopper", MEMBER_THEMSELF, channel="bot")
    with pytest.raises(UnknownConsent), nothing_recorded(services):
        trust.renew_consent(consent, other, MEMBER)  # another member's consent
    with pytest.raises(UnknownConsent), nothing_recorded(services):
        trust.renew_consent(uuid4(), member, MEMBER)
    open_ended = trust.grant_consent(member, "research", ["profile"], Audience(kind="researcher"), OPERATOR)
    with pytest.raises(NotAllowedNow, match="^This consent has no expiry to renew.$"), nothing_recorded(services):
        trust.renew_consent(open_ended, member, MEMBER)

    clock.advance(days=30)  # at the expiry, recorded or not, it has ended
    ended = r"^This consent already ended at 2026-04-01 09:00 UTC; give it again with /consents.$"
    with pytest.raises(NotAllowedNow, match=ended), nothing_recorded(services):
        trust.renew_consent(consent, member, MEMBER)
    trust.record_expiry(consent, SCHEDULER)
    with pytest.raises(NotAllowedNow, match=ended), nothing_recorded(services):
        trust.renew_consent(consent, member, MEMBER)


def test_a_withdrawn_consent_cannot_be_renewed(services, trust, clock, member, consent):
    clock.advance(hours=1)
    trust.revoke_consent(consent, MEMBER)
    with (
        pytest.raises(NotAllowedNow, match="withdrawn at 2026-03-02 10:00 UTC; give it again"),
        nothing_recorded(services),
    ):
        trust.renew_consent(consent, member, MEMBER)


@pytest.mark.parametrize(("goes", "words"), [("leaves", "has left"), ("is erased", "has been erased")])
def test_a_member_who_has_gone_cannot_renew_nor_be_offered_a_renewal(services, trust, member, consent, goes, words):
    if goes == "leaves":
        trust.member_leaves(member, OPERATOR)
    else:
        trust.erase_member(member, TRUSTEE)
    with pytest.raises(NotAllowedNow, match=words), nothing_recorded(services):
        trust.renew_consent(consent, member, MEMBER)
    with pytest.raises(NotAllowedNow, match=words), nothing_recorded(services):
        trust.offer_renewal(consent, 7, SCHEDULER)


def test_an_offer_carries_a_one_tap_renewal_to_the_member_alone(trust, clock, member, consent):
    expiry = clock() + TERM
    clock.now = expiry - timedelta(days=7)
    offer = trust.offer_renewal(consent, 7, SCHEDULER)

    text, _at, recipients = trust.announcement(offer)
    assert recipients == frozenset({member})
    assert text == (
        f"Your consent for Affordable credit to Eden Valley Credit Union ends on {uk_time(expiry)}, in 7 days. "
        "Tap Renew to keep it for another 1 month, or do nothing and it ends then."
    )
    assert trust.announcement_action(offer) == {"renew": str(consent), "expires_at": expiry.isoformat()}
    assert trust.unfinished_announcements() == [offer]


def test_an_offer_is_refused_for_a_consent_that_cannot_be_renewed(services, trust, clock, member, consent):
    open_ended = trust.grant_consent(member, "research", ["profile"], Audience(kind="researcher"), OPERATOR)
    with pytest.raises(NotAllowedNow, match="no expiry"), nothing_recorded(services):
        trust.offer_renewal(open_ended, 30, SCHEDULER)
    for days in (0, -1, True, "7"):
        with pytest.raises(InvalidRequest, match="whole number of days"), nothing_recorded(services):
            trust.offer_renewal(consent, days, SCHEDULER)
    with pytest.raises(UnknownConsent), nothing_recorded(services):
        trust.offer_renewal(uuid4(), 7, SCHEDULER)
    clock.advance(days=30, seconds=1)
    with pytest.raises(NotAllowedNow, match="already ended"), nothing_recorded(services):
        trust.offer_renewal(consent, 7, SCHEDULER)
    trust.record_expiry(consent, SCHEDULER)
    with pytest.raises(NotAllowedNow, match="already ended"), nothing_recorded(services):
        trust.offer_renewal(consent, 7, SCHEDULER)


def test_an_unknown_purpose_in_a_renewal_is_refused(services, trust, member, consent):
    del services.catalogue.purposes["affordable-credit"]  # the trust dropped the purpose from its catalogue
    with pytest.raises(NotInCatalogue), nothing_recorded(services):
        trust.renew_consent(consent, member, MEMBER)


def test_an_announcement_recorded_before_actions_existed_still_loads(trust):
    """Announcements recorded before this change have no ``action`` in their event."""
    old = Announcement(text="The annual meeting is on Friday.", actor="trustee:tess", recipients=None)
    [stored] = [trust.application.mapper.to_stored_event(event) for event in old.collect_events()]
    state = json.loads(stored.state)
    assert state.pop("action") is None
    trust.application.recorder.insert_events([replace(stored, state=json.dumps(state).encode())])
    assert trust.announcement(old.id)[0] == "The annual meeting is on Friday."
    assert trust.announcement_action(old.id) is None


@pytest.mark.parametrize(
    ("term", "words"),
    [
        (timedelta(days=365), "1 year"),
        (timedelta(days=730), "2 years"),
        (timedelta(days=90), "3 months"),
        (timedelta(days=30), "1 month"),
        (timedelta(days=14), "14 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=6), "6 hours"),
        (timedelta(days=45), "45 days"),
    ],
)
def test_a_term_in_words(term, words):
    assert term_in_words(term) == words


def test_rebuilt_read_models_equal_those_kept_event_by_event_with_renewals(services, trust, views, clock):
    generate(services, clock, 300, seed=5)
    current = [
        m["member_id"]
        for m in views.members()
        if m["status"] in ("active", "unconfirmed") and m["kind"] == "individual"  # service planning is for people
    ]
    consents = [
        trust.grant_consent(
            member,
            "service-planning",
            ["housing", "panel-answers"],
            Audience(kind="council"),
            OPERATOR,
            expires_at=clock() + timedelta(days=20 + n % 5),
        )
        for n, member in enumerate(current)
    ]
    clock.advance(days=15)
    for n, (member, consent) in enumerate(zip(current, consents, strict=True)):
        trust.offer_renewal(consent, 5, SCHEDULER)
        if n % 2:
            trust.renew_consent(consent, member, MEMBER)
    clock.advance(days=30)
    for n, consent in enumerate(consents):
        if n % 2 == 0:
            trust.record_expiry(consent, SCHEDULER)
    incremental = read_models(services)
    assert sum("consent renewed" in row for row in incremental["timeline"]) == len(current) // 2 >= 5
    assert rebuild(trust, views.projector, batch=97) == trust.last_position()
    assert read_models(services) == incremental
