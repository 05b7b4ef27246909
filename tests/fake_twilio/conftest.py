"""The ``fake_twilio`` fixture: a started FakeTwilio, stopped after the test (copy into tests/conftest.py to share)."""

import pytest

from tests.fake_twilio import FakeTwilio


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as server:
        yield server
