"""Giving and withdrawing consent: features/consent/."""

from pytest_bdd import scenarios

scenarios("consent")
