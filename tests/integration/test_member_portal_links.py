"""Members sign in to their portal with one-time links: single use, 30 minutes, never stored in
the clear, each step in the member's history with its actor."""

import pytest

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.store.member_links import member_sign_in_links
from projections.core.rebuild import rebuild
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded


def a_business(trust):
    return trust.register_member(
        "Quarry Lane Community Bakery", CASEWORKER, channel="paper", kind="organisation-member", evidence_ref="PF-9"
    )


def test_a_link_works_once_and_each_step_is_in_the_history(trust, views, services):
    member = a_business(trust)
    link = trust.issue_member_sign_in_link(member, CASEWORKER)
    with trust.engine.connect() as conn:
        stored = [row.link_digest for row in conn.execute(member_sign_in_links.select())]
    assert stored and link.token not in stored  # a digest only
    signed_in = trust.sign_in_member_with_link(link.token)
    assert signed_in.member_id == member and len(signed_in.session_id) > 30
    with pytest.raises(InvalidRequest, match="already been used"):
        trust.sign_in_member_with_link(link.token)
    assert not trust.member_session_ended(signed_in.session_id)
    trust.end_member_session(member, signed_in.session_id, services.clock().replace(year=2100))
    assert trust.member_session_ended(signed_in.session_id)
    steps = [(e["what"], e["actor"]) for e in views.history(member) if e["what"].startswith("portal")]
    assert steps == [
        ("portal link issued", "caseworker:cal"),
        ("portal sign-in", "member:via portal"),
        ("portal session ended", "member:via portal"),
    ]
    words = [e["text"] for e in views.history_in_words(member, trust.catalogue) if "portal" in e["text"].lower()]
    assert any("one-time sign-in link" in text for text in words)


def test_a_link_expires_after_30_minutes_and_a_new_one_ends_the_old(trust, clock):
    member = a_business(trust)
    old = trust.issue_member_sign_in_link(member, CASEWORKER)
    new = trust.issue_member_sign_in_link(member, TRUSTEE)
    with pytest.raises(InvalidRequest, match="expired"):
        trust.sign_in_member_with_link(old.token)
    clock.advance(minutes=31)
    with pytest.raises(InvalidRequest, match="expired"):
        trust.sign_in_member_with_link(new.token)


def test_nobody_else_issues_links_and_a_member_who_left_gets_none(trust, services):
    member = a_business(trust)
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow):
            trust.issue_member_sign_in_link(member, Actor("organisation", "eden"))
        with pytest.raises(InvalidRequest):
            trust.sign_in_member_with_link("made-up")
    trust.member_leaves(member, CASEWORKER)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="left"):
        trust.issue_member_sign_in_link(member, CASEWORKER)


def test_the_portal_rows_of_the_history_rebuild_as_they_were(trust, views, services):
    member = a_business(trust)
    link = trust.issue_member_sign_in_link(member, CASEWORKER)
    begun = trust.sign_in_member_with_link(link.token)
    trust.end_member_session(member, begun.session_id, services.clock().replace(year=2100))
    before = views.history(member)
    rebuild(trust, views.projector)
    assert views.history(member) == before and [e for e in before if e["what"].startswith("portal")]
