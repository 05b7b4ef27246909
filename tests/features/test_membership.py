"""Joining, confirming and leaving: features/membership/."""

from pytest_bdd import scenarios, then, when

from domain.trust import Audience
from tests.features.conftest import attempt, give_consent, words
from tests.features.language import caseworker, organisation_client

scenarios("membership")


@when(
    words('caseworker "{worker:Q}" tries to register "{name:Q}" on paper without a form reference'),
    target_fixture="attempt",
)
def tries_to_register_without_form(trust, worker, name):
    return attempt(trust, lambda: trust.register_member(name, caseworker(worker), channel="paper"))


@when(
    words('"{organisation:Q}" tries to register "{name:Q}" as a member through the {channel:w}'),
    target_fixture="attempt",
)
def organisation_tries_to_register(trust, organisation, name, channel):
    return attempt(trust, lambda: trust.register_member(name, organisation_client(organisation), channel=channel))


@when(
    words('"{member:Q}" tries to consent to "{organisation:Q}" seeing {pronoun:w} {categories} for {purpose}'),
    target_fixture="attempt",
)
def tries_to_consent(trust, catalogue, scene, member, organisation, pronoun, categories, purpose):
    audience = Audience(organisation_id=scene.organisations[organisation])
    return attempt(trust, lambda: give_consent(trust, catalogue, scene, member, audience, categories, purpose))


@then(words('nobody called "{name:Q}" is on the members register'))
def not_on_register(views, name):
    assert name not in [member["name"] for member in views.members()]
