"""The attacker's view of an erased member: every file of the database, read raw.

Someone holds every byte the database keeps on disk (a stolen disk, a backup,
PostgreSQL's free space and pg_wal, SQLite's -wal) and every key the trust still
holds (the master key, every key version in the keyring). Before the erasure,
that is enough to find the member's wrapped key and open their sealed events (so
this test can fail); after the erasure and one key rotation, nothing of them can
be found or opened."""

import secrets
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import create_engine, select, text

from adapters.bootstrap import master_key
from adapters.keyring_file import FileKeyring
from domain.data.model import MemberData
from domain.kernel.actors import Actor
from domain.sealing.vault import SEARCH_PURPOSE, Vault, derived_key
from domain.sealing.versions import member_keys
from projections.membership.name_search import name_digests
from tests.conftest import OPERATOR, TRUSTEE
from tests.support import REQUIRE_POSTGRES

WRAPPED = 12 + 32 + 16  # nonce, member key, tag


def database_files(services) -> list[Path]:
    """SQLite: the main file, -wal and -shm. PostgreSQL (after CHECKPOINT): the database's
    relation files under base/<oid>/ and the whole pg_wal (shared by every database)."""
    path = services.settings.sqlite_path
    if path is not None:
        return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    engine = create_engine(services.settings.database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CHECKPOINT"))
        data = Path(conn.execute(text("SHOW data_directory")).scalar())
        oid = conn.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
    engine.dispose()
    try:
        files = [*(data / "base" / str(oid)).iterdir(), *(data / "pg_wal").iterdir()]
    except PermissionError:  # another user's server files: CI runs as root and must read them
        if REQUIRE_POSTGRES:
            pytest.fail(f"the attacker test must read PostgreSQL's files under {data}; run it as root")
        pytest.skip(f"reading PostgreSQL's files under {data} needs root (CI runs as root)")
    return [f for f in files if f.is_file()]


def every_byte(services, tries: int = 5) -> list[bytes]:
    """Every file's bytes. PostgreSQL recycles a WAL segment by renaming it, so a segment listed can be
    gone when it is read (another database's heavy writing, on a shared server): then the whole
    listing is read again, and the segment with it under its new name."""
    for _ in range(tries - 1):
        try:
            return [f.read_bytes() for f in database_files(services)]
        except FileNotFoundError:
            continue
    return [f.read_bytes() for f in database_files(services)]  # the last try: a file gone fails the test


def keys_still_held(services) -> list[AESGCM]:
    """The master key (version 0 of an old store) and every version in the keyring."""
    master, _ = master_key(services.settings)
    held = FileKeyring(services.settings.keyring_path, master).versions()
    return [AESGCM(master), *(AESGCM(key) for key in held.values())]


def guessed_digests(services, name: str) -> set[bytes]:
    """What an attacker with a list of names computes: the name-search digest of each word of the name
    (and its starts) under every search key the held keys give (the master key's, every version's)."""
    master, _ = master_key(services.settings)
    held = FileKeyring(services.settings.keyring_path, master).versions()
    keys = [derived_key(master, SEARCH_PURPOSE), *(derived_key(key, SEARCH_PURPOSE) for key in held.values())]
    return {digest for key in keys for digest in name_digests(key, name)}


def candidates(blobs: list[bytes], member_id: UUID, known: list[bytes]) -> set[bytes]:
    """The wrapped keys recorded before, and every 60-byte window near the member's id
    (a member_keys row: the id, binary or hex, beside its wrapped key)."""
    found = {k for k in known if any(k in blob for blob in blobs)}
    for blob in blobs:
        for marker in (member_id.bytes, member_id.hex.encode()):
            at = blob.find(marker)
            while at != -1:
                for start in range(max(0, at - 256), min(len(blob) - WRAPPED, at + 256) + 1):
                    found.add(blob[start : start + WRAPPED])
                at = blob.find(marker, at + 1)
    return found


def opened_events(services, member_id: UUID, wrapped: set[bytes]) -> list[dict]:
    """Every sealed event of the member that some candidate, unwrapped by some held key, opens."""
    store = services.trust.application.repository.event_store
    with services.trust.reading():
        events = list(store.get(member_id))
        submissions = list(store.get(MemberData.create_id(member_id)))  # the data they shared
    sealed = [e.personal for e in events if getattr(e, "personal", None)]
    sealed += [e.sealed for e in submissions if isinstance(e, MemberData.Shared)]
    opened = []
    for candidate in wrapped:
        for kek in keys_still_held(services):
            try:
                member_key = kek.decrypt(candidate[:12], candidate[12:], member_id.bytes)
            except InvalidTag:
                continue
            opened += [data for s in sealed if (data := Vault.open(member_key, member_id, s))]
    return opened


def erased_and_rotated(services, clock) -> tuple[UUID, str, str, list[bytes], list[bytes]]:
    """A member with a unique name and contact (pg_wal is shared by every database on
    the server), shown findable and openable first, then erased and the keys rotated.
    Returns (member, name, contact, their wrapped keys seen before, every byte after)."""
    name = f"Quillon {secrets.token_hex(6)} Vantablack"
    contact = f"@q{secrets.token_hex(8)}"
    trust = services.trust
    member = trust.register_member(
        name, OPERATOR, channel="bot", kind="organisation-member", profile={"area": "CA1"}, contact=contact
    )
    trust.link_contact(member, "telegram", contact, Actor("member", "self"))
    grant = {"title": f"{name}'s orchard", "funder": "GB-CHC-1123456", "amount": 100, "instrument": "grant"}
    trust.share_data(member, "funding-history", [{**grant, "date": "2024-01-01"}], OPERATOR, "import")
    # Their words to the caseworkers name the contact too: the scan for the contact covers them.
    trust.ask_for_help(member, f"Please ring me at {contact}", "telegram", Actor("member", "self"))
    with trust.engine.connect() as conn:
        recorded = [conn.execute(select(member_keys.c.wrapped_key).where(member_keys.c.member_id == member)).scalar()]

    before = every_byte(services)
    assert any(recorded[0] in blob for blob in before), "the scan must find the wrapped key in the files"
    opened = opened_events(services, member, candidates(before, member, []))  # found by the search alone
    assert any(data.get("name") == name for data in opened), "before erasure the attacker opens the events"
    assert any("values" in data for data in opened), "and the data the member shared"
    # The name itself is never in a file in the clear (events and read models are sealed), so the scan shows
    # that it reads every file where rows land by finding a non-personal row: the member's reference code.
    code = trust.member(member).reference_code.encode()
    assert any(code in blob for blob in before), "the scan must find the member's row in the files"

    guessed = guessed_digests(services, name)
    assert any(d in blob for d in guessed for blob in before), "a guessed name's search digests are found before"

    clock.advance(hours=1)
    trust.erase_member(member, TRUSTEE)
    rotation = trust.rotate_keys(TRUSTEE)
    assert rotation.destroyed, "the version that wrapped the erased key is destroyed"
    return member, name, contact, recorded, every_byte(services)


def test_after_erasure_and_rotation_no_wrapped_key_of_the_member_opens(services, clock):
    member, _, _, recorded, after = erased_and_rotated(services, clock)
    assert opened_events(services, member, candidates(after, member, recorded)) == []
    state = services.trust.key_state()
    assert (state.erasures_pending, state.erasures_complete) == (0, 1)


def test_after_erasure_and_rotation_no_file_holds_the_name_or_contact(services, clock):
    """Neither in the log (sealed), nor in the read models (sealed), nor in an old row image in pg_wal."""
    _, name, contact, _, after = erased_and_rotated(services, clock)
    for secret in (name, contact):
        assert not any(secret.encode() in blob for blob in after), secret


def test_after_erasure_and_rotation_no_search_digest_confirms_a_guessed_name(services, clock):
    """The name-search digests left in old pages are keyed by the destroyed version: guessing fails."""
    _, name, _, _, after = erased_and_rotated(services, clock)
    assert not any(d in blob for d in guessed_digests(services, name) for blob in after)
