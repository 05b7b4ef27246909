"""One reminder before a panel closes: to the members who have not answered and may
still answer, once; refused (and nothing recorded) when there is no open panel."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.insight.reminders import reminder_time
from domain.kernel.actors import SCHEDULER
from domain.kernel.errors import NotAllowedNow
from tests.conftest import CASEWORKER, OPERATOR, TRUSTEE
from tests.integration.insight_support import MEMBER, approved_request, submit
from tests.support import nothing_recorded


@pytest.fixture
def drawn(trust, views, clock, organisation, consents):
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    clock.advance(days=1)
    return request, [row["member_id"] for row in views.panel_roster(request)]


def _newest_announcement(trust, before: set):
    (new,) = set(trust.unfinished_announcements()) - before
    return trust.announcement(new)


def test_only_members_who_may_still_answer_are_reminded_once(trust, views, clock, drawn, consents):
    request, seated = drawn
    answered, declined, withdrew, left, erased, *waiting = seated
    trust.answer_panel(request, answered, {"buses": "fair"}, MEMBER)
    trust.decline_panel(request, declined, MEMBER)
    (replacement,) = views.panel_reserves(request)["replacements"]  # the first suitable reserve takes the seat
    waiting.append(replacement["reserve"])
    trust.revoke_consent(consents[withdrew], MEMBER)
    trust.member_leaves(left, MEMBER)
    trust.erase_member(erased, TRUSTEE)
    before = set(trust.unfinished_announcements())
    clock.advance(days=10)
    assert trust.remind_panel(request, SCHEDULER) == len(waiting) == 26
    text, at, recipients = _newest_announcement(trust, before)
    assert recipients == set(waiting) and at == clock()
    closes = views.insight_request(request)["closes_at"]
    assert "“Buses in the Carlisle area”" in text and "/panel" in text and "only counted in groups" in text
    assert f"{closes.day} March 2026 at 09:00 (UK time)" in text  # 16 March is still GMT
    draw = views.insight_request(request)["draw"]
    assert draw["reminded"] == 26 and datetime.fromisoformat(draw["reminded_at"]) == clock()


def test_a_second_reminder_is_refused_and_records_nothing(services, trust, clock, drawn):
    request, seated = drawn
    assert trust.remind_panel(request, TRUSTEE) == 30
    clock.advance(hours=1)
    with pytest.raises(NotAllowedNow, match=r"^This panel has already been reminded\.$"), nothing_recorded(services):
        trust.remind_panel(request, SCHEDULER)


def test_a_panel_with_nobody_waiting_is_reminded_with_no_announcement(trust, views, drawn):
    request, seated = drawn
    for member in seated:
        trust.answer_panel(request, member, {"buses": "good"}, MEMBER)
    before = set(trust.unfinished_announcements())
    assert trust.remind_panel(request, SCHEDULER) == 0
    assert set(trust.unfinished_announcements()) == before
    assert views.insight_request(request)["draw"]["reminded"] == 0
    with pytest.raises(NotAllowedNow, match="already been reminded"):
        trust.remind_panel(request, SCHEDULER)


def test_no_reminder_before_the_draw_after_the_close_or_from_the_wrong_person(
    services, trust, clock, organisation, consents
):
    submitted = submit(trust, clock, organisation)
    approved = approved_request(trust, clock, organisation)
    for request, said in ((submitted, "submitted"), (approved, "approved")):
        with pytest.raises(NotAllowedNow, match=f"is {said}; only a drawn, open panel"), nothing_recorded(services):
            trust.remind_panel(request, SCHEDULER)
    trust.draw_panel(approved, TRUSTEE)
    for who in (CASEWORKER, MEMBER):
        with pytest.raises(NotAllowedNow, match="Only the scheduler or a trustee"), nothing_recorded(services):
            trust.remind_panel(approved, who)
    clock.advance(days=14)  # the closing time itself: too late
    with pytest.raises(NotAllowedNow, match="closed on 16 March 2026 at 09:00"), nothing_recorded(services):
        trust.remind_panel(approved, SCHEDULER)
    trust.close_insight_request(approved, OPERATOR)
    with pytest.raises(NotAllowedNow, match="is closed"), nothing_recorded(services):
        trust.remind_panel(approved, SCHEDULER)


DRAWN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("open_for", "reminded_before_close"),
    [
        (timedelta(days=14), timedelta(hours=48)),  # a long panel: 48 hours before
        (timedelta(hours=96), timedelta(hours=48)),  # exactly twice the lead: both rules agree
        (timedelta(hours=72), timedelta(hours=36)),  # a short panel: halfway
        (timedelta(hours=1), timedelta(minutes=30)),
    ],
)
def test_the_reminder_is_48_hours_before_the_close_or_halfway(open_for, reminded_before_close):
    assert reminder_time(DRAWN, DRAWN + open_for) == DRAWN + open_for - reminded_before_close
