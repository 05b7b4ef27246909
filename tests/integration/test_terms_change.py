"""When the membership terms change: a member who agreed to version 1 is told at most once a day,
agrees to the latest once (a second agreement records nothing), and a caseworker records an
agreement from a signed paper form; the trustees' dashboard counts current members by version."""

from datetime import timedelta

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, NotAllowedNow
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded

VIA_SMS = Actor("member", "via sms")
VIA_BOT = Actor("member", "via bot")
MARY = "+447700900123"


@pytest.fixture
def mary_on_version_1(trust, catalogue_latest):
    """Mary joined by SMS when version 1 was the terms (recorded as version 1, explicitly)."""
    return trust.join_at_address("sms", MARY, "Mary", {}, "1", VIA_SMS)


@pytest.fixture
def catalogue_latest(services):
    assert services.catalogue.latest_terms == "2"  # the bundled catalogue: version 2 says what 1 left out
    return "2"


def test_a_member_on_version_1_is_told_once_a_day_until_she_agrees(trust, views, clock, mary_on_version_1):
    mary = mary_on_version_1
    assert views.member_terms(mary)["version"] == "1"
    assert trust.tell_terms_changed(mary, "sms", "summary", VIA_SMS) is True
    told = views.member_terms(mary)
    assert (told["told_version"], told["told_at"]) == ("2", clock())
    clock.advance(hours=23)
    assert trust.tell_terms_changed(mary, "sms", "summary", VIA_SMS) is False  # not twice in a day
    clock.advance(hours=1)
    assert trust.tell_terms_changed(mary, "sms", "summary", VIA_SMS) is True
    history = [h["text"] for h in views.history(mary)]
    told_line = "Was told on SMS that the membership terms changed, sent version 2 (its summary), and asked to agree."
    assert history.count(told_line) == 2


def test_agreeing_twice_records_it_once_and_she_is_not_told_again(trust, services, views, mary_on_version_1):
    mary = mary_on_version_1
    assert trust.agree_to_terms(mary, "2", VIA_SMS, "summary and full text") is True
    with nothing_recorded(services):
        assert trust.agree_to_terms(mary, "2", VIA_SMS, "summary") is False
        assert trust.tell_terms_changed(mary, "sms", "summary", VIA_SMS) is False
    agreed = [h["text"] for h in views.history(mary) if h["what"] == "terms accepted"]
    terms_hash = services.catalogue.terms_hash("2")[:12]
    assert agreed[-1] == (
        f"Agreed to the membership terms, version 2 (text hash {terms_hash}), "
        "having been sent its summary and full text by SMS."
    )
    assert len(agreed) == 2  # version 1 when she joined, version 2 now
    assert views.member_terms(mary)["version"] == "2"


def test_only_the_latest_version_can_be_agreed_to_and_bad_requests_record_nothing(trust, services, mary_on_version_1):
    mary = mary_on_version_1
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow, match="agrees now to version 2"):
            trust.agree_to_terms(mary, "1", VIA_SMS)
        with pytest.raises(NotAllowedNow, match="Say what of the terms"):
            trust.agree_to_terms(mary, "2", VIA_SMS, "a rumour")
        with pytest.raises(InvalidRequest, match="signed form's reference"):
            trust.agree_to_terms(mary, "2", CASEWORKER)
        with pytest.raises(InvalidRequest, match="not a reference"):
            trust.agree_to_terms(mary, "2", CASEWORKER, evidence_ref="Mary said so on the phone")
        with pytest.raises(NotAllowedNow, match="organisation may not"):
            trust.agree_to_terms(mary, "2", Actor("organisation", "eden valley api"))
        with pytest.raises(InvalidTime):
            trust.agree_to_terms(
                mary, "2", CASEWORKER, evidence_ref="PF-77", effective_at=services.clock() + timedelta(days=1)
            )
        with pytest.raises(InvalidRequest, match="Unknown channel"):
            trust.tell_terms_changed(mary, "pigeon", "summary", VIA_SMS)


def test_a_member_who_left_is_neither_told_nor_recorded_as_agreeing(trust, services, mary_on_version_1):
    trust.member_leaves(mary_on_version_1, VIA_SMS)
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow):
            trust.tell_terms_changed(mary_on_version_1, "sms", "summary", VIA_SMS)
        with pytest.raises(NotAllowedNow):
            trust.agree_to_terms(mary_on_version_1, "2", VIA_SMS)


def test_a_caseworker_records_an_agreement_from_a_signed_paper_form(trust, views, clock):
    iona = trust.register_member("Iona Bell", CASEWORKER, channel="paper", evidence_ref="FORM-7")
    assert views.member_terms(iona)["version"] is None
    assert trust.tell_terms_changed(iona, "sms", "summary", VIA_SMS) is False  # never agreed in a record
    clock.advance(days=3)
    signed = clock() - timedelta(days=2)
    assert trust.agree_to_terms(iona, "2", CASEWORKER, effective_at=signed, evidence_ref="PF-77") is True
    [fact] = [h for h in views.history(iona) if h["what"] == "terms accepted"]
    assert fact["text"].endswith("on a signed paper form (form PF-77).")
    assert (fact["actor"], fact["effective_at"]) == ("caseworker:cal", signed)


def test_the_dashboard_counts_current_members_by_the_terms_they_last_agreed_to(trust, views, clock):
    on_1 = [trust.join_by_chat(9100 + n, f"M{n}", {}, "1", VIA_BOT) for n in range(3)]
    trust.join_by_chat(9200, "New", {}, "2", VIA_BOT)
    trust.register_member("Iona Bell", CASEWORKER, channel="paper", evidence_ref="FORM-7")
    trust.agree_to_terms(on_1[0], "2", VIA_BOT)
    trust.member_leaves(on_1[1], VIA_BOT)  # a leaver is no longer counted
    assert views.dashboard(clock())["members_by_terms"] == {"1": 1, "2": 2, None: 1}


def test_a_store_made_before_the_terms_were_kept_apart_fills_them_from_the_history(trust, views, clock, services):
    mary = trust.join_by_chat(9300, "Mary", {}, "1", VIA_BOT)
    with services.trust.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE member_terms")
    views.create_schema()
    assert views.member_terms(mary)["version"] == "1"
    assert views.dashboard(clock())["members_by_terms"] == {"1": 1}
    assert TRUSTEE  # (the dashboard is the trustees')
