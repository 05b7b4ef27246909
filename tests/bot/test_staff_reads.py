"""A member sees the trust's own staff reading their data in /mydata, as a role and
a day, never the caseworker's username; the file says the same."""

import json

import pytest

from tests.bot.conftest import join
from tests.conftest import CASEWORKER, TRUSTEE

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_my_data_says_a_caseworker_of_the_trust_read_it_on_that_day_and_never_who(chat_with, trust, views, fake, clock):
    mary = chat_with("Mary")
    join(mary, "Mary Dixon", consent={"affordable-credit": False})
    [member] = views.members()
    clock.advance(days=2)
    trust.record_staff_read(member["member_id"], "member", CASEWORKER)
    trust.record_staff_read(member["member_id"], "audit-explain", TRUSTEE)
    day = f"{clock():%-d %B %Y}"

    mary.send("/mydata")
    text = mary.last_text

    assert f"• A caseworker of the trust, on {day}" in text
    assert f"• A trustee of the trust, on {day}" in text
    assert "Nobody has read it." not in text
    assert "cal" not in text.split("Who has read it:")[1] and "tess" not in text

    mary.press("Download all of it as a file")
    [document] = fake.documents_to(mary.user)
    data = json.loads(document.content)
    reads = [r for r in data["reads"] if r["what"] == "read by staff"]
    assert [(r["text"], r["actor"]) for r in reads] == [
        (f"A caseworker of the trust, on {day}", "a caseworker of the trust"),
        (f"A trustee of the trust, on {day}", "a trustee of the trust"),
    ]
    assert reads[0]["recorded_at"] == f"{clock():%Y-%m-%d}"  # the day, not the minute
    assert "caseworker:cal" not in document.content.decode() and "trustee:tess" not in document.content.decode()


def test_the_file_names_no_caseworker_who_worked_on_the_members_record(chat_with, trust, views, fake):
    member_id = trust.register_member("Iona Bell", CASEWORKER, channel="paper", evidence_ref="FORM-7")
    code = views.member_card(member_id)["reference_code"]
    iona = chat_with("Iona")
    iona.send("/start")
    iona.press("I have a reference code")
    iona.press("I agree")
    iona.send(code)
    assert "membership is confirmed" in iona.last_text
    trust.record_staff_read(member_id, "member", CASEWORKER)

    iona.send("/mydata")
    iona.press("Download all of it as a file")
    [document] = fake.documents_to(iona.user)
    data = json.loads(document.content)

    assert "caseworker:cal" not in document.content.decode()
    registered = next(h for h in data["history"] if h["what"] == "registered")
    assert registered["actor"] == "a caseworker of the trust"
    assert "caseworker:cal" in [h["actor"] for h in views.history(member_id)]  # the trustees still know who
