"""Members voting on the trust's rules: features/governance/. Commands go through the
application; the trustees' page of rules is read through the real web app."""

import html
import re

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from adapters.web import create_app
from domain.kernel.actors import Actor
from tests.features import language
from tests.features.conftest import attempt
from tests.features.language import TRUSTEE
from tests.web.conftest import PASSWORD, Web, open_account

scenarios("governance")

MEMBER_VIA_BOT = Actor("member", "via bot")
RULE = "min-cell-size"


def words(pattern: str) -> parsers.parse:
    return parsers.parse(pattern, extra_types=language.TYPES)


@pytest.fixture
def proposal() -> dict:
    return {}


@given(words("the minimum cell size is {value:d}"))
@then(words("the minimum cell size is {value:d}"))
def minimum_cell_size(trust, value):
    assert trust.live_rule(RULE).value == value


@when(
    words(
        'a trustee opens the proposal "{title:Q}" to make the minimum cell size {value:d}, '
        "closing {closes:Moment}, quorum {quorum:d}%"
    )
)
def opens_rule_change(trust, proposal, title, value, closes, quorum):
    proposal["id"] = trust.open_proposal(
        title,
        f"Insight releases would need at least {value} members in every group.",
        ["For", "Against"],
        closes,
        TRUSTEE,
        rule_code=RULE,
        rule_value=value,
        quorum_percent=quorum,
    )


@when(words('"{name:Q}" votes "{option:Q}"'))
@when(words('"{name:Q}" changes the vote to "{option:Q}"'))
def votes(trust, scene, proposal, name, option):
    trust.cast_vote(proposal["id"], scene.members[name], ["For", "Against"].index(option), MEMBER_VIA_BOT)


@when(words('"{name:Q}" tries to vote "{option:Q}"'), target_fixture="attempt")
def tries_to_vote(trust, scene, proposal, name, option):
    index = ["For", "Against"].index(option)
    return attempt(trust, lambda: trust.cast_vote(proposal["id"], scene.members[name], index, MEMBER_VIA_BOT))


@when("a trustee closes the proposal")
def closes(trust, proposal):
    proposal["result"] = trust.close_proposal(proposal["id"], TRUSTEE)


@then(words("the proposal {outcome} with {turnout:d} of {electorate:d} members voting: {yes:d} for and {no:d} against"))
def result_is(proposal, outcome, turnout, electorate, yes, no):
    result = proposal["result"]
    assert outcome in ("passed", "did not pass")
    assert result.passed == (outcome == "passed")
    assert (result.turnout, result.electorate, result.tally) == (turnout, electorate, (yes, no))


@then(words('{names} are told "{text:Q}"'))
def told(trust, scene, names, text):
    wanted = frozenset(scene.members[name] for name in language.quoted_names(names))
    told = [
        announcement
        for announcement in trust.unfinished_announcements()
        if text in trust.announcement_text(announcement)
    ]
    assert told, f"no announcement says {text!r}"
    assert trust.announcement_recipients(told[-1]) == wanted


def rules_page(services) -> str:
    app = create_app(services, {"TESTING": True})
    open_account(services.trust, "tess", ["trustee"])
    web = Web(app.test_client())
    assert web.form("/sign-in", {"username": "tess", "password": PASSWORD}).status_code == 302
    page = web.text(web.get("/trustee/rules"))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@then(
    words(
        'the trustees\' page of rules says the minimum cell size is {value:d}, set by the vote on "{title:Q}" at {at}'
    )
)
def page_says_set_by(services, value, title, at):
    page = rules_page(services)
    assert f"Now {value} Set by the vote on {title} , {at}" in page, page


@then(words("the trustees' page of rules says the minimum cell size is {value:d}, the default"))
def page_says_default(services, value):
    page = rules_page(services)
    assert f"Now {value} Set by the default ({value}); no vote has changed it" in page, page
