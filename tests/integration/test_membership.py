from datetime import timedelta

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, NotAllowedNow, UnknownMember
from domain.trust import Audience
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import nothing_recorded

SECOND_CASEWORKER = Actor("caseworker", "sam")


def test_a_member_who_joins_by_bot_is_active_with_their_answers(trust, views):
    member = trust.register_member(
        "Ada Lovelace", MEMBER_THEMSELF, channel="bot", profile={"area": "ca3", "gender": "woman"}
    )
    [row] = views.members()
    assert (row["member_id"], row["name"], row["status"]) == (member, "Ada Lovelace", "active")
    assert row["profile"] == {"area": "CA3", "gender": "woman"}


def test_a_paper_member_is_unconfirmed_and_their_consent_gives_no_access_until_confirmed(
    services, trust, views, clock, approved_lender
):
    signed = clock() - timedelta(days=2)
    member = trust.register_member("Bob Dixon", CASEWORKER, channel="paper", evidence_ref="PF-1", effective_at=signed)
    trust.grant_consent(
        member,
        "affordable-credit",
        ["housing"],
        Audience(approved_lender),
        CASEWORKER,
        collected_via="paper",
        evidence_ref="PF-1",
        effective_at=signed,
    )
    assert views.members()[0]["status"] == "unconfirmed"
    assert views.who_could_see(member, clock()) == []
    with pytest.raises(NotAllowedNow, match="second caseworker"), nothing_recorded(services):
        trust.confirm_member(member, CASEWORKER, how="in person with a second caseworker")
    confirmed_at = clock.advance(hours=1)
    trust.confirm_member(member, SECOND_CASEWORKER, how="in person with a second caseworker")
    assert [o["organisation"] for o in views.who_could_see(member, confirmed_at)] == ["Eden Valley Credit Union"]
    assert views.who_could_see(member, confirmed_at - timedelta(minutes=1)) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": ""}, InvalidRequest, "name"),
        ({"name": "x" * 201}, InvalidRequest, "name"),
        ({"name": "Cy", "channel": "fax"}, InvalidRequest, "channel"),
        ({"name": "Cy", "channel": "paper"}, InvalidRequest, "reference"),
        ({"name": "Cy", "profile": {"age-band": "ancient"}}, InvalidRequest, "age-band"),
        ({"name": "Cy", "profile": {"shoe": "9"}}, Exception, "profile question"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(services, kwargs, error, message):
    with pytest.raises(error, match=message), nothing_recorded(services):
        services.trust.register_member(actor=OPERATOR, **kwargs)


def test_a_registration_cannot_take_effect_in_the_future(services, clock):
    with pytest.raises(InvalidTime, match="future"), nothing_recorded(services):
        services.trust.register_member("Cy", OPERATOR, effective_at=clock() + timedelta(minutes=5))


def test_an_effective_time_cannot_precede_the_members_registration(services, clock):
    member = services.trust.register_member("Cy", OPERATOR)
    with pytest.raises(InvalidTime, match="before"), nothing_recorded(services):
        services.trust.member_leaves(member, OPERATOR, effective_at=clock() - timedelta(days=1))


def test_a_member_who_leaves_is_seen_by_nobody_from_then_on(services, clock, approved_lender):
    trust, views = services.trust, services.views
    member = trust.register_member("Dee", MEMBER_THEMSELF, channel="bot")
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), OPERATOR)
    before = clock.advance(hours=1)
    trust.member_leaves(member, OPERATOR)
    assert views.who_could_see(member, clock()) == []
    assert len(views.who_could_see(member, before - timedelta(seconds=1))) == 1
    with pytest.raises(NotAllowedNow, match="left"), nothing_recorded(services):
        trust.grant_consent(member, "research", ["profile"], Audience(kind="researcher"), OPERATOR)


def test_unknown_members_are_reported_plainly(services):
    from uuid import uuid4

    with pytest.raises(UnknownMember), nothing_recorded(services):
        services.trust.confirm_member(uuid4(), TRUSTEE, how="in person with a second caseworker")


def test_the_registering_caseworker_cannot_confirm_under_another_spelling(services, clock):
    member = services.trust.register_member("Bob", Actor("caseworker", "Cal"), channel="paper", evidence_ref="PF-2")
    with pytest.raises(NotAllowedNow, match="second caseworker"), nothing_recorded(services):
        services.trust.confirm_member(member, Actor.parse("caseworker: cal "), how="in person with a second caseworker")


@pytest.mark.parametrize("channel", ["bot", "web"])
def test_someone_a_caseworker_registers_stays_unconfirmed_on_any_channel(services, clock, approved_lender, channel):
    member = services.trust.register_member("Eve", CASEWORKER, channel=channel)
    services.trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), CASEWORKER)
    assert services.views.members()[0]["status"] == "unconfirmed"
    assert (
        services.trust.record_access(approved_lender, member, "affordable-credit", ["housing"], OPERATOR).granted == {}
    )


def test_changes_for_an_erased_member_are_refused_plainly(services):
    member = services.trust.register_member("Fay", MEMBER_THEMSELF, channel="bot")
    services.trust.erase_member(member, TRUSTEE)
    with pytest.raises(NotAllowedNow, match="erased"), nothing_recorded(services):
        services.trust.update_profile(member, {"area": "CA1"}, OPERATOR)
    with pytest.raises(NotAllowedNow, match="erased"), nothing_recorded(services):
        services.trust.link_contact(member, "telegram", "12345", OPERATOR)


def test_confirmation_is_one_of_the_known_ways(services):
    member = services.trust.register_member("Gil", CASEWORKER, channel="paper", evidence_ref="PF-3")
    with pytest.raises(InvalidRequest, match="Say how"), nothing_recorded(services):
        services.trust.confirm_member(member, SECOND_CASEWORKER, how="phoned Gil on 07700 900123")


@pytest.mark.parametrize(
    "actor",
    [OPERATOR, Actor("scheduler", "datatrust"), CASEWORKER, TRUSTEE],
    ids=["operator", "scheduler", "caseworker", "trustee"],
)
@pytest.mark.parametrize("channel", ["bot", "web"])
def test_only_the_member_themself_is_confirmed_at_once(services, approved_lender, actor, channel):
    trust, views = services.trust, services.views
    on_behalf = trust.register_member("Olga Five", actor, channel=channel)
    trust.grant_consent(on_behalf, "affordable-credit", ["housing"], Audience(approved_lender), actor)
    themself = trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel=channel)
    status = {row["member_id"]: row["status"] for row in views.members()}
    assert status == {on_behalf: "unconfirmed", themself: "active"}
    assert trust.record_access(approved_lender, on_behalf, "affordable-credit", ["housing"], OPERATOR).granted == {}
    told = [entry["text"] for entry in views.history(on_behalf)]
    assert told[0] == f"The individual was registered on their behalf via {channel}, unconfirmed."
    assert not any("joined" in text for text in told)
    assert views.history(themself)[0]["text"] == f"The individual joined via {channel}."


def test_an_organisation_may_not_register_members_nor_consent_for_them(services, approved_lender):
    lender = Actor("organisation", "eden-lender")
    member = services.trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    with pytest.raises(NotAllowedNow, match="An organisation may not register members") as refused:
        with nothing_recorded(services):
            services.trust.register_member("Olga Five", lender, channel="web")
    assert str(refused.value).count(".") == 1
    with pytest.raises(NotAllowedNow, match="may not record a consent"), nothing_recorded(services):
        services.trust.grant_consent(member, "affordable-credit", ["housing"], Audience(approved_lender), lender)


def test_a_name_that_hides_its_direction_is_refused_and_changes_nothing(services):
    with pytest.raises(InvalidRequest, match="invisible"), nothing_recorded(services):
        services.trust.register_member("Ada \u202egnp.exe", MEMBER_THEMSELF, channel="bot")
