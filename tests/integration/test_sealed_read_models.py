"""No read model holds a member's name, a word of it or their contact in the clear;
caseworkers still find members by the words of their name (keyed digests), the same
after a rebuild, and not at all once the member is erased."""

from sqlalchemy import MetaData, func, select, text

from domain.kernel.actors import Actor
from projections.core.rebuild import rebuild
from tests.conftest import CASEWORKER, TRUSTEE

NAME = "Zebedee Quarrington-Smythe"
CONTACT = "@zebedee_q_smythe"
SECRETS = (NAME, "zebedee", "quarrington", "smythe", CONTACT.lower())


def _register(trust):
    others = [
        trust.register_member(name, CASEWORKER, channel="paper", evidence_ref=f"PF-{n}")
        for n, name in enumerate(("Zoë Quarry", "Ann Smythson", "Zebedee Jones"))
    ]
    member = trust.register_member(
        NAME, Actor("member", "self"), channel="bot", profile={"area": "CA1"}, contact=CONTACT
    )
    trust.update_profile(member, {"gender": "man"}, CASEWORKER)
    trust.link_contact(member, "telegram", CONTACT, Actor("member", "self"))
    trust.ask_for_help(member, f"I am {NAME}, reach me at {CONTACT}", "telegram", Actor("member", "self"))
    return member, others


def _every_row(engine) -> list[tuple[str, str]]:
    """Every row of every table in the database (found by reflection), as lower-case text."""
    reflected = MetaData()
    reflected.reflect(engine)
    rows = []
    with engine.connect() as conn:
        for table in reflected.sorted_tables:
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"')):  # raw values, no type processing
                dumped = repr(tuple(row)) + "".join(
                    bytes(v).decode("latin-1") for v in row if isinstance(v, (bytes, memoryview))
                )
                rows.append((table.name, dumped.lower()))
    return rows


def _found(views, typed: str) -> list[str]:
    return [m["name"] for m in views.search_members(typed)]


def test_no_table_holds_the_name_or_contact_in_the_clear(services):
    member, _ = _register(services.trust)
    rows = _every_row(services.trust.engine)
    leaks = [(table, secret) for table, dumped in rows for secret in SECRETS if secret.lower() in dumped]
    assert leaks == []
    assert {table for table, _ in rows} >= {
        "members",
        "member_name_digests",
        "timeline",
        "member_keys",
        "help_messages",
    }
    card = services.views.member_card(member)  # opened on read, for those allowed to see it
    assert card["name"] == NAME and card["profile"] == {"area": "CA1", "gender": "man"} and card["area"] == "CA1"


def test_caseworkers_find_members_by_whole_words_or_their_starts(views, trust):
    _register(trust)
    assert _found(views, "quarr") == [NAME, "Zoë Quarry"]  # sorted by name, shown decrypted
    assert _found(views, "zebedee smythe") == [NAME]  # every typed word must match
    assert _found(views, "ZEBEDEE") == ["Zebedee Jones", NAME]
    assert _found(views, "Smythe-Quarrington") == [NAME]
    assert _found(views, "zoe") == ["Zoë Quarry"]  # without accents
    assert _found(views, "rington") == []  # the middle of a word is not a start of one
    assert _found(views, "zebedee brown") == []
    assert _found(views, "qu") == []  # a start shorter than three letters finds no word


def test_a_rebuild_gives_the_same_search_results(services):
    _register(services.trust)
    typed = ("quarr", "zebedee smythe", "ZEBEDEE", "smyth", "ann")
    before = {t: services.views.search_members(t) for t in typed}
    rebuild(services.trust, services.views.projector)
    assert {t: services.views.search_members(t) for t in typed} == before
    assert before["smyth"] and before["ann"]


def test_erasure_removes_the_digests_and_the_member_is_found_no_more(services):
    from projections.membership.tables import member_name_digests

    member, others = _register(services.trust)
    by_area = services.views.dashboard(services.clock())["members_by_area"]
    assert by_area == {"CA1": {"active": 1}, "not said": {"unconfirmed": 3}}  # counted, not opened
    services.trust.erase_member(member, TRUSTEE)
    by_area = services.views.dashboard(services.clock())["members_by_area"]
    assert by_area == {"not said": {"unconfirmed": 3, "erased": 1}}
    with services.trust.engine.connect() as conn:
        left = conn.execute(
            select(func.count()).select_from(member_name_digests).where(member_name_digests.c.member_id == member)
        ).scalar()
    assert left == 0
    assert _found(services.views, "quarrington") == []
    assert _found(services.views, "zebedee smythe") == []
    assert _found(services.views, "zebedee") == ["Zebedee Jones"]
    assert services.views.member_card(member)["name"] == "(erased member)"
    rebuild(services.trust, services.views.projector)  # the log cannot bring them back: the key is gone
    assert _found(services.views, "quarrington") == []
    assert services.views.dashboard(services.clock())["members_by_area"] == by_area


def test_a_store_whose_read_models_kept_names_in_the_clear_is_rebuilt_at_start(settings, clock):
    from adapters.bootstrap import bootstrap

    services = bootstrap(settings, clock=clock)
    member, _ = _register(services.trust)
    with services.trust.engine.begin() as conn:  # the members table as it was before sealing
        conn.execute(text("ALTER TABLE members DROP COLUMN personal"))
        conn.execute(text("ALTER TABLE members ADD COLUMN name TEXT"))
        conn.execute(text("UPDATE members SET name = :name"), {"name": NAME})
    services.close()
    services = bootstrap(settings, clock=clock)
    try:
        leaks = [table for table, dumped in _every_row(services.trust.engine) if "zebedee" in dumped]
        assert leaks == []
        assert _found(services.views, "quarr smythe") == [NAME]
    finally:
        services.close()
