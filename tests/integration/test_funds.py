"""Funds that find the members who want to hear: publishing (only an approved funder, social lender or
investor, criteria checked, closing in the future, never singling out fewer than the minimum cell
size), whom it is told to, and a member's one-step reply (a funding-applications consent naming the
funder, so its pack is readable). Every refusal records nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, NotAllowedNow
from domain.sealing.vault import SEAL_PREFIX
from projections.core.rebuild import rebuild
from projections.funds.tables import fund_notices, fund_profiles, fund_shares
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.fund_support import CAFES_IN_CA, CLOSES, PACK, approved_funder, business, cafes
from tests.support import nothing_recorded

FUNDER_S_TOKEN = Actor("organisation", "api token 1")


def publish(trust, funder, criteria=None, title="Green kitchens", low=500_000, high=2_500_000, closes=CLOSES):  # type: ignore[no-untyped-def]
    wanted = CAFES_IN_CA if criteria is None else criteria
    return trust.publish_fund(funder, title, low, high, wanted, closes, FUNDER_S_TOKEN)


@pytest.fixture
def funder(trust, clock):
    return approved_funder(trust, clock)


@pytest.fixture
def members(trust):
    """12 cafes in CA11 and 3 in LA9 that asked to hear of funds; one in CA11 that did not; a shop in CA11."""
    return {
        "ca": cafes(trust, 12),
        "la": cafes(trust, 3, area="LA9"),
        "silent": business(trust, "Fellside Cafe", agrees=False),
        "shop": business(trust, "Village Shop", sector="G"),
    }


def test_a_fund_is_told_to_the_members_it_fits_who_asked_and_to_nobody_else(trust, services, funder, members):
    fund_id = publish(trust, funder)
    views = services.views
    for cafe in members["ca"]:
        [told] = views.funds_told(cafe)
        assert told["title"] == "Green kitchens" and told["funder"] == "Cumbria Community Foundation"
        assert told["shared_at"] is None
    for other in (*members["la"], members["silent"], members["shop"]):
        assert views.funds_told(other) == []
    found = views.fund(fund_id, trust.clock())
    assert found["told"] == 12 and found["shared"] == 0 and found["shares"] == []
    assert found["criteria"] == {"sectors": ["I"], "areas": ["CA"], "legal_forms": [], "sizes": []}
    # Told in their chat: one announcement, for exactly those members, saying how to reply.
    [announcement] = trust.unfinished_announcements()
    text, _at, recipients = trust.announcement(announcement)
    assert recipients == frozenset(members["ca"])
    assert "Green kitchens, from Cumbria Community Foundation: £5,000 to £25,000" in text
    assert "share your application pack with Cumbria Community Foundation" in text


def test_matching_uses_each_member_s_latest_profile_and_standing_consent(trust, services, funder, members):
    moved = members["ca"][0]
    trust.share_data(
        moved,
        "organisation-profile",
        {"org-id": "GB-COH-29999999", "legal-form": "cio", "sector": "I", "area": "LA1"},
        MEMBER_THEMSELF,
        "portal",
    )
    [withdrawn] = [c for c in services.views.consents(members["ca"][1], trust.clock()) if c["purpose"] == "fund-news"]
    trust.revoke_consent(withdrawn["consent_id"], MEMBER_THEMSELF)
    for late in range(2):  # two more cafes in CA, so the fund still reaches ten
        business(trust, f"Late Cafe {late}")
    fund_id = publish(trust, funder)
    assert services.views.fund(fund_id, trust.clock())["told"] == 12
    assert services.views.funds_told(moved) == [] and services.views.funds_told(members["ca"][1]) == []


def test_profiles_are_matched_sealed_never_in_the_clear(trust, services, members):
    with services.views.reading() as conn:
        rows = conn.execute(select(fund_profiles)).all()
        key = services.views.vault.key_for(conn, members["shop"])
    assert len(rows) == 17
    for row in rows:
        assert "co-operative" not in row.attributes and "CA11" not in row.attributes
    [shop] = [row for row in rows if row.member_id == members["shop"]]
    opened = services.views.vault.open(key, members["shop"], shop.attributes)
    assert opened == {"sector": "G", "area": "CA", "legal_form": "co-operative", "size": "micro"}


def test_whom_a_fund_was_told_to_is_sealed_in_each_member_s_own_list_never_beside_the_fund(
    trust, services, funder, members
):
    """Being told of a fund says the member fits its criteria (sector, area...): so the read models keep
    only the count beside the fund, each member's own notices sealed under their key, and the members
    who chose to share their pack (a consent naming the funder, who sees them)."""
    fund_id = publish(trust, funder)
    trust.share_pack(fund_id, members["ca"][3], MEMBER_THEMSELF)
    vault = services.views.vault
    with services.views.reading() as conn:
        notices = conn.execute(select(fund_notices)).all()
        shares = conn.execute(select(fund_shares)).all()
        keys = vault.keys_for(conn, members["ca"])
    assert {row.member_id for row in notices} == set(members["ca"])
    for row in notices:
        assert set(row._mapping) == {"member_id", "notices"} and row.notices.startswith(SEAL_PREFIX)
        assert fund_id.hex not in row.notices and str(fund_id) not in row.notices
        [notice] = vault.open(keys[row.member_id], row.member_id, row.notices)["funds"]
        assert notice["fund"] == fund_id.hex
        assert (notice["shared_at"] is not None) == (row.member_id == members["ca"][3])
    assert [(row.fund_id, row.member_id) for row in shares] == [(fund_id, members["ca"][3])]
    assert services.views.fund(fund_id, trust.clock())["told"] == 12  # the funder's count, as before
    trust.erase_member(members["ca"][5], TRUSTEE)
    assert services.views.funds_told(members["ca"][5]) == []
    with services.views.reading() as conn:
        left = {row.member_id for row in conn.execute(select(fund_notices.c.member_id))}
    assert members["ca"][5] not in left and len(left) == 11


def test_a_fund_fitting_fewer_than_the_minimum_cell_size_is_refused_and_records_nothing(
    trust, services, funder, members
):
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow) as refused:
            publish(trust, funder, {"areas": ["LA"]})  # three cafes in LA asked
    assert str(refused.value) == (
        "Fewer than 10 of the members who asked to hear of funds fit these criteria, so telling them would single "
        "them out; nothing was recorded. Widen the criteria."
    )
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Fewer than 10"):
        publish(trust, funder, {"areas": ["CA"], "sizes": ["large"]})  # nobody
    assert trust.unfinished_announcements() == []


def test_a_fund_whose_members_differ_from_an_earlier_one_s_by_a_few_is_refused_and_records_nothing(
    trust, services, clock, funder, members
):
    publish(trust, funder)  # the 12 cafes in CA
    for criteria in ({"sectors": ["I"], "areas": ["CA", "LA"]}, {"areas": ["CA"]}):  # 3 cafes more; the shop more
        with nothing_recorded(services), pytest.raises(NotAllowedNow) as refused:
            publish(trust, funder, criteria, title="Kitchens too")
        assert str(refused.value) == (
            "These criteria reach almost the members your fund “Green kitchens” reached: the two differ by fewer "
            "than 10, so comparing how many each reached would single those members out. Nothing was recorded. "
            "Change the criteria so that they differ more, or reach the same members."
        )
    publish(trust, funder, title="Green kitchens, second round")  # the same 12: nothing more to learn
    cafes(trust, 10, area="LA12")
    publish(trust, funder, {"sectors": ["I"], "areas": ["CA", "LA"]}, title="Kitchens too")  # 13 more: shown
    other = approved_funder(trust, clock, name="Fellfoot Investors")
    publish(trust, other, {"areas": ["CA"]}, title="Another funder's")  # its own funds are what it compares


@pytest.mark.parametrize(
    ("change", "error", "sentence"),
    [
        ({"criteria": {"sectors": ["Z"]}}, InvalidRequest, "Unknown sector Z: give A, B, C"),
        ({"criteria": {"areas": ["QQ"]}}, InvalidRequest, "Unknown postcode area QQ: give a UK postcode area"),
        ({"criteria": {"legal_forms": ["plc"]}}, InvalidRequest, "Unknown legal form plc: give"),
        ({"criteria": {"sizes": ["huge"]}}, InvalidRequest, "Unknown size band huge: give large, medium, micro, small"),
        ({"criteria": {"postcodes": ["CA"]}}, InvalidRequest, "not postcodes"),
        ({"criteria": {"areas": "CA"}}, InvalidRequest, "are a list of codes"),
        ({"closes": datetime(2026, 3, 1, tzinfo=UTC)}, InvalidTime, "closing date must be in the future"),
        ({"closes": datetime(2026, 5, 1)}, InvalidTime, "needs a time zone"),  # noqa: DTZ001 - the bad input
        ({"low": 3_000_000}, InvalidRequest, "smallest award must not be more than the largest"),
        ({"low": 0}, InvalidRequest, "whole number of pence from 100"),
        ({"title": "  "}, InvalidRequest, "A fund's title must be 1 to 200 characters"),
    ],
)
def test_bad_funds_are_refused_in_a_sentence_and_record_nothing(
    trust, services, funder, members, change, error, sentence
):
    with nothing_recorded(services), pytest.raises(error, match=sentence):
        publish(trust, funder, **change)


def test_only_an_approved_funder_lender_or_investor_publishes(trust, services, clock, members):
    council = approved_funder(trust, clock, "Dale Council", "council")
    pending = trust.register_organisation("New Foundation", "funder", TRUSTEE)
    lender = approved_funder(trust, clock, "Eden Valley Credit Union", "social-lender")
    for refused in (council, pending):
        with (
            nothing_recorded(services),
            pytest.raises(NotAllowedNow, match="Only an approved funder, social lender or"),
        ):
            publish(trust, refused)
    assert services.views.fund(publish(trust, lender), trust.clock())["told"] == 12
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="published by its funder"):
        trust.publish_fund(lender, "Mine", 100, 200, {}, CLOSES, MEMBER_THEMSELF)


def test_a_member_shares_its_pack_with_the_funder_in_one_step(trust, services, clock, funder, members):
    fund_id = publish(trust, funder)
    cafe = members["ca"][0]
    consent_id = trust.share_pack(fund_id, cafe, MEMBER_THEMSELF)
    consent = trust.consent(consent_id)
    assert consent.purpose == "funding-applications" and consent.audience_organisation_id == funder
    assert tuple(consent.categories) == PACK
    [told] = services.views.funds_told(cafe)
    assert told["shared_at"] == clock()
    found = services.views.fund(fund_id, clock())
    assert found["shared"] == 1 and [s["member_id"] for s in found["shares"]] == [cafe]
    assert found["shares"][0]["standing"]
    outcome = trust.record_access(funder, cafe, "funding-applications", list(PACK), TRUSTEE)
    assert set(outcome.granted) == set(PACK)  # the pack endpoint reads it under this consent
    trust.revoke_consent(consent_id, MEMBER_THEMSELF)
    assert not services.views.fund(fund_id, clock())["shares"][0]["standing"]
    leaving = members["ca"][1]
    clock.advance(minutes=1)
    trust.share_pack(fund_id, leaving, MEMBER_THEMSELF)
    assert services.views.fund(fund_id, clock())["shares"][1]["standing"]
    trust.member_leaves(leaving, MEMBER_THEMSELF)
    assert not services.views.fund(fund_id, clock())["shares"][1]["standing"]  # the funder lists it no more


def test_a_suspended_funder_receives_no_pack(trust, services, funder, members):
    fund_id = publish(trust, funder)
    trust.suspend_organisation(funder, "a possible breach under investigation", TRUSTEE)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="is suspended now, so it cannot receive"):
        trust.share_pack(fund_id, members["ca"][0], MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="Only an approved funder"):
        publish(trust, funder, title="Another")


def test_a_reply_is_refused_once_shared_when_not_told_or_after_the_close(trust, services, clock, funder, members):
    fund_id = publish(trust, funder)
    cafe = members["ca"][0]
    trust.share_pack(fund_id, cafe, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="already shared your application pack"):
        trust.share_pack(fund_id, cafe, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="You were not told of this fund"):
        trust.share_pack(fund_id, members["silent"], MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="may not share a member's application pack"):
        trust.share_pack(fund_id, members["ca"][1], FUNDER_S_TOKEN)
    clock.now = CLOSES + timedelta(minutes=1)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="takes no more replies"):
        trust.share_pack(fund_id, members["ca"][1], MEMBER_THEMSELF)


def test_the_funds_are_rebuilt_from_the_history(trust, services, funder, members):
    fund_id = publish(trust, funder)
    trust.share_pack(fund_id, members["ca"][2], MEMBER_THEMSELF)
    before = services.views.fund(fund_id, trust.clock()), services.views.funds_told(members["ca"][2])
    rebuild(services.trust, services.views.projector)
    assert (services.views.fund(fund_id, trust.clock()), services.views.funds_told(members["ca"][2])) == before
