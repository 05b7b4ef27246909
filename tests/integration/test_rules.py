"""The rules members change by vote: the live value comes from the event history."""

from uuid import uuid4

import pytest

from domain.kernel.errors import InvalidRequest
from tests.conftest import TRUSTEE
from tests.support import nothing_recorded


def test_a_rule_never_changed_by_a_vote_has_its_default(services):
    setting = services.trust.live_rule("min-cell-size")
    assert (setting.value, setting.proposal_id, setting.set_at) == (10, None, None)


def test_a_changed_rule_says_which_vote_set_it_and_when(services, clock):
    trust, proposal = services.trust, uuid4()
    with trust.command() as (_session, now):
        trust.application.save(trust.rules.change_rule("min-cell-size", 15, proposal, str(TRUSTEE)))

    setting = trust.live_rule("min-cell-size")
    assert (setting.value, setting.proposal_id, setting.set_at) == (15, proposal, now)


@pytest.mark.parametrize(("code", "value"), [("min-cell-size", 2), ("min-cell-size", True), ("quorum", 10)])
def test_an_unknown_rule_or_a_value_out_of_range_is_refused(services, code, value):
    trust = services.trust
    with nothing_recorded(services), pytest.raises(InvalidRequest):
        with trust.command():
            trust.application.save(trust.rules.change_rule(code, value, uuid4(), str(TRUSTEE)))
    assert trust.live_rule("min-cell-size").value == 10


def test_each_change_carries_its_own_time_and_the_latest_is_live(services, clock):
    trust, first, second = services.trust, uuid4(), uuid4()
    with trust.command() as (_session, first_at):
        trust.application.save(trust.rules.change_rule("min-cell-size", 15, first, str(TRUSTEE)))
    clock.advance(days=30)
    with trust.command() as (_session, second_at):
        trust.application.save(trust.rules.change_rule("min-cell-size", 12, second, str(TRUSTEE)))

    setting = trust.live_rule("min-cell-size")
    assert (setting.value, setting.proposal_id, setting.set_at) == (12, second, second_at)
    assert second_at > first_at
