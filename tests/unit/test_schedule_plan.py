"""Planning dated work from open promises, with a fixed clock."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from domain.insight.reminders import reminder_time
from domain.store.scheduled_work import retry_delay
from projections.scheduling.promises import ClosingPanel, ClosingProposal, ExpiringConsent, Promises
from scheduler.plan import digest_days, digest_window, keys, plan

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC (also UK time in March)
DIGESTED = date(2026, 3, 2)  # today's digest is made: none is due


def consents(*expiring: ExpiringConsent) -> Promises:
    return Promises(list(expiring), [], [])


def planned(promises: Promises, now: datetime = NOW, done=frozenset(), retry_at=None):
    return {w.key.split(":")[0]: w for w in plan(promises, now, set(done), retry_at or {}, DIGESTED)}


def test_a_consent_is_planned_to_expire_at_its_expiry_with_two_renewal_offers_before():
    consent = ExpiringConsent(uuid4(), NOW + timedelta(days=90), NOW - timedelta(days=275))
    work = planned(consents(consent))
    assert work["consent-expiry"].due_at == consent.expires_at
    assert work["renewal-offer-30"].due_at == consent.expires_at - timedelta(days=30)
    assert work["renewal-offer-7"].due_at == consent.expires_at - timedelta(days=7)
    assert all(w.target == str(consent.consent_id) for w in work.values() if w.kind != "digest")


def test_no_renewal_offer_is_planned_for_a_time_before_the_consent_was_given():
    consent = ExpiringConsent(uuid4(), NOW + timedelta(days=20), NOW - timedelta(days=1))
    assert set(planned(consents(consent))) == {"consent-expiry", "renewal-offer-7", "digest"}
    short = ExpiringConsent(uuid4(), NOW + timedelta(days=3), NOW - timedelta(hours=1))
    assert set(planned(consents(short))) == {"consent-expiry", "digest"}


def test_after_a_long_stop_only_the_latest_due_renewal_offer_goes():
    consent = ExpiringConsent(uuid4(), NOW + timedelta(days=5), NOW - timedelta(days=360))
    work = planned(consents(consent))
    assert "renewal-offer-30" not in work, "a member is not offered the same renewal twice at once"
    assert work["renewal-offer-7"].run_at == consent.expires_at - timedelta(days=7) < NOW  # runs at once


def test_a_renewed_consent_gets_new_offers_keyed_by_its_new_expiry():
    consent_id = uuid4()
    before = plan(consents(ExpiringConsent(consent_id, NOW + timedelta(days=40), NOW)), NOW, set(), {}, DIGESTED)
    after = plan(consents(ExpiringConsent(consent_id, NOW + timedelta(days=400), NOW)), NOW, set(), {}, DIGESTED)
    offers = {w.key for w in before if w.kind.startswith("renewal")}
    assert offers and not offers & {w.key for w in after}
    assert {w.key for w in before if w.kind == "consent-expiry"} == {w.key for w in after if w.kind == "consent-expiry"}


def test_work_already_done_is_not_planned_again_and_failing_work_waits_for_its_next_try():
    proposal = ClosingProposal(uuid4(), NOW - timedelta(minutes=5))
    key = f"proposal-close:{proposal.proposal_id}"
    promises = Promises([], [proposal], [])
    assert planned(promises)["proposal-close"].run_at == proposal.closes_at  # past: runs at once
    assert "proposal-close" not in planned(promises, done={key})
    retry = NOW + timedelta(minutes=2)
    work = planned(promises, retry_at={key: retry})["proposal-close"]
    assert (work.due_at, work.run_at) == (proposal.closes_at, retry)


def test_a_panel_is_reminded_48_hours_before_it_closes_or_halfway_when_shorter():
    long = ClosingPanel(uuid4(), NOW + timedelta(days=10), NOW)
    short = ClosingPanel(uuid4(), NOW + timedelta(hours=24), NOW)
    assert reminder_time(long.drawn_at, long.closes_at) == long.closes_at - timedelta(hours=48)
    assert reminder_time(short.drawn_at, short.closes_at) == NOW + timedelta(hours=12)
    kinds = {w.kind: w for w in plan(Promises([], [], [long]), NOW, set(), {}, DIGESTED)}
    assert kinds["insight-close"].due_at == long.closes_at
    assert kinds["panel-reminder"].due_at == long.closes_at - timedelta(hours=48)


def test_the_digest_covers_the_24_hours_to_0700_uk_time_in_summer_and_winter():
    assert digest_window(date(2026, 1, 15)) == (
        datetime(2026, 1, 14, 7, tzinfo=UTC),
        datetime(2026, 1, 15, 7, tzinfo=UTC),
    )
    assert digest_window(date(2026, 7, 15))[1] == datetime(2026, 7, 15, 6, tzinfo=UTC)  # 07:00 BST


def test_digests_missed_during_a_stop_are_all_due_and_a_new_trust_starts_with_the_latest():
    now = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)  # Friday, after 07:00
    assert digest_days(now, None) == [date(2026, 3, 6), date(2026, 3, 7)]
    assert digest_days(now, date(2026, 3, 3)) == [date(2026, 3, d) for d in (4, 5, 6, 7)]
    assert digest_days(datetime(2026, 3, 6, 6, 59, tzinfo=UTC), date(2026, 3, 5)) == [date(2026, 3, 6)]
    long_stop = digest_days(now, date(2026, 1, 1))
    assert long_stop[0] == date(2026, 2, 28) and long_stop[-1] == date(2026, 3, 7)


def test_each_failure_in_a_row_waits_longer_up_to_an_hour():
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert delays[-1] == timedelta(hours=1) and delays == sorted(delays)


def test_only_work_due_by_the_horizon_is_planned_and_looked_up():
    near = ExpiringConsent(uuid4(), NOW + timedelta(days=1), NOW - timedelta(days=100))
    far = ExpiringConsent(uuid4(), NOW + timedelta(days=300), NOW - timedelta(days=100))
    until = NOW + timedelta(days=2)
    work = plan(consents(near, far), NOW, set(), {}, DIGESTED, until=until)
    assert {w.target for w in work if w.kind != "digest"} == {str(near.consent_id)}
    assert all(w.run_at <= until for w in work)
    assert str(far.consent_id) not in " ".join(keys(consents(near, far), NOW, DIGESTED, until=until))
    failing_past_horizon = {f"consent-expiry:{near.consent_id}": until + timedelta(minutes=1)}
    assert "consent-expiry" not in {w.kind for w in plan(consents(near), NOW, set(), failing_past_horizon, until=until)}


def test_keys_are_rotated_a_period_after_an_erasure_and_an_unfinished_purge_is_retried_at_once():
    from domain.keys.commands import KeyUpkeep

    erased_at, purge = NOW - timedelta(hours=2), uuid4()
    upkeep = KeyUpkeep(3, erased_at + timedelta(days=1), None, purge, erased_at)
    work = {w.key: w for w in plan(Promises([], [], []), NOW, set(), {}, DIGESTED, upkeep=upkeep)}
    assert work["key-rotation:v3"].run_at == erased_at + timedelta(days=1)
    assert work[f"erasure-purge:{purge}"].run_at == erased_at  # overdue: runs now
    retried = plan(Promises([], [], []), NOW, set(), {f"erasure-purge:{purge}": NOW + retry_delay(1)}, upkeep=upkeep)
    assert {w.key: w.run_at for w in retried}[f"erasure-purge:{purge}"] == NOW + retry_delay(1)
    nothing = KeyUpkeep(3, None, None, None, None)
    assert {w.kind for w in plan(Promises([], [], []), NOW, set(), {}, DIGESTED, upkeep=nothing)} == {"digest"}


def test_a_rotation_under_way_goes_on_at_once_as_new_work_each_time_it_has_moved_keys():
    from domain.keys.commands import KeyUpkeep

    def planned(left: int) -> dict:
        upkeep = KeyUpkeep(4, None, None, None, None, rotation_under_way=(4, left))
        return {w.key: w for w in plan(Promises([], [], []), NOW, set(), {}, DIGESTED, upkeep=upkeep)}

    steps = planned(7200)["key-rotation-steps:v4:7200"]
    assert (steps.kind, steps.target, steps.run_at) == ("key-rotation-steps", "4", NOW)
    assert "key-rotation-steps:v4:5200" in planned(5200)  # the run before was done: this is new work
    done = plan(
        Promises([], [], []),
        NOW,
        {"key-rotation-steps:v4:7200"},
        {},
        DIGESTED,
        upkeep=KeyUpkeep(4, None, None, None, None, rotation_under_way=(4, 7200)),
    )
    assert "key-rotation-steps" not in {w.kind for w in done}
