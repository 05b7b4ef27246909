"""The close: what the organisation gets (small cells withheld), who counts, free text, payments."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from domain.kernel.errors import InvalidRequest, NotAllowedNow
from tests.conftest import OPERATOR, TRUSTEE
from tests.integration.insight_support import COUNCIL_CLIENT, MEMBER, answer_all, approved_request, community, council
from tests.support import nothing_recorded, snapshot


@pytest.fixture
def panel(trust, views, clock):
    organisation = council(trust, clock)
    consents = community(trust)
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    clock.advance(hours=1)
    return request, [row["member_id"] for row in views.panel_roster(request)], consents


def closed(trust, clock, request):
    clock.advance(days=15)
    return trust.close_insight_request(request, TRUSTEE)


def unrecoverable(table: dict) -> None:
    """No withheld figure of a breakdown can be worked out by subtracting published ones from the total."""
    overall, *groups = table["rows"]
    columns = [("respondents", None), *(("answers", option) for option in overall["answers"])]
    for part, option in columns:
        total = overall[part] if option is None else overall[part][option]
        cells = [group[part] if option is None else group[part][option] for group in groups]
        withheld = [cell for cell in cells if cell["suppressed"]]
        assert total["suppressed"] or len(withheld) != 1, (table["question"], part, option)


def test_closing_before_the_closing_time_is_refused(services, trust, panel):
    request, _, _ = panel
    with pytest.raises(NotAllowedNow, match=r"closes at 2026-03-16 09:00 UTC"), nothing_recorded(services):
        trust.close_insight_request(request, TRUSTEE)


def test_the_release_counts_whole_groups_and_withholds_small_ones(services, trust, views, clock, panel):
    request, seated, _ = panel
    answer_all(trust, request, seated)
    release = closed(trust, clock, request)
    result = views.insight_request(request)["result"]
    assert result == release.as_dict() and result["respondents"] == 30 and result["min_cell"] == 10
    by_area = next(t for t in result["tables"] if t["question"] == "buses" and t["attribute"] == "area")
    rows = {row["group"]: row for row in by_area["rows"]}
    assert rows["all"]["respondents"]["count"] == 30
    assert rows["CA3"]["respondents"]["suppressed"] and all(c["suppressed"] for c in rows["CA3"]["answers"].values())
    for table in result["tables"]:
        if table["attribute"]:
            unrecoverable(table)
    assert result["free_text"] == ["ideas"] and views.insight_request(request)["free_text"] is None
    with nothing_recorded(services):
        assert trust.close_insight_request(request, TRUSTEE) == release
    assert views.insight_request(request)["status"] == "closed"


def test_declined_withdrawn_and_erased_members_are_left_out(trust, views, clock, panel):
    request, seated, consents = panel
    answer_all(trust, request, seated)
    trust.decline_panel(request, seated[0], MEMBER)
    trust.revoke_consent(consents[seated[1]], MEMBER)
    trust.erase_member(seated[2], TRUSTEE)
    release = closed(trust, clock, request)
    assert release.respondents == 27
    counts = views.insight_request(request)["counts"]
    assert (counts["answered"], counts["declined"], counts["withdrew"]) == (27, 1, 2)


def test_too_few_answers_release_nothing(trust, views, clock, panel):
    request, seated, _ = panel
    answer_all(trust, request, seated[:9])
    release = closed(trust, clock, request)
    assert release.respondents is None and release.tables == ()


def test_answers_are_sealed_and_free_text_is_released_only_after_a_trustees_review(
    services, trust, views, clock, panel
):
    request, seated, _ = panel
    answer_all(trust, request, seated)
    with services.trust.engine.connect() as conn:
        stored = b"".join(bytes(row[0]) for row in conn.execute(text(f"SELECT state FROM {trust.events_table}")))
    assert b"Idea number" not in stored and b'cheaper-fares"]' not in stored
    assert "Idea number" not in repr(snapshot(services))
    with pytest.raises(NotAllowedNow, match="after the request closes"):
        trust.free_text_for_review(request)
    with pytest.raises(NotAllowedNow, match="only after the close"), nothing_recorded(services):
        trust.release_free_text(request, {"ideas": ["A bus to the hospital"]}, TRUSTEE)
    closed(trust, clock, request)
    review = trust.free_text_for_review(request)
    assert review["ideas"] == sorted(f"Idea number {n}" for n in range(0, 30, 4))
    with pytest.raises(InvalidRequest, match="not a free-text question"), nothing_recorded(services):
        trust.release_free_text(request, {"buses": ["x"]}, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.release_free_text(request, {"ideas": ["x"]}, COUNCIL_CLIENT)
    trust.release_free_text(request, {"ideas": ["Idea number 0", "Idea number [redacted]"]}, TRUSTEE)
    assert views.insight_request(request)["free_text"] == {"ideas": ["Idea number 0", "Idea number [redacted]"]}


def test_fees_offered_and_payments_make_the_income_report(services, trust, views, clock, panel):
    request, _, _ = panel
    for amount, reference, error, message in [
        (0, "INV-1", InvalidRequest, "from 1"),
        (-5, "INV-1", InvalidRequest, "from 1"),
        (100, "", InvalidRequest, "needs its reference"),
        (100, "see my note please", InvalidRequest, "not a reference"),
    ]:
        with pytest.raises(error, match=message), nothing_recorded(services):
            trust.record_payment(request, amount, reference, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.record_payment(request, 100, "INV-1", OPERATOR)
    trust.record_payment(request, 100_000, "INV-1", TRUSTEE)
    paid_at = clock.advance(days=1)
    trust.record_payment(request, 50_000, "INV-1B", TRUSTEE)
    report = views.income_report()
    (line,) = report["requests"]
    assert (line["fee_offered_pence"], line["fee_paid_pence"], line["paid_at"]) == (150_000, 150_000, paid_at)
    assert [p["reference"] for p in line["payments"]] == ["INV-1", "INV-1B"]
    assert (report["offered_pence"], report["paid_pence"]) == (150_000, 150_000)
    assert views.insight_requests()[0]["fee_paid_pence"] == 150_000


def test_a_panel_cannot_be_answered_or_drawn_after_its_closing_time(services, trust, clock, panel):
    request, seated, _ = panel
    clock.advance(days=14, seconds=1)
    with pytest.raises(NotAllowedNow, match="closed at"), nothing_recorded(services):
        trust.answer_panel(request, seated[0], {"buses": "good"}, MEMBER)
    assert trust.close_insight_request(request, TRUSTEE).respondents is None
    with pytest.raises(NotAllowedNow, match="closed"), nothing_recorded(services):
        trust.decline_panel(request, seated[0], MEMBER)
    assert clock() > clock() - timedelta(seconds=1)


def test_the_command_line_closes_a_request_and_reruns_its_draw(trust, cli_run, panel, monkeypatch):
    request, seated, _ = panel
    answer_all(trust, request, seated)
    rerun = cli_run("rerun-panel-draw", str(request))
    assert rerun.exit_code == 0 and "the same panel of 30 members" in rerun.output and "HiGHS" not in rerun.output
    monkeypatch.setattr("domain.insight.draws.solver_name", lambda: "HiGHS 2.0.0 (highspy 2.0.0)")
    other = cli_run("rerun-panel-draw", str(request))
    assert other.exit_code == 0 and "but this re-run used HiGHS 2.0.0" in other.output
    assert '"reserves_match": true' in cli_run("rerun-panel-draw", str(request), "--json").output
    closed = cli_run("close-insight-request", str(request))  # the command line's clock is past the closing time
    assert closed.exit_code == 0, closed.output
    assert "30 members counted" in closed.output and "ideas" in closed.output
    again = cli_run("close-insight-request", str(request), "--json")
    assert '"respondents": 30' in again.output
    unknown = cli_run("rerun-panel-draw", str(seated[0]))
    assert unknown.exit_code == 1 and "No insight request is known" in unknown.output
