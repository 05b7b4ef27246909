"""Fixtures shared by the insight and panel tests: a council approved to ask, and
the community whose members let it have their panel answers."""

import pytest

from tests.integration.insight_support import community, council


@pytest.fixture
def organisation(trust, clock):
    return council(trust, clock)


@pytest.fixture
def consents(trust, organisation):
    return community(trust)
