"""Shared steps: the trust's members, caseworkers, trustees and organisations acting
through the real application, and what they then notice in its answers.

People and organisations are named in the feature files; ``scene`` remembers
which record each name stands for, as a caseworker would look it up.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

import pytest
from pytest_bdd import given, parsers, then, when

from domain.kernel.errors import TrustError
from domain.trust import Audience
from tests.features import language
from tests.features.language import AXES, MEMBER_HIMSELF, TRUSTEE, caseworker, quoted_names


def words(pattern: str) -> parsers.parse:
    """A step pattern: {x:Moment} is a time in the trust's words, {x:Q} the text between quotes."""
    return parsers.parse(pattern, extra_types=language.TYPES)


@dataclass
class Scene:
    members: dict[str, UUID] = field(default_factory=dict)
    organisations: dict[str, UUID] = field(default_factory=dict)
    consents: dict[tuple[str, str], UUID] = field(default_factory=dict)  # (member, purpose) -> latest consent


@dataclass(frozen=True)
class Attempt:
    error: TrustError | None
    recorded_something: bool


@pytest.fixture(autouse=True)
def whole_trust(services):
    """Every scenario runs against a whole trust, once per database: steps ask for
    their fixtures only while running, so the parametrised ones are requested here."""
    return services


@pytest.fixture
def scene() -> Scene:
    return Scene()


@pytest.fixture
def catalogue(trust):
    return trust.catalogue


def attempt(trust, action: Callable[[], object]) -> Attempt:
    before = trust.last_position()
    try:
        action()
    except TrustError as error:
        return Attempt(error, trust.last_position() != before)
    return Attempt(None, trust.last_position() != before)


# Time


@given(words("it is {instant:Moment}"))
@when(words("it is {instant:Moment}"))
def time_is(clock, instant):
    assert instant >= clock.now, f"a scenario's time only moves forward (it was already {clock.now})"
    clock.now = instant


# Organisations

ORGANISATION = r'"(?P<name>[^"]+)", an? (?P<kind>[a-z ]+)'


def register_organisation(trust, catalogue, scene, name, kind):
    scene.organisations[name] = trust.register_organisation(name, language.organisation_kind(catalogue, kind), TRUSTEE)
    return scene.organisations[name]


@given(parsers.re(ORGANISATION + ", has registered and awaits approval"))
def organisation_awaits_approval(trust, catalogue, scene, name, kind):
    register_organisation(trust, catalogue, scene, name, kind)


@given(parsers.re(ORGANISATION + ", has been approved by the trustees"))
def approved_organisation(trust, catalogue, clock, scene, name, kind):
    register_organisation(trust, catalogue, scene, name, kind)
    trustees_approve(trust, clock, scene, name)


@given(words('the trustees have approved "{name:Q}"'))
@when(words('the trustees approve "{name:Q}"'))
def trustees_approve(trust, clock, scene, name):
    trust.approve_organisation(scene.organisations[name], f"DSA-{name[:3].upper()}", clock().date(), TRUSTEE)


@given(words('a trustee has suspended "{name:Q}" because "{reason:Q}"'))
@when(words('a trustee suspends "{name:Q}" because "{reason:Q}"'))
def suspend(trust, scene, name, reason):
    trust.suspend_organisation(scene.organisations[name], reason, TRUSTEE)


@given(words('a trustee has reinstated "{name:Q}" because "{reason:Q}"'))
@when(words('a trustee reinstates "{name:Q}" because "{reason:Q}"'))
def reinstate(trust, scene, name, reason):
    trust.reinstate_organisation(scene.organisations[name], reason, TRUSTEE)


@when(words('a trustee tries to reinstate "{name:Q}" because "{reason:Q}"'), target_fixture="attempt")
def try_to_reinstate(trust, scene, name, reason):
    return attempt(trust, lambda: reinstate(trust, scene, name, reason))


# Members


@given(words('"{name:Q}" has joined through the {channel:w}'))
@when(words('"{name:Q}" joins through the {channel:w}'))
def joins(trust, scene, name, channel):
    scene.members[name] = trust.register_member(name, MEMBER_HIMSELF, channel=channel)


@given(words('"{name:Q}" has joined through the {channel:w} with contact "{contact:Q}"'))
def joins_with_contact(trust, scene, name, channel, contact):
    scene.members[name] = trust.register_member(name, MEMBER_HIMSELF, channel=channel, contact=contact)


@given(words('caseworker "{worker:Q}" has registered "{name:Q}" on paper form "{form:Q}"'))
@when(words('caseworker "{worker:Q}" registers "{name:Q}" on paper form "{form:Q}"'))
def registers_on_paper(trust, scene, worker, name, form):
    scene.members[name] = trust.register_member(name, caseworker(worker), channel="paper", evidence_ref=form)


@given(words('caseworker "{worker:Q}" has confirmed the membership of "{name:Q}"'))
@when(words('caseworker "{worker:Q}" confirms the membership of "{name:Q}"'))
def confirms(trust, scene, worker, name):
    trust.confirm_member(scene.members[name], caseworker(worker), how="in person with a second caseworker")


@when(words('caseworker "{worker:Q}" tries to confirm the membership of "{name:Q}"'), target_fixture="attempt")
def tries_to_confirm(trust, scene, worker, name):
    return attempt(trust, lambda: confirms(trust, scene, worker, name))


@given(words('"{name:Q}" has left the trust'))
@when(words('"{name:Q}" leaves the trust'))
def leaves(trust, scene, name):
    trust.member_leaves(scene.members[name], MEMBER_HIMSELF)


@then(words('"{name:Q}" is listed as {status}'))
def listed_as(views, scene, name, status):
    shown = {m["member_id"]: m["status"] for m in views.members()}
    assert shown[scene.members[name]] == status


# Consents

CONSENT = '"{organisation:Q}" seeing {pronoun:w} {categories} for {purpose}'


def give_consent(trust, catalogue, scene, member, audience, categories, purpose, actor=MEMBER_HIMSELF, **paper):
    code = language.purpose(catalogue, purpose)
    scene.consents[member, code] = trust.grant_consent(
        scene.members[member], code, language.categories(catalogue, categories), audience, actor, **paper
    )


@given(words('"{member:Q}" has consented to ' + CONSENT))
@when(words('"{member:Q}" consents to ' + CONSENT))
def consents_to_organisation(trust, catalogue, scene, member, organisation, pronoun, categories, purpose):
    audience = Audience(organisation_id=scene.organisations[organisation])
    give_consent(trust, catalogue, scene, member, audience, categories, purpose)


@given(words('"{member:Q}" has consented to every approved {kind} seeing {pronoun:w} {categories} for {purpose}'))
@when(words('"{member:Q}" consents to every approved {kind} seeing {pronoun:w} {categories} for {purpose}'))
def consents_to_kind(trust, catalogue, scene, member, kind, pronoun, categories, purpose):
    audience = Audience(kind=language.organisation_kind(catalogue, kind))
    give_consent(trust, catalogue, scene, member, audience, categories, purpose)


@given(words('caseworker "{worker:Q}" has recorded that "{member:Q}" consented on paper form "{form:Q}" to ' + CONSENT))
def paper_consent(trust, catalogue, scene, worker, member, form, organisation, pronoun, categories, purpose):
    audience = Audience(organisation_id=scene.organisations[organisation])
    paper = {"collected_via": "paper", "evidence_ref": form}
    give_consent(trust, catalogue, scene, member, audience, categories, purpose, caseworker(worker), **paper)


@given(
    words(
        'caseworker "{worker:Q}" has recorded that "{member:Q}" consented on paper form "{form:Q}", '
        "signed on {signed:Moment}, to " + CONSENT
    )
)
def late_paper_consent(
    trust, catalogue, scene, worker, member, form, signed, organisation, pronoun, categories, purpose
):
    audience = Audience(organisation_id=scene.organisations[organisation])
    paper = {"collected_via": "paper", "evidence_ref": form, "effective_at": signed}
    give_consent(trust, catalogue, scene, member, audience, categories, purpose, caseworker(worker), **paper)


def consent_of(catalogue, scene, member, purpose) -> UUID:
    return scene.consents[member, language.purpose(catalogue, purpose)]


@given(words('"{member:Q}" has withdrawn {pronoun:w} consent for {purpose}'))
@when(words('"{member:Q}" withdraws {pronoun:w} consent for {purpose}'))
def withdraws(trust, catalogue, scene, member, pronoun, purpose):
    trust.revoke_consent(consent_of(catalogue, scene, member, purpose), MEMBER_HIMSELF)


@when(words('"{member:Q}" tries to withdraw {pronoun:w} consent for {purpose} again'), target_fixture="attempt")
def tries_to_withdraw_again(trust, catalogue, scene, member, pronoun, purpose):
    return attempt(trust, lambda: withdraws(trust, catalogue, scene, member, pronoun, purpose))


@given(
    words(
        'caseworker "{worker:Q}" has recorded that "{member:Q}" withdrew {pronoun:w} consent for {purpose} '
        'on paper form "{form:Q}", signed on {signed:Moment}'
    )
)
def late_paper_withdrawal(trust, catalogue, scene, worker, member, pronoun, purpose, form, signed):
    consent = consent_of(catalogue, scene, member, purpose)
    trust.revoke_consent(consent, caseworker(worker), effective_at=signed, evidence_ref=form)


def listed_consent(views, clock, catalogue, scene, member, purpose) -> dict:
    consent_id = consent_of(catalogue, scene, member, purpose)
    return next(c for c in views.consents(scene.members[member], clock()) if c["consent_id"] == consent_id)


@then(words('the consent of "{member:Q}" for {purpose} is shown as "{status:Q}"'))
def consent_shown_as(views, clock, catalogue, scene, member, purpose, status):
    assert listed_consent(views, clock, catalogue, scene, member, purpose)["status"] == status


@then(words('the consent of "{member:Q}" for {purpose} ended on {ended:Moment}'))
def consent_ended_on(views, clock, catalogue, scene, member, purpose, ended):
    assert listed_consent(views, clock, catalogue, scene, member, purpose)["ended_at"] == ended


# Organisations reading member data


def read(trust, catalogue, scene, organisation, categories, member, purpose):
    return trust.record_access(
        scene.organisations[organisation],
        scene.members[member],
        language.purpose(catalogue, purpose),
        language.categories(catalogue, categories),
        language.organisation_client(organisation),
    )


@given(words('"{organisation:Q}" has read the {categories} of "{member:Q}" for {purpose}'))
def has_read(trust, catalogue, scene, organisation, categories, member, purpose):
    outcome = read(trust, catalogue, scene, organisation, categories, member, purpose)
    assert sorted(outcome.granted) == sorted(language.categories(catalogue, categories)) and not outcome.refused


@when(words('"{organisation:Q}" asks to read the {categories} of "{member:Q}" for {purpose}'), target_fixture="read")
def asks_to_read(trust, catalogue, scene, organisation, categories, member, purpose):
    return read(trust, catalogue, scene, organisation, categories, member, purpose)


@then("the read is allowed")
def read_allowed(read):
    assert read.granted and not read.refused, f"given {sorted(read.granted)}, refused {list(read.refused)}"


@then("the read is refused")
def read_refused(read):
    assert not read.granted and read.refused, f"given {sorted(read.granted)}, refused {list(read.refused)}"


@then(words("the read gives {given} and refuses {refused}"))
def read_partly(read, catalogue, given, refused):
    assert sorted(read.granted) == sorted(language.categories(catalogue, given))
    assert sorted(read.refused) == sorted(language.categories(catalogue, refused))


# Who can see a member's data now (what the system enforces)


def visible_now(views, clock, scene, member) -> dict[str, list[str]]:
    rows = views.who_could_see(scene.members[member], clock())
    return {row["organisation"]: sorted(row["categories"]) for row in rows}


@then(words('"{organisation:Q}" can see the {categories} of "{member:Q}"'))
def can_see(views, clock, catalogue, scene, organisation, categories, member):
    expected = sorted(language.categories(catalogue, categories))
    assert visible_now(views, clock, scene, member).get(organisation) == expected


@then(words('"{organisation:Q}" can see nothing of "{member:Q}"'))
def sees_nothing(views, clock, scene, organisation, member):
    assert organisation not in visible_now(views, clock, scene, member)


@then(words('no organisation can see anything of "{member:Q}"'))
def nobody_sees(views, clock, scene, member):
    assert visible_now(views, clock, scene, member) == {}


# Trustees' questions about the past, on either time axis


@when(words('a trustee asks who could see "{member:Q}" on {at:Moment}, {view}'), target_fixture="answer")
def who_could_see(views, scene, member, at, view):
    return views.who_could_see(scene.members[member], at, AXES[view])


@then(words("the answer names {organisations}"))
def answer_names(answer, organisations):
    assert sorted(row["organisation"] for row in answer) == sorted(quoted_names(organisations))


@then(words('the answer says "{organisation:Q}" could see {categories}'))
def answer_says(answer, catalogue, organisation, categories):
    shown = {row["organisation"]: sorted(row["categories"]) for row in answer}
    assert shown.get(organisation) == sorted(language.categories(catalogue, categories)), shown


@when(
    words('a trustee asks whether "{organisation:Q}" can see the {category} of "{member:Q}"'),
    target_fixture="explanation",
)
def explain_now(views, clock, catalogue, scene, organisation, category, member):
    return explain_then(views, catalogue, scene, organisation, category, member, clock(), "as the system enforced it")


@when(
    words('a trustee asks whether "{organisation:Q}" could see the {category} of "{member:Q}" on {at:Moment}, {view}'),
    target_fixture="explanation",
)
def explain_then(views, catalogue, scene, organisation, category, member, at, view):
    (code,) = language.categories(catalogue, category)
    return views.explain(scene.organisations[organisation], scene.members[member], code, at, AXES[view])


@then(parsers.re("the trustee is told (?P<verdict>yes|no)"))
def told(explanation, verdict):
    assert explanation["allowed"] == (verdict == "yes"), explanation["reasons"]


@then(words('the explanation says "{text:Q}"'))
def explanation_says(explanation, text):
    assert any(text in reason for reason in explanation["reasons"]), explanation["reasons"]


# Refusals: a clear message, and nothing recorded


@then(words('it is refused with "{message:Q}"'))
def refused_with(attempt, message):
    assert attempt.error is not None, "the trust accepted it"
    assert str(attempt.error) == message


@then("nothing is recorded")
def nothing_recorded(attempt):
    assert not attempt.recorded_something


# A member's history and the late-facts report


@then(words('the history of "{member:Q}" says "{text:Q}"'))
def history_says(views, scene, member, text):
    lines = [row["text"] for row in views.history(scene.members[member])]
    assert any(text in line for line in lines), lines


@then(words('the history of "{member:Q}" says "{text:Q}" only once'))
def history_says_once(views, scene, member, text):
    lines = [row["text"] for row in views.history(scene.members[member])]
    assert sum(text in line for line in lines) == 1, lines


@then("the late-facts report has nothing to show")
def no_late_facts(views):
    assert views.late_facts() == []
