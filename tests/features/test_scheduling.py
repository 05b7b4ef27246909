"""The trust's scheduled work: features/scheduling/. The scheduler is driven as
`datatrust scheduler --due-now` drives it (scheduler.due.run_due_work: the same
planning, runner and work ledger as the running scheduler) by the trust's clock,
which the scenario moves with "it is ..."."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from domain.kernel.actors import Actor
from domain.trust import Audience
from scheduler.due import run_due_work
from tests.features import language
from tests.features.conftest import CONSENT, Attempt, attempt, give_consent
from tests.features.language import TRUSTEE

scenarios("scheduling")

MEMBER_VIA_BOT = Actor("member", "via bot")


def day(text: str) -> date:
    """'Saturday 7 March 2026'; the weekday must match the date."""
    chosen = datetime.strptime(text, "%A %d %B %Y").date()
    if chosen.strftime("%A") != text.split()[0]:
        raise ValueError(f"{text!r}: {chosen:%d %B %Y} is a {chosen:%A}")
    return chosen


def words(pattern: str) -> parsers.parse:
    return parsers.parse(pattern, extra_types=language.TYPES)


@dataclass
class Scheduler:
    stopped_until: datetime | None = None
    outcomes: list[tuple[str, str | None]] = field(default_factory=list)


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler()


@pytest.fixture
def poll() -> dict:
    return {}


# The scheduler


@given(words("the scheduler was stopped until {until:Moment}"))
def stopped_until(scheduler, clock, until):
    assert until > clock(), "a stop that is already over is no stop"
    scheduler.stopped_until = until


@when("the scheduler does the work that is due")
def does_due_work(services, clock, scheduler):
    if scheduler.stopped_until is not None:
        assert clock() >= scheduler.stopped_until, f"the scheduler is stopped until {scheduler.stopped_until}"
    scheduler.outcomes = run_due_work(services)


@given("the scheduler has done the work that is due")
def has_done_due_work(services, clock, scheduler):
    does_due_work(services, clock, scheduler)
    said = [said for _key, said in scheduler.outcomes]
    assert said and None not in said, f"the scheduler did no work, or some failed: {scheduler.outcomes}"


@when("the scheduler does the work that is due again", target_fixture="attempt")
def does_due_work_again(services, trust, clock, scheduler) -> Attempt:
    return attempt(trust, lambda: does_due_work(services, clock, scheduler))


@then(words('the scheduler says "{outcome:Q}"'))
def scheduler_says(scheduler, outcome):
    said = [said for _key, said in scheduler.outcomes]
    assert None not in said, f"some scheduled work failed: {scheduler.outcomes}"
    assert said.count(outcome) == 1, said


@then("the scheduler finds nothing left to do")
def nothing_left(scheduler):
    assert scheduler.outcomes == [], scheduler.outcomes


# Consents with an expiry


@given(words('"{member:Q}" has consented, until {expires:Moment}, to ' + CONSENT))
def consents_until(trust, catalogue, scene, member, expires, organisation, pronoun, categories, purpose):
    audience = Audience(organisation_id=scene.organisations[organisation])
    give_consent(trust, catalogue, scene, member, audience, categories, purpose, expires_at=expires)


@then(
    parsers.re(
        r"the trustees' digest for (?P<on>\w+day \d{1,2} \w+ \d{4}) counts (?P<count>\d+) consents? expired "
        r"for (?P<purpose>.+)"
    )
)
def digest_counts_expired(views, catalogue, on, count, purpose):
    on, count = day(on), int(count)
    digests = {digest["day"]: digest for digest in views.latest_digests()}
    assert on in digests, f"no digest for {on}; there are {sorted(digests)}"
    expired = digests[on]["figures"]["consents_expired"]
    assert expired == {language.purpose(catalogue, purpose): count}, expired


# A vote


@given(
    words(
        'a trustee has opened the poll "{title:Q}" with the options "{first:Q}" and "{second:Q}", '
        "closing {closes:Moment}"
    )
)
def opens_poll(trust, poll, title, first, second, closes):
    poll["options"] = [first, second]
    poll["id"] = trust.open_proposal(
        title, "An advisory poll: the trustees will follow the members' answer.", poll["options"], closes, TRUSTEE
    )


@given(words('"{name:Q}" has voted "{option:Q}"'))
def has_voted(trust, scene, poll, name, option):
    trust.cast_vote(poll["id"], scene.members[name], poll["options"].index(option), MEMBER_VIA_BOT)


@when(words('"{name:Q}" tries to vote "{option:Q}"'), target_fixture="attempt")
def tries_to_vote(trust, scene, poll, name, option):
    return attempt(trust, lambda: has_voted(trust, scene, poll, name, option))


@then("the vote is still open")
def still_open(views, poll):
    shown = views.proposal(poll["id"])
    assert (shown["status"], shown["closed_at"]) == ("open", None), shown


COUNT = re.compile(r'(\d+) "([^"]+)"')


@then(
    words(
        "the vote was closed by the scheduler on {at:Moment}, "
        "with {turnout:d} of {electorate:d} members voting: {counts}"
    )
)
def closed_by_scheduler(views, poll, at, turnout, electorate, counts):
    shown = views.proposal(poll["id"])
    said = {option: int(count) for count, option in COUNT.findall(counts)}
    assert sorted(said) == sorted(poll["options"]), counts
    assert (shown["status"], shown["closed_by"], shown["closed_at"]) == ("closed", "scheduler:datatrust", at), shown
    assert (shown["turnout"], shown["electorate_size"]) == (turnout, electorate), shown
    assert list(shown["tally"]) == [said[option] for option in poll["options"]], shown


# Announcements to members


def announcements_saying(trust, text: str) -> list:
    return [a for a in trust.unfinished_announcements() if text in trust.announcement_text(a)]


@then(words('"{name:Q}" is told "{text:Q}"'))
def one_told(trust, scene, name, text):
    told(trust, scene, f'"{name}"', text)


@then(words('{names} are told "{text:Q}"'))
def told(trust, scene, names, text):
    who = language.quoted_names(names)
    saying = announcements_saying(trust, text)
    assert len(saying) == 1, f"{len(saying)} announcements say {text!r}"
    assert trust.announcement_recipients(saying[0]) == frozenset(scene.members[person] for person in who)


@then(words('"{name:Q}" is not told "{text:Q}"'))
def not_told(trust, scene, name, text):
    for announcement in announcements_saying(trust, text):
        recipients = trust.announcement_recipients(announcement)
        assert recipients is not None and scene.members[name] not in recipients
