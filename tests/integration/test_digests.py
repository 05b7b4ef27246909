"""The trustees' daily digest: the figures of one window, counted from what the trust
recorded inside it and nothing outside it; recorded once a day; kept by a rebuild."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.kernel.actors import SCHEDULER
from domain.kernel.errors import ConcurrentChange, InvalidRequest, InvalidTime, NotAllowedNow
from domain.trust import Audience
from projections.core.rebuild import rebuild
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import nothing_recorded

DAY = date(2026, 3, 4)
START = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 07:00 UK time (GMT in March)
END = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
LENDER = "Eden Valley Credit Union"
CREDIT = ["contact", "profile"]
FAILING = [
    {
        "key": "proposal-close:8c1d",
        "kind": "proposal-close",
        "attempts": 4,
        "last_error": "OperationalError: database is locked\n[SQL: UPDATE ...]\n[parameters: ('secret',)]",
        "failing_since": "2026-03-03T22:15:00+00:00",
        "due_at": "2026-03-03T22:00:00+00:00",
        "next_try_at": "2026-03-04T07:30:00+00:00",
        "job_state": "anything else is left out",
    }
]


def _member(trust, area: str, channel: str = "web", **more):
    joining = OPERATOR if channel == "paper" else MEMBER_THEMSELF  # by web or bot: by themself, so active
    return trust.register_member("Someone", joining, channel=channel, profile={"area": area}, **more)


def _credit(trust, member, **more):
    return trust.grant_consent(member, "affordable-credit", CREDIT, Audience(kind="social-lender"), OPERATOR, **more)


@pytest.fixture
def history(trust, clock, approved_lender):
    """A day before the window, a day inside it and a day after it, each with the same kinds of fact."""
    lender = approved_lender
    a, b, c, d, e = (_member(trust, area) for area in ("CA1", "CA2", "CA3", "CA1", "CA2"))
    expiring = _credit(trust, a, expires_at=datetime(2026, 3, 3, 12, 0, tzinfo=UTC))  # expires inside
    _credit(trust, b, expires_at=datetime(2026, 3, 5, 12, 0, tzinfo=UTC))  # expires after
    _credit(trust, d, expires_at=datetime(2026, 3, 3, 20, 0, tzinfo=UTC))  # its member is erased first
    planning = trust.grant_consent(a, "service-planning", ["housing"], Audience(kind="council"), OPERATOR)
    grants = trust.grant_consent(
        a, "grant-making", ["profile"], Audience(kind="funder"), OPERATOR, expires_at=END - timedelta(hours=1)
    )  # withdrawn before it would expire
    late_one = _credit(trust, c)
    trust.member_leaves(e, OPERATOR)  # before the window
    trust.record_access(lender, b, "affordable-credit", ["household-finances"], OPERATOR)  # refused, before
    clock.now = START + timedelta(hours=1)  # inside the window
    _member(trust, "CA1", "bot")
    _member(trust, "CA2", "bot")
    _member(trust, "prefer-not-to-say", "paper", evidence_ref="PF-9", effective_at=START - timedelta(days=1))
    trust.member_leaves(c, OPERATOR)
    trust.erase_member(d, TRUSTEE)
    trust.revoke_consent(planning, OPERATOR)
    trust.revoke_consent(grants, OPERATOR)
    trust.revoke_consent(late_one, CASEWORKER, effective_at=START - timedelta(hours=12), evidence_ref="WD-1")
    trust.record_access(lender, a, "affordable-credit", ["contact", "household-finances"], OPERATOR)  # partly
    trust.record_access(lender, b, "affordable-credit", ["household-finances"], OPERATOR)  # refused
    trust.record_access(lender, a, "affordable-credit", ["contact"], OPERATOR)  # allowed: not in the digest
    clock.now = END  # the first instant after the window
    _member(trust, "CA3", "bot")
    trust.member_leaves(a, OPERATOR)
    trust.record_access(lender, b, "affordable-credit", ["household-finances"], OPERATOR)
    return expiring


def test_the_figures_count_what_was_recorded_in_the_window_only(views, history):
    assert views.digest_figures(START, END) == {
        "members_joined": {
            "total": 3,
            "by_channel": {"bot": 2, "paper": 1},
            "by_area": {"CA1": 1, "CA2": 1, "not said": 1},
        },
        "members_ended": {"left": 1, "erased": 1},
        "consents_withdrawn": {"affordable-credit": 1, "grant-making": 1, "service-planning": 1},
        "consents_expired": {"affordable-credit": 1},
        "late_facts": {"consent withdrawn": 1, "member registered": 1},
        "refused_reads": [{"organisation": LENDER, "purpose": "affordable-credit", "refused": 1, "partly": 1}],
    }
    after = views.digest_figures(END, END + timedelta(days=1))
    assert after["members_joined"] == {"total": 1, "by_channel": {"bot": 1}, "by_area": {"CA3": 1}}
    assert after["members_ended"] == {"left": 1, "erased": 0}
    assert after["consents_withdrawn"] == after["consents_expired"] == after["late_facts"] == {}
    assert after["refused_reads"] == [
        {"organisation": LENDER, "purpose": "affordable-credit", "refused": 1, "partly": 0}
    ]


def test_a_quiet_window_has_nothing_to_report(views, history):
    quiet = views.digest_figures(START - timedelta(days=10), START - timedelta(days=9))
    assert quiet["members_joined"] == {"total": 0, "by_channel": {}, "by_area": {}}
    assert quiet["refused_reads"] == [] and quiet["consents_expired"] == {}


def test_the_digest_is_recorded_once_a_day_as_given(services, trust, views, clock, history):
    figures = views.digest_figures(START, END)
    clock.advance(minutes=5)
    digest_id = trust.record_digest(DAY, START, END, figures, FAILING, SCHEDULER)
    (latest,) = views.latest_digests()
    assert latest["day"] == DAY and (latest["window_from"], latest["window_to"]) == (START, END)
    assert latest["figures"] == figures and latest["recorded_by"] == "scheduler:datatrust"
    assert latest["failing_work"] == [
        {
            "key": "proposal-close:8c1d",
            "kind": "proposal-close",
            "attempts": 4,
            "last_error": "OperationalError: database is locked",  # the first line only: no SQL, no parameters
            "failing_since": "2026-03-03T22:15:00+00:00",
            "due_at": "2026-03-03T22:00:00+00:00",
            "next_try_at": "2026-03-04T07:30:00+00:00",
        }
    ]
    assert views.digest(DAY) == latest and views.digest(DAY - timedelta(days=1)) is None
    with pytest.raises(NotAllowedNow, match=r"^The digest for 2026-03-04 is already recorded\.$"):
        with nothing_recorded(services):
            trust.record_digest(DAY, START, END, {"other": 1}, [], TRUSTEE)
    assert (
        trust.record_digest(DAY - timedelta(days=1), START - timedelta(days=1), START, {}, [], SCHEDULER) != digest_id
    )
    assert [d["day"] for d in views.latest_digests()] == [DAY, DAY - timedelta(days=1)]
    assert [d["day"] for d in views.latest_digests(limit=1)] == [DAY]


def test_a_second_digest_of_the_day_that_slips_past_the_check_is_refused_by_the_store(
    services, trust, clock, monkeypatch
):
    """Two schedulers at once: the day's id is the digest's, so the event store itself refuses the second."""
    from eventsourcing.application import AggregateNotFoundError

    clock.now = END + timedelta(hours=1)
    trust.record_digest(DAY, START, END, {}, [], SCHEDULER)

    def not_seen(aggregate_id, *args, **kwargs):
        raise AggregateNotFoundError(aggregate_id)

    monkeypatch.setattr(trust.application.repository, "get", not_seen)
    with pytest.raises(ConcurrentChange), nothing_recorded(services):
        trust.record_digest(DAY, START, END, {"other": 2}, [], SCHEDULER)


def test_a_rebuild_gives_the_digests_back_as_they_were_told(services, trust, views, clock, history):
    trust.record_digest(DAY, START, END, views.digest_figures(START, END), FAILING, SCHEDULER)
    told = views.latest_digests()
    active = next(m["member_id"] for m in views.members() if m["status"] == "active")
    trust.erase_member(active, TRUSTEE)  # a later erasure leaves the digest as it was told
    rebuild(trust, views.projector)
    assert views.latest_digests() == told and told[0]["figures"]["members_joined"]["total"] == 3


NAIVE = datetime(2026, 3, 3, 7, 0)
BAD = [
    (dict(day=datetime(2026, 3, 4, 7, 0, tzinfo=UTC)), InvalidTime, "a date without a time"),
    (dict(window_from=NAIVE), InvalidTime, "needs a date, a time and a time zone"),
    (dict(window_from=END), InvalidTime, "must end after it starts"),
    (dict(window_to=END + timedelta(days=2)), InvalidTime, "cannot end in the future"),
    (dict(figures={"set": {1, 2}}), InvalidRequest, "plain JSON"),
    (dict(figures={1: 2}), InvalidRequest, "plain JSON"),
    (dict(figures={"nan": float("nan")}), InvalidRequest, "finite numbers"),
    (dict(figures={"big": "x" * 70_000}), InvalidRequest, "at most 64000 characters"),
    (dict(failing_work="proposal-close"), InvalidRequest, "must be a list"),
    (dict(failing_work=[{"kind": "digest", "attempts": 3, "failing_since": END}]), InvalidRequest, "needs its key"),
    (dict(failing_work=[{**FAILING[0], "attempts": 0}]), InvalidRequest, "needs its attempts"),
    (dict(failing_work=[{**FAILING[0], "key": "two\nlines"}]), InvalidRequest, "needs its key"),
    (dict(failing_work=[{**FAILING[0], "failing_since": "yesterday"}]), InvalidTime, "failing since is not a date"),
    (dict(failing_work=[{**FAILING[0], "failing_since": None}]), InvalidTime, "failing since needs"),
    (dict(actor=CASEWORKER), NotAllowedNow, "Only the scheduler or a trustee"),
]


@pytest.mark.parametrize(("change", "error", "said"), BAD)
def test_a_bad_digest_is_refused_with_a_reason_and_records_nothing(services, trust, clock, change, error, said):
    clock.now = END + timedelta(hours=1)
    asked = dict(day=DAY, window_from=START, window_to=END, figures={}, failing_work=[], actor=SCHEDULER)
    asked.update(change)
    with pytest.raises(error, match=said), nothing_recorded(services):
        trust.record_digest(**asked)
    assert services.views.latest_digests() == []
