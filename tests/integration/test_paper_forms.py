"""A signed paper form is one command: the member and every consent ticked on it, or nothing."""

from datetime import timedelta

import pytest

from domain.kernel.errors import InvalidRequest, NotInCatalogue
from domain.trust import Audience, Ticked
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded


def signed(clock):
    return clock() - timedelta(days=3)


def test_the_member_and_every_ticked_consent_are_recorded_together_from_the_day_signed(
    services, clock, approved_lender
):
    trust, views = services.trust, services.views
    before = trust.last_position()
    member_id = trust.record_paper_form(
        "Mary Atkinson",
        CASEWORKER,
        form_ref="PF-1042",
        signed_at=signed(clock),
        profile={"area": "CA11"},
        ticked=[
            Ticked("affordable-credit", ("housing", "household-finances"), Audience(approved_lender)),
            Ticked("service-planning", ("profile",), Audience(kind="council")),
        ],
    )
    card = views.member_card(member_id)
    assert card["status"] == "unconfirmed" and card["evidence_ref"] == "PF-1042"
    consents = views.consents(member_id, clock())
    assert sorted(c["purpose"] for c in consents) == ["affordable-credit", "service-planning"]
    assert {c["given_at"] for c in consents} == {signed(clock)} and {c["via"] for c in consents} == {"paper"}
    # one command: the member, their code's index and both consents, recorded in one go
    assert trust.last_position() - before == 4


def test_one_consent_outside_its_notice_refuses_the_whole_form_and_records_nothing(services, clock, approved_lender):
    ticked = [
        Ticked("research", ("profile",), Audience(kind="researcher")),
        Ticked("service-planning", ("profile",), Audience(approved_lender)),  # a lender, but the notice is for councils
    ]
    with (
        nothing_recorded(services),
        pytest.raises(InvalidRequest, match=r"^Local service planning: .*covers only councils"),
    ):
        services.trust.record_paper_form(
            "Mary Atkinson", CASEWORKER, form_ref="PF-1043", signed_at=signed(clock), ticked=ticked
        )
    assert services.views.search_members("Atkinson") == []


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"form_ref": ""}, "needs the form's reference"),
        ({"ticked": [Ticked("not-a-purpose", ("profile",), Audience(kind="council"))]}, NotInCatalogue),
        ({"ticked": [Ticked("research", ("profile",), Audience(kind="researcher"))] * 2}, "ticked twice"),
        ({"actor": TRUSTEE.__class__("organisation", "evcu")}, "register members"),
    ],
)
def test_a_form_that_cannot_be_right_is_refused_in_one_sentence_and_records_nothing(services, clock, changes, refusal):
    form = {"form_ref": "PF-1044", "ticked": [], "actor": CASEWORKER, **changes}
    error = refusal if isinstance(refusal, type) else Exception
    with nothing_recorded(services), pytest.raises(error) as raised:
        services.trust.record_paper_form(
            "Mary Atkinson", form["actor"], form_ref=form["form_ref"], signed_at=signed(clock), ticked=form["ticked"]
        )
    if isinstance(refusal, str):
        assert refusal in str(raised.value)
