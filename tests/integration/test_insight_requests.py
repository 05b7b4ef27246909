"""Submitting, revising and reviewing insight requests; every bad request refused, nothing recorded."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.insight.disclosure.release import Question
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.errors import (
    InvalidRequest,
    InvalidTime,
    NotAllowedNow,
    NotInCatalogue,
    UnknownInsightRequest,
    UnknownOrganisation,
)
from tests.conftest import TRUSTEE
from tests.integration.insight_support import COUNCIL_CLIENT, CRITERIA, QUESTIONS, submit
from tests.support import nothing_recorded


def test_a_submitted_request_is_listed_for_the_trustees_and_its_organisation(trust, views, clock, organisation):
    request = submit(trust, clock, organisation)
    (listed,) = views.insight_requests(status="submitted")
    assert listed["id"] == request and listed["organisation_name"] == "Cumbria Council"
    assert listed["fee_offered_pence"] == 150_000 and listed["fee_paid_pence"] == 0
    assert views.insight_requests(organisation_id=organisation) == [listed]
    detail = views.insight_request(request)
    assert [q["code"] for q in detail["questions"]] == ["buses", "needs", "ideas"]
    assert detail["criteria"]["quotas"][0] == {"attribute": "area", "value": "CA1", "minimum": 12, "maximum": 16}
    assert detail["criteria"]["breakdown"] == ["area"]
    assert detail["draw"] is None and detail["result"] is None and detail["free_text"] is None
    assert detail["counts"] == {"invited": 0, "answered": 0, "declined": 0, "withdrew": 0}


def test_changes_asked_for_then_revised_then_approved(trust, views, clock, organisation):
    request = submit(trust, clock, organisation)
    trust.review_insight_request(request, "changes", "Please ask about fares as well.", TRUSTEE)
    assert views.insight_request(request)["status"] == "changes-requested"
    fares = Question("fares", "scale", "How fair are the fares (1 = not at all)?", ("1", "2", "3", "4", "5"))
    trust.revise_insight_request(
        request, "Buses and fares", (*QUESTIONS, fares), CRITERIA, 175_000, clock() + timedelta(days=10), COUNCIL_CLIENT
    )
    assert views.insight_request(request)["status"] == "submitted"
    trust.review_insight_request(request, "approve", "Thank you.", TRUSTEE)
    detail = views.insight_request(request)
    assert (detail["status"], detail["title"], detail["fee_offered_pence"]) == ("approved", "Buses and fares", 175_000)
    assert [r["decision"] for r in detail["reviews"]] == ["changes", "approve"]
    assert detail["reviews"][0]["reason"] == "Please ask about fares as well."


def test_a_rejected_request_goes_no_further(services, trust, clock, organisation):
    request = submit(trust, clock, organisation)
    trust.review_insight_request(request, "reject", "Not a community purpose.", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="rejected"), nothing_recorded(services):
        trust.draw_panel(request, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="rejected"), nothing_recorded(services):
        trust.review_insight_request(request, "approve", "Changed my mind.", TRUSTEE)


def quota(attribute, value, minimum, maximum):
    return Quota(attribute, value, minimum, maximum)


BAD_REQUESTS = [
    (
        {"criteria": replace(CRITERIA, quotas=(quota("area", "CA1", 20, 25), quota("area", "CA2", 15, 20)))},
        InvalidRequest,
        "add up to 35, more than the panel size 30",
    ),
    (
        {"criteria": replace(CRITERIA, quotas=(quota("area", "CA1", 12, 8),))},
        InvalidRequest,
        "at least 12 but at most 8",
    ),
    ({"criteria": replace(CRITERIA, quotas=(quota("shoe-size", "9", 1, 2),))}, NotInCatalogue, "profile question"),
    ({"criteria": replace(CRITERIA, quotas=(quota("age-band", "100+", 1, 2),))}, InvalidRequest, "not a valid answer"),
    ({"criteria": replace(CRITERIA, quotas=(quota("area", "CA3", 2, 6),))}, InvalidRequest, "single out fewer than 10"),
    ({"criteria": PanelCriteria(8, (), ("area",))}, InvalidRequest, "single out fewer than 10"),
    ({"criteria": replace(CRITERIA, breakdown=("income",))}, InvalidRequest, "no panel attribute 'income'"),
    ({"questions": ()}, InvalidRequest, "at least one question"),
    ({"questions": (Question("q", "single", "Pick", ("only",)),)}, InvalidRequest, "2 to 12 options"),
    ({"closes_at": datetime(2026, 1, 1, 9, 0, tzinfo=UTC)}, InvalidTime, "in the future"),
    ({"closes_at": datetime(2027, 1, 1, 9, 0)}, InvalidTime, "time zone"),
    ({"fee_offered_pence": -1}, InvalidRequest, "fee offered"),
    ({"fee_offered_pence": 12.5}, InvalidRequest, "whole number"),
    ({"purpose": "affordable-credit"}, InvalidRequest, "not one members answer community panels for"),
    ({"purpose": "marketing"}, NotInCatalogue, "purpose"),
    ({"title": "  "}, InvalidRequest, "title must be 1 to 200"),
]


@pytest.mark.parametrize(("changes", "error", "message"), BAD_REQUESTS)
def test_a_bad_request_is_refused_and_nothing_is_recorded(
    services, trust, clock, organisation, changes, error, message
):
    with pytest.raises(error, match=message), nothing_recorded(services):
        submit(trust, clock, organisation, **changes)


def test_only_an_approved_organisation_may_ask(services, trust, clock, organisation):
    trust.suspend_organisation(organisation, "Unpaid invoice", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="Cumbria Council is suspended"), nothing_recorded(services):
        submit(trust, clock, organisation)
    waiting = trust.register_organisation("Eden Council", "council", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="awaiting approval"), nothing_recorded(services):
        submit(trust, clock, waiting)
    with pytest.raises(UnknownOrganisation), nothing_recorded(services):
        submit(trust, clock, uuid4())


def test_reviewing_twice_or_wrongly_is_refused(services, trust, clock, organisation):
    request = submit(trust, clock, organisation)
    with pytest.raises(NotAllowedNow, match="Only a trustee"), nothing_recorded(services):
        trust.review_insight_request(request, "approve", "ok", COUNCIL_CLIENT)
    with pytest.raises(InvalidRequest, match="Unknown decision"), nothing_recorded(services):
        trust.review_insight_request(request, "maybe", "ok", TRUSTEE)
    with pytest.raises(InvalidRequest, match="reason"), nothing_recorded(services):
        trust.review_insight_request(request, "approve", " ", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="submitted; it cannot be revised"), nothing_recorded(services):
        trust.revise_insight_request(
            request, "New", QUESTIONS, CRITERIA, 1, clock() + timedelta(days=3), COUNCIL_CLIENT
        )
    trust.review_insight_request(request, "approve", "Fine.", TRUSTEE)
    with pytest.raises(NotAllowedNow, match="approved; it cannot be reviewed"), nothing_recorded(services):
        trust.review_insight_request(request, "reject", "Second thoughts.", TRUSTEE)
    with pytest.raises(UnknownInsightRequest), nothing_recorded(services):
        trust.review_insight_request(organisation, "approve", "Fine.", TRUSTEE)
