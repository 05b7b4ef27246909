"""The co-op's surplus: features/surplus/. Commands go through the application; the
treasurer's payment list is downloaded from the real web app."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from adapters.web import create_app
from domain.kernel.actors import Actor
from tests.features import language
from tests.features.conftest import attempt
from tests.features.language import TRUSTEE
from tests.integration.insight_support import council, submit
from tests.surplus_support import clock_in_2025
from tests.web.conftest import PASSWORD, Web, open_account

scenarios("surplus")

MEMBER_VIA_BOT = Actor("member", "via bot")
YEAR = 2025


def words(pattern: str) -> parsers.parse:
    return parsers.parse(pattern, extra_types=language.TYPES)


def pence(pounds: str) -> int:
    return int(Decimal(pounds.replace(",", "")) * 100)


@pytest.fixture
def clock():
    return clock_in_2025()


@pytest.fixture
def ballot() -> dict:
    return {}


@given(words("the trust has recorded £{amount} of income from an insight request"))
def income(trust, clock, amount):
    request = submit(trust, clock, council(trust, clock))
    trust.record_payment(request, pence(amount), "INV-2025-7", TRUSTEE)


@given(words('a trustee has recorded a surplus of £{amount} for {year:d}, with the evidence "{evidence:Q}"'))
def surplus(trust, amount, year, evidence):
    trust.record_surplus(year, pence(amount), evidence, TRUSTEE)


@when(words("a trustee opens a split ballot on the {year:d} surplus between {uses}"))
def opens_split_ballot(trust, clock, ballot, year, uses):
    ballot["uses"] = language.quoted_names(uses)
    ballot["id"] = trust.open_proposal(
        f"How should we use the {year} surplus?",
        "Share 100% between the uses below.",
        ballot["uses"],
        clock() + timedelta(days=7),
        TRUSTEE,
        split=True,
    )


@when(words('"{name:Q}" splits it {first:d}%, {second:d}% and {third:d}%'))
def splits(trust, scene, ballot, name, first, second, third):
    trust.cast_split_vote(ballot["id"], scene.members[name], [first, second, third], MEMBER_VIA_BOT)


@when("the ballot closes a week later")
def ballot_closes(trust, clock, ballot):
    clock.advance(days=7, minutes=5)
    ballot["result"] = trust.close_proposal(ballot["id"], TRUSTEE)


@then(words("the mean split is {first:d}%, {second:d}% and {third:d}%, adding up to 100%"))
def mean_split(ballot, first, second, third):
    assert ballot["result"].split == (first, second, third) and first + second + third == 100


@when(
    words(
        'a trustee records the uses members chose, "{use:Q}" paid as dividends, with the community projects {projects}'
    )
)
def records_uses(trust, ballot, use, projects):
    trust.decide_surplus_uses(YEAR, ballot["id"], ballot["uses"].index(use), language.quoted_names(projects), TRUSTEE)


@given(words("members have split the {year:d} surplus with half for dividends"))
def split_with_half(trust, clock, scene, ballot, year):
    opens_split_ballot(trust, clock, ballot, year, '"Dividends", "Community projects" and "Reinvest"')
    splits(trust, scene, ballot, "Amira", 50, 25, 25)
    ballot_closes(trust, clock, ballot)
    trust.decide_surplus_uses(year, ballot["id"], 0, ["Eden Valley food bank"], TRUSTEE)


@then(words("the dividend pot is £{amount}"))
def dividend_pot(views, amount):
    assert views.surplus_of(YEAR)["uses"][0]["amount_pence"] == pence(amount)


@given(words('members have passed the vote "{title:Q}"'), target_fixture="rule")
@when(words('members pass the vote "{title:Q}"'), target_fixture="rule")
def pass_rule_vote(trust, clock, scene, title):
    proposal = trust.open_proposal(
        title,
        "Each member active at the year's end gets the same share.",
        ["For", "Against"],
        clock() + timedelta(days=7),
        TRUSTEE,
        passing_option=0,
    )
    for member in scene.members.values():
        trust.cast_vote(proposal, member, 0, MEMBER_VIA_BOT)
    clock.advance(days=7, minutes=5)
    assert trust.close_proposal(proposal, TRUSTEE).passed
    return proposal


@when(words("a trustee shares the dividends, {equal:d}% in equal shares and {participation:d}% by participation"))
def shares(trust, rule, equal, participation):
    trust.share_dividends(YEAR, equal, participation, rule, TRUSTEE)


@when(
    words("a trustee tries to share the dividends, {equal:d}% in equal shares and {participation:d}% by participation"),
    target_fixture="attempt",
)
def tries_to_share(trust, rule, equal, participation):
    return attempt(trust, lambda: trust.share_dividends(YEAR, equal, participation, rule, TRUSTEE))


@then(words("{names} each have a dividend of £{low} or £{high}, adding up to £{total}"))
def each_have(views, scene, names, low, high, total):
    amounts = []
    for name in language.quoted_names(names):
        [dividend] = views.dividends_of(scene.members[name])
        amounts.append(dividend["amount_pence"])
    assert set(amounts) <= {pence(low), pence(high)} and sum(amounts) == pence(total)


@when(words('"{name:Q}" gives the dividend to "{project:Q}"'))
def gives(trust, scene, name, project):
    trust.give_dividend(YEAR, scene.members[name], project, MEMBER_VIA_BOT)


@pytest.fixture
def payment_list(services) -> dict:
    app = create_app(services, {"TESTING": True})
    open_account(services.trust, "tess", ["trustee"])
    web = Web(app.test_client())
    assert web.form("/sign-in", {"username": "tess", "password": PASSWORD}).status_code == 302
    response = web.get(f"/trustee/surplus/{YEAR}/payments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return {"text": response.get_data(as_text=True)}


@then(
    words(
        "the treasurer's payment list has {count:d} lines adding up to £{total}, "
        '{given:d} of them given to "{project:Q}"'
    )
)
def payment_lines(payment_list, count, total, given, project):
    rows = list(csv.DictReader(io.StringIO(payment_list["text"])))
    assert len(rows) == count and list(rows[0]) == ["reference_code", "amount", "pay_to"]
    assert sum(pence(row["amount"]) for row in rows) == pence(total)
    assert [row["pay_to"] for row in rows].count(f"community project: {project}") == given


@then("the payment list names no member")
def names_no_member(payment_list, scene):
    assert not any(name in payment_list["text"] for name in scene.members)
