"""A social business sees how it compares with its peers: features/reports/."""

from pytest_bdd import given, parsers, scenarios, then, when

from tests.integration.test_benchmarks import BUSINESS, a_business, agreed, report

scenarios("reports")

POUNDS = 100  # pence


def _pounds(text: str) -> int:
    return int(text.replace("£", "").replace(",", "")) * POUNDS


@given(
    parsers.parse(
        "{count:d} cafes in postcode district {district}, with incomes from {low} to {high}, "
        "have agreed to benchmarking"
    )
)
def cafes_agreed(trust, scene, count, district, low, high):
    step = (_pounds(high) - _pounds(low)) // (count - 1) // POUNDS
    for number in range(count):
        cafe = a_business(trust, number, _pounds(low) // POUNDS + number * step, area=district)
        scene.members[f"cafe {number + 1}"] = cafe
        scene.consents[(f"cafe {number + 1}", "benchmarking")] = agreed(trust, cafe)


@given(
    parsers.parse(
        '"{name}", in {district} with an income of {income}, shared its profile but did not agree to benchmarking'
    )
)
def not_agreed(trust, scene, name, district, income):
    scene.members[name] = a_business(trust, 90, _pounds(income) // POUNDS, area=district)


@given(parsers.parse('"{name}", in {district} with an income of {income}, has agreed to benchmarking'))
def dominant(trust, scene, name, district, income):
    scene.members[name] = a_business(trust, 91, _pounds(income) // POUNDS, area=district)
    agreed(trust, scene.members[name])


@given(parsers.parse("cafes {first:d}, {second:d} and {third:d} withdraw their agreement to benchmarking"))
def withdraw(trust, scene, first, second, third):
    for number in (first, second, third):
        trust.revoke_consent(scene.consents[(f"cafe {number}", "benchmarking")], BUSINESS)


@when(parsers.parse("{name} looks at how it compares"), target_fixture="seen")
def looks(services, scene, name):
    return report(services, scene.members[name])


def _group(seen, group: str):  # type: ignore[no-untyped-def]
    return next(g for g in seen.groups if g.group == group)


@then(
    parsers.parse(
        "it is compared with {sector:d} organisations of its sector, {area:d} of its postcode area "
        "and {size:d} of its size"
    )
)
def compared_with(seen, sector, area, size):
    assert [(g.group, g.peers, g.withheld) for g in seen.groups] == [
        ("sector", sector, None),
        ("area", area, None),
        ("size", size, None),
    ]


@then(parsers.parse("the sector's incomes have a median of {median} and quartiles of {lower} and {upper}"))
def sector_incomes(seen, median, lower, upper):
    income = _group(seen, "sector").comparisons["annual-income"]
    assert (income.lower_quartile, income.median, income.upper_quartile) == (
        _pounds(lower),
        _pounds(median),
        _pounds(upper),
    )


@then(parsers.parse("{name}'s income of {income} is in the {quarter} quarter of its sector"))
def in_quarter(services, scene, name, income, quarter):
    seen = report(services, scene.members[name])
    assert seen.own["annual-income"] == _pounds(income)
    quarters = {"lowest": 1, "highest": 4}
    assert _group(seen, "sector").comparisons["annual-income"].quarter == quarters[quarter]


@then(parsers.parse('"{name}" has no report to look at'))
def no_report(services, scene, name):
    assert report(services, scene.members[name]) is None


@then(parsers.parse('the sector\'s incomes are withheld because "{reason}"'))
def incomes_withheld(seen, reason):
    income = _group(seen, "sector").comparisons["annual-income"]
    assert income.median is None and income.lower_quartile is None and income.upper_quartile is None
    assert reason in income.withheld


@then("the sector's employees are still compared")
def employees_compared(seen):
    employees = _group(seen, "sector").comparisons["employees"]
    assert employees.withheld is None and employees.median == 4.0


@then(parsers.parse('its sector is withheld because "{reason}"'))
def sector_withheld(seen, reason):
    sector = _group(seen, "sector")
    assert sector.comparisons == {} and sector.withheld.startswith(reason)
