"""The working set's promise (projections/core/working.py), checked as the handlers run: a handler
marked working=True that changes a kept table by a statement of its own is stopped; one not marked may,
and the rows held in memory are then forgotten, so nothing it wrote is overwritten from memory."""

from contextlib import contextmanager

import pytest
from sqlalchemy import select, update

from domain.consent.model import Consent
from domain.trust import Audience
from projections.core.handlers import HANDLERS, WORKING
from projections.core.rebuild import rebuild
from projections.membership.tables import members
from tests.conftest import MEMBER_THEMSELF, OPERATOR
from tests.integration.test_rebuild import read_models
from tests.support import nothing_recorded


def note_on_the_member(step, event) -> None:  # type: ignore[no-untyped-def]
    """A handler of the kind the promise is about: it changes the members table by its own statement."""
    mine = members.c.member_id == event.member_id
    step.session.execute(update(members).where(mine).values(evidence_ref="noted by a statement"))


@contextmanager
def handling_grants(handler, working: bool):  # type: ignore[no-untyped-def]
    HANDLERS[Consent.Granted].append(handler)
    if working:
        WORKING.add(handler)
    try:
        yield
    finally:
        HANDLERS[Consent.Granted].remove(handler)
        WORKING.discard(handler)


def grant(trust, member):  # type: ignore[no-untyped-def]
    return trust.grant_consent(member, "service-planning", ["housing"], Audience(kind="council"), OPERATOR)


def test_a_handler_that_promised_to_keep_to_the_working_set_and_writes_a_kept_table_is_stopped(services):
    trust = services.trust
    member = trust.register_member("Ann Lowther", MEMBER_THEMSELF, channel="bot")
    with handling_grants(note_on_the_member, working=True):
        with pytest.raises(RuntimeError, match="note_on_the_member is marked working=True but changed members"):
            with nothing_recorded(services):
                grant(trust, member)


def test_rows_a_handler_changed_by_a_statement_are_read_again_not_written_back_from_memory(services):
    """The rebuild keeps the member's row in memory from their joining on; the handler changes it in the
    store when they consent; their profile change after it must not write the old row back."""
    trust = services.trust
    with handling_grants(note_on_the_member, working=False):
        member = trust.register_member("Ann Lowther", MEMBER_THEMSELF, channel="bot", profile={"area": "CA1"})
        grant(trust, member)
        trust.update_profile(member, {"area": "LA9"}, MEMBER_THEMSELF)
        incremental = read_models(services)
        rebuild(trust, services.views.projector)
        assert read_models(services) == incremental
    with services.views.reading() as conn:
        noted = conn.execute(select(members.c.evidence_ref).where(members.c.member_id == member)).scalar()
    assert noted == "noted by a statement"
