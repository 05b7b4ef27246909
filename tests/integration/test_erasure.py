"""Erasure destroys the member's key and scrubs the read models; the audit stays."""

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.kernel.actors import Actor
from domain.sealing.vault import member_keys
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.support import FakeClock

NAME = "Zebedee Quixotic-Marmaduke"
CONTACT = "@zebedee_on_telegram"
HELP_WORDS = "Marmalade-Ostrich help please"  # a message to the caseworkers, sealed like the name


def _history(services, clock):
    trust = services.trust
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", clock().date(), TRUSTEE)
    member = trust.register_member(NAME, MEMBER_THEMSELF, channel="bot", profile={"area": "CA1"}, contact=CONTACT)
    trust.update_profile(member, {"gender": "man"}, OPERATOR)
    trust.link_contact(member, "telegram", CONTACT, Actor("member", "self"))
    trust.ask_for_help(member, HELP_WORDS, "telegram", MEMBER_THEMSELF)
    consent = trust.grant_consent(member, "affordable-credit", ["housing"], Audience(lender), OPERATOR)
    clock.advance(hours=1)
    trust.record_access(lender, member, "affordable-credit", ["housing"], Actor("organisation", "api"))
    return member, lender, consent


def _database_bytes(path: Path) -> bytes:
    """Every byte SQLite keeps for this store, read as it lies on disk, with no checkpoint of ours."""
    files = [path, Path(f"{path}-wal"), Path(f"{path}-journal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_after_erasure_no_byte_of_the_name_remains_in_the_sqlite_files(tmp_path):
    path = tmp_path / "trust.sqlite3"
    clock = FakeClock()
    url = f"sqlite:///{path}"
    services = bootstrap(
        Settings.from_environment({"DATATRUST_DATABASE_URL": url, "DATATRUST_VAR": str(tmp_path)}), clock=clock
    )
    member, lender, consent = _history(services, clock)
    with services.trust.engine.connect() as conn:
        wrapped = conn.execute(select(member_keys.c.wrapped_key).where(member_keys.c.member_id == member)).scalar()
    before = _database_bytes(path)
    assert wrapped in before, "the check must be able to see the member's key before erasure"
    assert NAME.encode() not in before and b"Quixotic" not in before  # read models hold the name sealed
    assert b"Marmalade-Ostrich" not in before  # and the member's message to the caseworkers
    clock.advance(hours=1)
    assert services.views.members()  # the service keeps pooled connections open throughout
    services.trust.erase_member(member, TRUSTEE)
    after = _database_bytes(path)  # while the service is still running
    assert wrapped not in after
    for secret in (NAME, "Zebedee", "Quixotic", CONTACT, HELP_WORDS, "Marmalade-Ostrich"):
        assert secret.encode() not in after
        assert secret.encode("utf-16-le") not in after
    services.close()


def test_erasure_keeps_the_audit_trail_answerable(services, clock):
    member, lender, consent = _history(services, clock)
    read_at = clock()
    clock.advance(hours=1)
    services.trust.erase_member(member, TRUSTEE)
    views = services.views
    assert services.trust.member_personal_data(member) is None
    assert views.members()[0]["name"] == "(erased member)"
    assert views.who_could_see(member, read_at)[0]["organisation"] == "Eden Valley Credit Union"
    assert views.who_could_see(member, clock()) == []
    assert views.explain(lender, member, "housing", read_at)["member"] == "(erased member)"
    texts = [row["text"] for row in views.history(member)]
    assert "Eden Valley Credit Union read housing for affordable-credit." in texts
    assert texts[-1].startswith("Personal data erased")
    assert services.trust.consent(consent).status == "active"  # the fact stays; access ended with the member


def test_no_read_model_row_holds_the_name_after_erasure(services, clock):
    """On every engine: no table the trust keeps returns the name or contact any more."""
    member, _, _ = _history(services, clock)
    services.trust.erase_member(member, TRUSTEE)
    engine = services.trust.engine
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dumped = repr(tuple(row)) + "".join(
                    bytes(v).decode("latin-1") for v in row if isinstance(v, (bytes, memoryview))
                )
                assert NAME not in dumped and "Zebedee" not in dumped and CONTACT not in dumped, table


def test_erasing_twice_is_refused(services, clock):
    member, _, _ = _history(services, clock)
    services.trust.erase_member(member, TRUSTEE)
    with pytest.raises(Exception, match="already erased"):
        services.trust.erase_member(member, TRUSTEE)
