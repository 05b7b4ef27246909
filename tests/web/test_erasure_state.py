"""Trustees see where each erasure stands on the dashboard: counts and dates, no names."""

import re

from domain.keys import commands as key_rotation
from tests.conftest import OPERATOR, TRUSTEE


def shown(web) -> str:
    """The dashboard as words: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", web.text(web.get("/trustee"))).split())


def test_the_dashboard_shows_pending_complete_and_unfinished_erasures(trustee, web_services, web_clock, monkeypatch):
    trust = web_services.trust
    member = trust.register_member("Olwen Pending", OPERATOR, channel="bot")
    page = shown(trustee)
    assert "Pending (key version not yet destroyed) 0" in page
    monkeypatch.setattr(key_rotation, "purge_old_versions", lambda engine, tables: False)  # a reader holds the log
    trust.erase_member(member, TRUSTEE)
    page = shown(trustee)
    assert "Pending (key version not yet destroyed) 1" in page
    assert "1 erasure not yet purged from the database files" in page
    assert "Olwen" not in page
    monkeypatch.undo()
    trust.finish_purges()
    trust.rotate_keys(TRUSTEE)
    page = shown(trustee)
    assert "Complete (key version destroyed) 1" in page and "Pending (key version not yet destroyed) 0" in page
    assert "not yet purged" not in page


def test_the_dashboard_shows_a_rotation_under_way_and_how_many_keys_it_has_left(trustee, web_services, monkeypatch):
    trust = web_services.trust
    for name in ("Olwen Rhys", "Bryn Jones", "Carys Evans"):
        trust.register_member(name, OPERATOR, channel="bot")
    monkeypatch.setattr(key_rotation, "ROTATION_STEP", 1)
    trust.rotate_keys(TRUSTEE, budget=0)  # one step, then the time given is up
    page = shown(trustee)
    assert "A rotation to key version 2 is under way: 2 member keys still under an older version." in page
    trust.continue_rotation(TRUSTEE)
    assert "under way" not in shown(trustee)
