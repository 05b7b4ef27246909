"""Caseworkers: paper registrations, reference codes, signed requests."""

import re

import pytest

from domain.membership.codes import normalise
from tests.support import nothing_recorded
from tests.web.conftest import PAPER_FORM


def register(caseworker, **changes):
    response = caseworker.form("/members/new", {**PAPER_FORM, **changes})
    assert response.status_code == 302, caseworker.text(response)
    return response.headers["Location"].rsplit("/", 1)[1]


def code_on(page_text: str) -> str:
    return re.search(r'<dd class="code">([A-Z0-9-]+)</dd>', page_text).group(1)


def test_a_paper_registration_stays_unconfirmed_and_gets_a_printable_reference_code(caseworker, web_services):
    member_id = register(caseworker)
    page = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert "Mary Atkinson" in page and "Not confirmed yet" in page
    code = code_on(page)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code) and normalise(code)
    assert "07700 900123" in page and "CA11" in page and "prefers not to say" in page
    assert "waiting for the member to confirm" in page  # the ticked consent, not yet in force
    card = web_services.views.member_card(web_services.views.find_member(code))
    assert card["status"] == "unconfirmed" and card["registered_by"] == "caseworker:cal"
    assert card["evidence_ref"] == "PF-1042"
    pending = caseworker.text(caseworker.get("/members/pending"))
    assert "Mary Atkinson" in pending and code in pending


def test_members_are_found_by_code_however_it_is_typed_and_by_part_of_the_name(caseworker):
    member_id = register(caseworker)
    code = code_on(caseworker.text(caseworker.get(f"/members/{member_id}")))
    for typed in (code, code.lower().replace("-", ""), f" {code[:4]} {code[5:]} "):
        found = caseworker.text(caseworker.get("/members", query_string={"q": typed}))
        assert "1 member found" in found and member_id in found
    assert member_id in caseworker.text(caseworker.get("/members?q=atkin"))
    none = caseworker.text(caseworker.get("/members?q=100%25"))
    assert "0 members found" in none


def test_the_date_signed_is_when_membership_and_consent_took_effect(caseworker, web_services):
    member_id = register(caseworker)
    card = web_services.views.member_card(web_services.views.find_member(member_id))
    assert card["registered_at"].isoformat() == "2026-02-27T00:00:00+00:00"
    [consent] = web_services.views.consents(web_services.views.find_member(member_id), web_services.clock())
    assert consent["given_at"].isoformat() == "2026-02-27T00:00:00+00:00" and consent["via"] == "paper"


def test_a_form_with_mistakes_is_shown_again_with_the_input_kept_and_nothing_recorded(caseworker, web_services):
    bad = {
        **PAPER_FORM,
        "name": "Mary <b>Atkinson</b>",
        "signed_on": "2026-03-09",  # after today (2026-03-02)
        "form_ref": "notes about Mary",
        "profile_area": "not a postcode",
        "consent_research": "y",
        "audience_research": "kind:researcher",
    }
    with nothing_recorded(web_services):
        response = caseworker.form("/members/new", bad)
    page = caseworker.text(response)
    assert response.status_code == 400
    assert "There are" in page and "problems" in page  # the summary at the top
    assert "The date cannot be in the future." in page
    assert "never names or notes" in page
    assert "not a valid answer for area" in page
    assert "Tick at least one kind of data the member agreed to share." in page
    assert 'value="Mary &lt;b&gt;Atkinson&lt;/b&gt;"' in page  # kept, and escaped
    assert 'aria-invalid="true"' in page and 'href="#signed_on"' in page


def test_a_second_caseworker_confirms_in_person_but_not_the_one_who_registered(caseworker, second_caseworker):
    member_id = register(caseworker)
    own = caseworker.form(f"/members/{member_id}/confirm", {"seen": "y"})
    assert own.status_code == 400 and "A second caseworker" in caseworker.text(own)
    other = second_caseworker.form(f"/members/{member_id}/confirm", {"seen": "y"})
    assert other.status_code == 302
    page = second_caseworker.text(second_caseworker.get(f"/members/{member_id}"))
    assert "Not confirmed yet" not in page and "<dd>active</dd>" in page


def test_a_late_signed_withdrawal_is_recorded_from_the_date_signed(caseworker, second_caseworker, web_services, lender):
    member_id = register(caseworker)
    second_caseworker.form(f"/members/{member_id}/confirm", {"seen": "y"})
    views = web_services.views
    [consent] = views.consents(views.find_member(member_id), web_services.clock())
    response = caseworker.form(
        f"/members/{member_id}/withdraw?consent={consent['consent_id']}",
        {"consent": str(consent["consent_id"]), "signed_on": "2026-03-01", "signed_time": "15:30", "form_ref": "WD-7"},
        f"/members/{member_id}/withdraw",
    )
    assert response.status_code == 302
    [after] = views.consents(views.find_member(member_id), web_services.clock())
    assert after["status"] == "withdrawn"
    assert after["ended_at"].isoformat() == "2026-03-01T15:30:00+00:00"  # UK winter time = UTC
    late = {f["fact"]: f for f in views.late_facts()}  # registered and consented on 27 Feb too
    assert late["consent withdrawn"]["evidence_ref"] == "WD-7"
    assert late["consent withdrawn"]["recorded_by"] == "caseworker:cal"
    page = caseworker.text(caseworker.get(f"/members/{member_id}"))
    assert "withdrawn" in page and "Record withdrawal" not in page


def test_a_withdrawal_needs_the_consent_the_date_and_the_form(caseworker, web_services):
    member_id = register(caseworker)
    caseworker.get(f"/members/{member_id}/withdraw")  # opening it records a staff read; the refusal nothing
    with nothing_recorded(web_services):
        response = caseworker.post(f"/members/{member_id}/withdraw", {"consent": "not-a-consent"})
    page = caseworker.text(response)
    assert response.status_code == 400
    assert "Not a valid choice" in page or "Choose the consent" in page
    assert "Enter the date the form was signed." in page and "Enter the form&#39;s reference." in page


def test_a_profile_change_from_a_signed_request(caseworker, web_services):
    member_id = register(caseworker)
    response = caseworker.form(
        f"/members/{member_id}/profile",
        {"signed_on": "2026-03-01", "form_ref": "PC-3", "profile_household": "2", "profile_area_declined": "y"},
    )
    assert response.status_code == 302
    card = web_services.views.member_card(web_services.views.find_member(member_id))
    assert card["profile"] == {
        "area": "prefer-not-to-say",
        "age-band": "65-74",
        "gender": "prefer-not-to-say",
        "household": "2",
    }


def test_a_consent_from_a_later_signed_form(caseworker, web_services, lender):
    member_id = register(caseworker, **{"consent_affordable-credit": ""})
    organisation_id, _token = lender
    response = caseworker.form(
        f"/members/{member_id}/consents/new",
        {
            "purpose": "affordable-credit",
            "audience": f"org:{organisation_id}",
            "categories": ["household-finances"],
            "signed_on": "2026-03-02",
            "form_ref": "CF-9",
        },
    )
    assert response.status_code == 302
    consents = web_services.views.consents(web_services.views.find_member(member_id), web_services.clock())
    assert {c["purpose"]: c["audience"] for c in consents}["affordable-credit"] == "Eden Valley Credit Union"


def test_an_unknown_member_page_is_not_found(caseworker):
    assert caseworker.get("/members/00000000-0000-0000-0000-000000000000").status_code == 404
    assert caseworker.get("/members/not-a-uuid").status_code == 404


def audience_select(page_text: str, name: str) -> tuple[list[str], list[str]]:
    """The option values of a select, and those selected."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page_text, re.S).group(1)
    values = re.findall(r'<option[^>]*value="([^"]*)"', select)
    chosen = re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', select)
    return values, [a or b for a, b in chosen]


def test_the_paper_form_offers_only_the_audiences_each_notice_covers_and_starts_at_its_own_kind(caseworker, lender):
    organisation_id, _token = lender
    page = caseworker.text(caseworker.get("/members/new"))
    offered, chosen = audience_select(page, "audience_service-planning")
    assert offered == ["kind:council"] and chosen == ["kind:council"]
    offered, chosen = audience_select(page, "audience_affordable-credit")
    assert offered == ["kind:social-lender", f"org:{organisation_id}"] and chosen == ["kind:social-lender"]
    offered, chosen = audience_select(page, "audience_research")
    assert offered == ["kind:researcher"] and chosen == ["kind:researcher"]
    member_id = register(caseworker)
    later = caseworker.text(caseworker.get(f"/members/{member_id}/consents/new?purpose=service-planning"))
    offered, chosen = audience_select(later, "audience")
    assert "kind:social-lender" in offered and set(chosen) == {"kind:council"}


def test_a_ticked_purpose_left_at_its_default_goes_to_the_kind_its_notice_names(caseworker, web_services):
    page = caseworker.text(caseworker.get("/members/new"))
    _offered, [default] = audience_select(page, "audience_service-planning")
    ticked = {"consent_service-planning": "y", "audience_service-planning": default}
    member_id = register(caseworker, **ticked, **{"categories_service-planning": ["profile"]})
    consents = web_services.views.consents(web_services.views.find_member(member_id), web_services.clock())
    assert {c["purpose"]: c["audience"] for c in consents}["service-planning"] == "every approved council"


def test_an_audience_outside_the_notice_is_refused_on_both_forms_and_nothing_recorded(caseworker, web_services, lender):
    organisation_id, _token = lender
    widened = {
        **PAPER_FORM,
        "consent_service-planning": "y",
        "audience_service-planning": "kind:social-lender",
        "categories_service-planning": ["profile"],
    }
    with nothing_recorded(web_services):
        response = caseworker.form("/members/new", widened)
    assert response.status_code == 400 and "Choose who may see it, from the list." in caseworker.text(response)
    member_id = register(caseworker)
    later = {"purpose": "research", "audience": f"org:{organisation_id}", "categories": ["profile"]}
    caseworker.get(f"/members/{member_id}/consents/new")  # opening the form is a recorded staff read
    with nothing_recorded(web_services):
        response = caseworker.post(
            f"/members/{member_id}/consents/new", {**later, "signed_on": "2026-03-02", "form_ref": "CF-9"}
        )
    assert response.status_code == 400
    assert (
        "The Research notice (version 2) covers only researchers, and Eden Valley Credit Union is a social lender."
    ) in caseworker.text(response)


def test_a_caseworker_records_who_a_member_lives_with_by_the_other_members_code(caseworker, web_services):
    first = register(caseworker)
    second = register(caseworker, name="Ann Atkinson")
    code = code_on(caseworker.text(caseworker.get(f"/members/{second}")))
    page = caseworker.text(caseworker.get(f"/members/{first}"))
    assert f"/members/{first}/household" in page and "Record who they live with" in page
    response = caseworker.form(f"/members/{first}/household", {"housemate": code.lower()})
    assert response.status_code == 302
    trust = web_services.trust
    first_id, second_id = (web_services.views.find_member(m) for m in (first, second))
    household = trust.member_personal_data(first_id)["household"]
    assert household and trust.member_personal_data(second_id)["household"] == household
    shown = caseworker.text(caseworker.get(f"/members/{first}"))
    assert household not in shown and "lives with another member of the trust" in shown


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        ({}, "Give the code of a member they live with, or tick that they live with none."),
        (
            {"housemate": "K7Q-2MX", "alone": "y"},
            "Give the code of a member they live with, or tick that they live with none.",
        ),
        ({"housemate": "ZZZ-ZZZ"}, "No member is known by ZZZ-ZZZ"),
    ],
)
def test_a_household_form_with_a_mistake_records_nothing_and_says_why(caseworker, web_services, sent, said):
    member = register(caseworker)
    response = caseworker.form(f"/members/{member}/household", sent)  # (the page's read is recorded, as ever)
    assert response.status_code == 400
    assert said in caseworker.text(response)
    assert "household" not in web_services.trust.member_personal_data(web_services.views.find_member(member))
