"""Funds that find the members who want to hear: features/funds/."""

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from domain.kernel.actors import Actor
from tests.features.conftest import attempt
from tests.integration.fund_support import CLOSES, PACK, business, cafes

scenarios("funds")

FUNDERS_TOKEN = Actor("organisation", "api token 1")


@pytest.fixture
def funds() -> dict:
    """The funds published in the scenario, by title."""
    return {}


@given(parsers.parse("{count:d} cafes in postcode district {district} have asked to hear about funds"))
def cafes_asked(trust, scene, count, district):
    for number, member in enumerate(cafes(trust, count, area=district), start=1):
        scene.members[f"cafe {number} in {district}"] = member


@given(parsers.parse('"{name}", a cafe in {district}, has not asked to hear about funds'))
def cafe_not_asking(trust, scene, name, district):
    scene.members[name] = business(trust, name, agrees=False, area=district)


def publish(trust, scene, funds, organisation, title, area):  # type: ignore[no-untyped-def]
    criteria = {"sectors": ["I"], "areas": [area]}
    funder = scene.organisations[organisation]
    funds[title] = trust.publish_fund(funder, title, 500_000, 2_500_000, criteria, CLOSES, FUNDERS_TOKEN)


@given(parsers.parse('"{organisation}" has published the fund "{title}" for cafes in postcode area {area}'))
@when(parsers.parse('"{organisation}" publishes the fund "{title}" for cafes in postcode area {area}'))
def publishes(trust, scene, funds, organisation, title, area):
    publish(trust, scene, funds, organisation, title, area)


@when(
    parsers.parse('"{organisation}" tries to publish the fund "{title}" for cafes in postcode area {area}'),
    target_fixture="attempt",
)
def tries_to_publish(trust, scene, funds, organisation, title, area):
    return attempt(trust, lambda: publish(trust, scene, funds, organisation, title, area))


def _in(scene, district):  # type: ignore[no-untyped-def]
    return [member for name, member in scene.members.items() if name.endswith(f" in {district}")]


@then(parsers.parse('the {count:d} cafes in {district} are told of "{title}" in their chat and their portal'))
def told(trust, views, scene, count, district, title):
    told_here = _in(scene, district)
    assert len(told_here) == count
    for member in told_here:
        assert [fund["title"] for fund in views.funds_told(member)] == [title]
    [announcement] = trust.unfinished_announcements()
    text, _at, recipients = trust.announcement(announcement)
    assert recipients == frozenset(told_here) and title in text


@then(parsers.parse('the cafes in {district} and "{name}" are not told of "{title}"'))
def not_told(views, scene, district, name, title):
    for member in (*_in(scene, district), scene.members[name]):
        assert views.funds_told(member) == []


@then(parsers.parse('"{organisation}" sees that {count:d} members were told and that none shared their pack'))
def funder_sees_count(trust, views, scene, organisation, count):
    [fund] = views.funds(scene.organisations[organisation])
    assert fund["told"] == count and fund["shared"] == 0


@when(parsers.parse('{member} shares its application pack for "{title}"'))
def shares(trust, scene, funds, member, title):
    trust.share_pack(funds[title], scene.members[member], Actor("member", "via portal"))


@then(parsers.parse('"{organisation}" sees that {member} shared its pack'))
def funder_sees_share(trust, views, scene, organisation, member):
    [fund] = views.funds(scene.organisations[organisation])
    found = views.fund(fund["id"], trust.clock())
    assert [share["member_id"] for share in found["shares"]] == [scene.members[member]]


@then(parsers.parse('"{organisation}" can read the application pack of {member} for funding applications'))
def reads_pack(trust, scene, organisation, member):
    outcome = _read_pack(trust, scene, organisation, member)
    assert set(outcome.granted) == set(PACK) and outcome.refused == ()


@then(parsers.parse('"{organisation}" can read nothing of {member} for funding applications'))
def reads_nothing(trust, scene, organisation, member):
    outcome = _read_pack(trust, scene, organisation, member)
    assert outcome.granted == {}


def _read_pack(trust, scene, organisation, member):  # type: ignore[no-untyped-def]
    funder, reading = scene.organisations[organisation], scene.members[member]
    return trust.record_access(funder, reading, "funding-applications", list(PACK), FUNDERS_TOKEN)
