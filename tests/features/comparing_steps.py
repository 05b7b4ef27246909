"""The steps of features/bot/comparing.feature: an individual comparing her well-being with her
area's in the chat, on every channel (tests/features/test_bot_journeys.py imports them there)."""

from pytest_bdd import given, parsers, then

from tests.conftest import MEMBER_THEMSELF
from tests.integration.wellbeing_support import neighbours
from tests.support import snapshot


@given(
    parsers.parse("{count:d} members in postcode district {district} shared their well-being and agreed to compare it")
)
def neighbours_agreed(trust, count, district):
    neighbours(trust, count, area=district)


@given(
    parsers.parse(
        "Mary shared her well-being: life satisfaction {life:d}, worthwhile {worthwhile:d}, "
        "happiness {happiness:d} and anxiety {anxiety:d}"
    )
)
def mary_shared(services, trust, people, life, worthwhile, happiness, anxiety):
    answers = {"life-satisfaction": life, "worthwhile": worthwhile, "happiness": happiness, "anxiety": anxiety}
    trust.share_data(people["Mary"], "wellbeing", answers, MEMBER_THEMSELF, "bot")
    people["before asking"] = snapshot(services)


@then("asking recorded nothing")
def recorded_nothing(services, people):
    assert snapshot(services) == people.pop("before asking")
