"""Approving, suspending and reinstating organisations: features/organisations/."""

from pytest_bdd import scenarios

scenarios("organisations")
