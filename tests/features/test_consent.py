"""Giving and withdrawing consent: features/consent/."""

from pytest_bdd import scenarios, when

from domain.trust import Audience
from tests.features import language
from tests.features.conftest import attempt, give_consent, words

scenarios("consent")


@when(
    words('"{member:Q}" tries to consent to every approved {kind} seeing {pronoun:w} {categories} for {purpose}'),
    target_fixture="attempt",
)
def tries_to_consent_to_kind(trust, catalogue, scene, member, kind, pronoun, categories, purpose):
    audience = Audience(kind=language.organisation_kind(catalogue, kind))
    return attempt(trust, lambda: give_consent(trust, catalogue, scene, member, audience, categories, purpose))


@when(
    words('"{member:Q}" tries to consent to "{organisation:Q}" seeing {pronoun:w} {categories} for {purpose}'),
    target_fixture="attempt",
)
def tries_to_consent(trust, catalogue, scene, member, organisation, pronoun, categories, purpose):
    audience = Audience(organisation_id=scene.organisations[organisation])
    return attempt(trust, lambda: give_consent(trust, catalogue, scene, member, audience, categories, purpose))
