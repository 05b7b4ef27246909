"""The trustees' dashboard says whether a scheduler is keeping the trust's dated
promises, and lists scheduled work failing right now (not only in the next digest)."""

from datetime import UTC, datetime, timedelta

from domain.store.lease import SchedulerLease
from domain.store.scheduled_work import WorkLedger

NOT_RUNNING = "No scheduler is running"


def test_the_dashboard_warns_when_no_scheduler_is_running_and_says_when_one_is(trustee, web_services):
    page = trustee.text(trustee.get("/trustee"))
    assert NOT_RUNNING in page and "datatrust scheduler" in page

    lease = SchedulerLease(web_services.trust.engine, "host-a:123:abc", timedelta(seconds=30))
    assert lease.take(datetime.now(UTC))
    page = trustee.text(trustee.get("/trustee"))
    assert NOT_RUNNING not in page and "The scheduler is running (since" in page

    lease.give_up()
    page = trustee.text(trustee.get("/trustee"))
    assert NOT_RUNNING in page and "(last seen" in page


def test_work_failing_three_times_in_a_row_is_listed_until_it_succeeds(trustee, web_services, web_clock):
    ledger = WorkLedger(web_services.trust.engine)
    key, due = "proposal-close:5d0c", web_clock()
    for attempt in range(3):
        assert "Scheduled work failing now" not in trustee.text(trustee.get("/trustee")), attempt
        ledger.fail(key, "proposal-close", due, "OperationalError at storage.py:40", web_clock())
    page = trustee.text(trustee.get("/trustee"))
    assert "Scheduled work failing now" in page
    assert "<strong>proposal-close:5d0c</strong> (proposal-close): 3 attempts, last error OperationalError" in page

    ledger.finish(key, "proposal-close", due, "closed the vote", web_clock())
    assert "Scheduled work failing now" not in trustee.text(trustee.get("/trustee"))
