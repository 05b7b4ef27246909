"""Trustees' questions about the past and the late-facts report: features/audit/."""

from pytest_bdd import parsers, scenarios, then, when

from projections.core.wording import short
from tests.features import language
from tests.features.conftest import words
from tests.features.language import caseworker

scenarios("audit")


@when("a trustee reads the late-facts report", target_fixture="report")
def late_facts_report(views):
    return views.late_facts()


@then(parsers.re(r"the report lists (?P<count>\d+) late facts?"))
def report_lists(report, count):
    assert len(report) == int(count), [entry["fact"] for entry in report]


@then(
    words(
        'the late fact is "{fact:Q}" for "{member:Q}", recorded by caseworker "{worker:Q}" from paper form "{form:Q}"'
    ),
    target_fixture="late_fact",
)
def the_late_fact(report, fact, member, worker, form):
    (entry,) = [entry for entry in report if entry["fact"] == fact]
    assert (entry["member"], entry["recorded_by"], entry["evidence_ref"]) == (member, str(caseworker(worker)), form)
    return entry


@then(words("its window runs from {start:Moment} to {end:Moment}"))
def window_runs(late_fact, start, end):
    assert (late_fact["effective_at"], late_fact["recorded_at"]) == (start, end)


@then(words('it says "{meaning:Q}"'))
def it_says(late_fact, meaning):
    assert late_fact["meaning"] == meaning


@then(words('it says that in the window "{organisation:Q}" could still see "{member:Q}"'))
def could_still_see(late_fact, scene, organisation, member):
    assert f"{organisation} could still see member {short(scene.members[member])}" in late_fact["window"]


@then(parsers.re(r"it lists (?P<count>\d+) reads? in the window"))
def reads_in_window(late_fact, count):
    assert len(late_fact["reads"]) == int(count), late_fact["reads"]


@then(words('it lists the read by "{organisation:Q}" of {categories} on {at:Moment}'))
def lists_read(late_fact, catalogue, organisation, categories, at):
    wanted = {"organisation": organisation, "categories": sorted(language.categories(catalogue, categories)), "at": at}
    assert any({key: read[key] for key in wanted} == wanted for read in late_fact["reads"]), late_fact["reads"]
