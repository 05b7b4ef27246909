"""Trustees read the daily digest on their dashboard (failing scheduled work first, as a
warning) and every recorded day's digest; nobody else can open them, and no digest
names a member."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.kernel.actors import SCHEDULER
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.integration.insight_support import council
from tests.web.conftest import Web

DAY = date(2026, 3, 4)
START = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
END = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
NAME = "Mary Atkinson"
FAILING = {
    "key": "proposal-close:8c1d",
    "kind": "proposal-close",
    "attempts": 4,
    "last_error": "OperationalError: database is locked\n[parameters: ('Mary Atkinson',)]",
    "failing_since": "2026-03-03T22:15:00+00:00",
}


@pytest.fixture
def recorded(web_services, web_clock, lender):
    """A day with a new member (by name: the digest must not say it), a withdrawal and a refused read."""
    trust = web_services.trust
    web_clock.now = START + timedelta(hours=2)
    member = trust.register_member(NAME, MEMBER_THEMSELF, channel="bot", profile={"area": "CA1"})
    consent = trust.grant_consent(member, "affordable-credit", ["contact"], Audience(kind="social-lender"), OPERATOR)
    trust.revoke_consent(consent, OPERATOR)
    trust.record_access(lender[0], member, "affordable-credit", ["contact"], OPERATOR)
    web_clock.now = END + timedelta(minutes=1)
    quiet = (START - timedelta(days=1), START)
    trust.record_digest(DAY - timedelta(days=1), *quiet, web_services.views.digest_figures(*quiet), [], SCHEDULER)
    figures = web_services.views.digest_figures(START, END)
    trust.record_digest(DAY, START, END, figures, [FAILING], SCHEDULER)


def test_a_trustee_sees_the_latest_digest_and_the_failing_work_first(trustee, recorded):
    page = trustee.text(trustee.get("/trustee"))
    assert "Daily digest: Wednesday 4 March 2026" in page
    assert "from 3 March 2026 at 07:00 (UK time) to 4 March 2026 at 07:00 (UK time)" in page
    assert page.index('role="alert"') < page.index("New members: 1") < page.index("Members by status")
    assert (
        "Scheduled work is failing: <strong>proposal-close:8c1d</strong> (proposal-close), 4 attempts, "
        "last error OperationalError: database is locked, failing since 3 March 2026 at 22:15 (UK time)."
    ) in page
    for label in ("Joined through", "the Telegram chat", "Consents withdrawn", "Affordable credit", "Reads refused"):
        assert label in page, label
    assert "Eden Valley Credit Union" in page and "Consents that expired" not in page  # nothing: not shown
    assert NAME not in page and "parameters" not in page


def test_every_days_digest_has_its_own_page(trustee, recorded):
    listing = trustee.text(trustee.get("/trustee/digests"))
    assert "Wednesday 4 March 2026" in listing and 'href="/trustee/digests?day=2026-03-03"' in listing
    older = trustee.get("/trustee/digests?day=2026-03-03")
    text = trustee.text(older)
    assert older.status_code == 200 and "Tuesday 3 March 2026" in text
    assert "Nothing to report" in text and "Scheduled work is failing" not in text
    for missing in ("2026-03-01", "yesterday", "2026-02-30"):
        assert trustee.get(f"/trustee/digests?day={missing}").status_code == 404, missing


def test_before_any_digest_the_pages_say_so(trustee):
    assert "No daily digest has been recorded yet." in trustee.text(trustee.get("/trustee"))
    response = trustee.get("/trustee/digests")
    assert response.status_code == 200 and "No daily digest has been recorded yet." in trustee.text(response)


def test_only_trustees_see_digests(app, web_services, web_clock, caseworker, anonymous, recorded):
    _token_id, token = web_services.trust.issue_api_token(council(web_services.trust, web_clock), "portal", TRUSTEE)
    portal = Web(app.test_client())
    assert portal.form("/organisation/sign-in", {"token": token}).headers["Location"] == "/organisation"
    for url in ("/trustee/digests", "/trustee/digests?day=2026-03-04"):
        assert caseworker.get(url).status_code == 403
        for outsider in (anonymous, portal):
            response = outsider.get(url)
            assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), url
