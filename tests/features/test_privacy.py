"""Erasure of personal data, keeping the audit trail: features/privacy/."""

from pytest_bdd import given, scenarios, then, when

from domain.trust import Trust
from projections.views import TrustViews
from tests.features import language
from tests.features.conftest import TRUSTEE, Scene, words
from tests.features.language import caseworker

scenarios("privacy")

EPOCH = language.moment("Monday 2 March 2026 at 00:00")


@when(words('a trustee erases the personal data of "{member:Q}"'))
def erase(trust, scene, member):
    trust.erase_member(scene.members[member], TRUSTEE)


def everything_shown(trust: Trust, views: TrustViews, scene: Scene, now) -> str:
    """Every answer the trust gives about the scenario's members and organisations, as text."""
    shown: list[object] = [views.members(), views.organisations(), views.late_facts()]
    categories = list(trust.catalogue.categories)
    moments = [EPOCH, *(EPOCH.replace(day=day, hour=12) for day in range(2, 8)), now]
    for member_id in scene.members.values():
        shown += [views.history(member_id), views.consents(member_id, now), trust.member_personal_data(member_id)]
        for at in moments:
            shown += [views.who_could_see(member_id, at, axis) for axis in language.AXES.values()]
            for organisation_id in scene.organisations.values():
                shown += [views.explain(organisation_id, member_id, category, at) for category in categories]
    for organisation_id in scene.organisations.values():
        shown += [views.what_could_see(organisation_id, EPOCH, now, axis) for axis in language.AXES.values()]
    return repr(shown)


@then(words('"{text:Q}" appears nowhere in what the trust shows'))
def appears_nowhere(trust, views, clock, scene, text):
    assert text not in everything_shown(trust, views, scene, clock())


@then(words('the members register shows "{shown:Q}" in place of "{member:Q}"'))
def register_shows(views, scene, shown, member):
    names = {row["member_id"]: row["name"] for row in views.members()}
    assert names[scene.members[member]] == shown


@then(words('the trust holds no personal data for "{member:Q}"'))
def no_personal_data(trust, scene, member):
    assert trust.member_personal_data(scene.members[member]) is None


@then(words('the late-facts report names the member as "{shown:Q}"'))
def late_facts_name(views, shown):
    report = views.late_facts()
    assert report and all(entry["member"] == shown for entry in report), report


@then(words("her consents for {purpose} given on {first:Moment} and {second:Moment} are still listed"))
def consents_still_listed(views, clock, catalogue, scene, purpose, first, second):
    (member_id,) = scene.members.values()
    code = language.purpose(catalogue, purpose)
    listed = [c["given_at"] for c in views.consents(member_id, clock()) if c["purpose"] == code]
    assert listed == [first, second]


@when(
    words('a trustee asks what "{organisation:Q}" could see between {start:Moment} and {end:Moment}'),
    target_fixture="seen",
)
def what_could_see(views, scene, organisation, start, end):
    return views.what_could_see(scene.organisations[organisation], start, end)


@then(words('the answer shows {categories} of "{shown:Q}"'))
def answer_shows(seen, catalogue, categories, shown):
    assert sorted(row["category"] for row in seen) == sorted(language.categories(catalogue, categories))
    assert {row["member"] for row in seen} == {shown}


@then(words('the explanation names the member as "{shown:Q}"'))
def explanation_names(explanation, shown):
    assert explanation["member"] == shown


@given(words('caseworker "{worker:Q}" has opened the page of "{member:Q}"'))
def opened_the_page(trust, scene, worker, member):
    trust.record_staff_read(scene.members[member], "member", caseworker(worker))


@then(words('the history shows that "{actor:Q}" read the record of "{member:Q}"'))
def history_shows_the_reader(views, scene, actor, member):
    reads = [row["actor"] for row in views.history(scene.members[member]) if row["what"] == "read by staff"]
    assert reads == [actor], reads
