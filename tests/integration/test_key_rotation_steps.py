"""A key rotation in steps: each step a short command of its own that re-wraps a few member keys
and digests as many names again, so the store's writer lock is never held for every member. In
the middle of a rotation the trust works as at any other time: members register, are found by
name, are read and erased; a rotation stopped half-way (its time ran out, the machine stopped) is
resumed by the scheduler, and a rotation begun meanwhile takes over the one under way."""

import json

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import bootstrap, master_key
from adapters.cli import keys as keys_cli
from adapters.keyring_file import FileKeyring
from domain.keys import commands as key_commands
from domain.sealing.versions import erasures, member_keys
from projections.membership import casework
from projections.membership.name_search import name_digests
from projections.membership.tables import member_name_digests
from scheduler.due import run_due_work
from tests.conftest import OPERATOR, TRUSTEE

STEP = 3
NAMES = [
    "Ada Lovelace",
    "Bryn Babbage",
    "Carys Somerville",
    "Dafydd Hopper",
    "Eira Franklin",
    "Ffion Noether",
    "Gwen Quarrington",
    "Huw Atkinson",
    "Iolo Meitner",
    "Jac Curie",
]


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    monkeypatch.setattr(key_commands, "ROTATION_STEP", STEP)


def keyring(services) -> set[int]:
    return set(FileKeyring(services.settings.keyring_path, master_key(services.settings)[0]).versions())


def versions_of(trust, table) -> dict:
    """How many rows of ``table`` are under each key version."""
    with trust.engine.connect() as conn:
        counted = select(table.c.key_version, func.count()).group_by(table.c.key_version)
        return dict(conn.execute(counted).all())


def found(views, text: str) -> list:
    return [row["member_id"] for row in views.search_members(text)]


def register(trust, names=NAMES) -> dict:
    return {trust.register_member(name, OPERATOR, channel="bot"): name for name in names}


def test_a_rotation_out_of_time_stops_after_a_step_and_the_trust_works_as_ever_in_the_middle(services, trust, views):
    people = register(trust)
    first = trust.rotate_keys(TRUSTEE, budget=0)  # one step, then the time given is up
    assert (first.version, first.rewrapped, first.finished, first.left) == (2, STEP, False, len(NAMES) - STEP)
    assert versions_of(trust, member_keys) == {1: len(NAMES) - STEP, 2: STEP}
    assert keyring(services) == {1, 2}  # both wrap member keys now
    state = trust.key_state()
    assert (state.current_version, state.rotating_to, state.keys_to_rewrap) == (2, 2, len(NAMES) - STEP)

    for member, name in people.items():  # keys under either version open; names under either are found
        assert trust.member_personal_data(member)["name"] == name
        assert found(views, name) == [member]
        assert found(views, " ".join(word[:3] for word in name.split())) == [member]

    newcomer = trust.register_member("Kit Marlowe", OPERATOR, channel="bot")  # under the new version at once
    assert versions_of(trust, member_keys)[2] == STEP + 1
    assert found(views, "Kit Marl") == [newcomer]

    moved, unmoved = _one_moved_and_one_not(trust, people)
    for member in (moved, unmoved):
        trust.erase_member(member, TRUSTEE)
        assert found(views, people[member]) == []
    assert versions_of(trust, erasures) == {1: 1, 2: 1}  # each under the version that wrapped the key

    rest = trust.continue_rotation(TRUSTEE)
    assert (rest.version, rest.finished, rest.destroyed) == (2, True, [1])
    assert rest.rewrapped == len(NAMES) - STEP - 1  # the erased member's key was not there to move
    assert keyring(services) == {2}
    assert versions_of(trust, member_keys) == {2: len(NAMES) - 2 + 1}
    assert set(versions_of(trust, member_name_digests)) == {2}
    for member, name in people.items():
        erased = member in (moved, unmoved)
        assert found(views, name) == ([] if erased else [member])
        personal = trust.member_personal_data(member)
        assert personal is None if erased else personal["name"] == name
    state = trust.key_state()
    # the key erased under version 1 is beyond every copy now; the one under 2 waits for the next rotation
    assert (state.rotating_to, state.erasures_complete, state.erasures_pending, state.erased_since_rotation) == (
        None,
        1,
        1,
        True,
    )


def _one_moved_and_one_not(trust, people) -> tuple:
    with trust.engine.connect() as conn:
        under = dict(conn.execute(select(member_keys.c.member_id, member_keys.c.key_version)).all())
    moved = next(member for member in people if under[member] == 2)
    unmoved = next(member for member in people if under[member] == 1)
    return moved, unmoved


def steps_of(monkeypatch) -> list:
    """The rotation's steps as they run, (keys moved, from the start?), and each VACUUM between them."""
    steps, rewrap, vacuum = [], key_commands.rewrap_some, key_commands.vacuum

    def counted(vault, session, version, step, after):
        moved, stopped_at = rewrap(vault, session, version, step, after)
        steps.append((moved, after is None))
        return moved, stopped_at

    def vacuumed(engine, tables):
        steps.append("vacuum")
        vacuum(engine, tables)

    monkeypatch.setattr(key_commands, "rewrap_some", counted)
    monkeypatch.setattr(key_commands, "vacuum", vacuumed)
    return steps


def test_each_step_moves_at_most_a_step_of_keys_in_its_own_command(trust, monkeypatch):
    register(trust)
    steps = steps_of(monkeypatch)
    rotation = trust.rotate_keys(TRUSTEE)
    assert rotation.finished and rotation.rewrapped == len(NAMES)
    # each step from where the last stopped; when none is left past it, one more from the start retires
    # version 1, once the rows rewritten are vacuumed (their dead index entries are where it reads first)
    assert steps == ["vacuum", (3, True), (3, False), (3, False), (1, False), (0, False), "vacuum", (0, True)]


def test_a_rotation_out_of_time_goes_on_where_it_stopped_in_the_same_process_and_from_the_start_in_another(
    services, settings, clock, trust, monkeypatch
):
    register(trust)
    steps = steps_of(monkeypatch)
    trust.rotate_keys(TRUSTEE, budget=0)
    trust.continue_rotation(TRUSTEE, budget=0)  # the scheduler's next run, in the same process
    assert steps == ["vacuum", (3, True), (3, False)]

    steps.clear()
    other = bootstrap(settings, clock=clock)  # e.g. `datatrust keys rotate` after the scheduler ran out of time
    try:
        rest = other.trust.continue_rotation(TRUSTEE)
    finally:
        other.close()
    assert (rest.rewrapped, rest.finished, rest.destroyed) == (len(NAMES) - 2 * STEP, True, [1])
    assert steps == ["vacuum", (3, True), (1, False), (0, False), "vacuum", (0, True)]


def test_the_scheduler_goes_on_with_a_rotation_stopped_half_way(services, trust, views):
    people = register(trust)
    trust.rotate_keys(TRUSTEE, budget=0)
    upkeep = trust.key_upkeep()
    assert upkeep.rotation_under_way == (2, len(NAMES) - STEP)
    done = dict(run_due_work(services))
    assert done[f"key-rotation-steps:v2:{len(NAMES) - STEP}"] == (
        f"re-wrapped {len(NAMES) - STEP} member key(s) under version 2 and destroyed version(s) 1"
    )
    assert keyring(services) == {2} and trust.key_upkeep().rotation_under_way is None
    assert all(found(views, name) == [member] for member, name in people.items())
    assert not [key for key, _ in run_due_work(services) if key.startswith("key-rotation")]  # nothing left to do


def test_a_rotation_begun_while_another_is_under_way_takes_it_over(services, trust, views):
    people = register(trust)
    trust.rotate_keys(TRUSTEE, budget=0)  # to version 2, a step done
    rotation = trust.rotate_keys(TRUSTEE)  # version 3: every key under 1 or 2 moves to it
    assert (rotation.version, rotation.finished, rotation.destroyed) == (3, True, [1, 2])
    assert rotation.rewrapped == len(NAMES)
    assert keyring(services) == {3}
    assert versions_of(trust, member_keys) == {3: len(NAMES)} and set(versions_of(trust, member_name_digests)) == {3}
    assert all(trust.member_personal_data(member)["name"] == name for member, name in people.items())
    assert all(found(views, name) == [member] for member, name in people.items())


def test_nothing_to_go_on_with_when_no_rotation_is_under_way(trust):
    register(trust, NAMES[:2])
    with pytest.raises(Exception, match="No key rotation is under way"):
        trust.continue_rotation(TRUSTEE)
    with pytest.raises(Exception, match="Only a trustee, an operator or the scheduler"):
        trust.continue_rotation(OPERATOR.__class__("caseworker", "cal"))
    assert trust.key_state().current_version == 1  # nothing changed


def test_a_search_while_a_rotation_begins_still_finds_the_names_it_moved(trust, views, monkeypatch):
    ada = trust.register_member("Ada Lovelace", OPERATOR, channel="bot")
    real, begun = casework.members_named, []

    def rotation_begins_meanwhile(text, keys):  # after the search chose its keys, before its query runs
        query = real(text, keys)
        if not begun:
            begun.append(trust.rotate_keys(TRUSTEE, budget=0))  # moves Ada's digests to version 2
        return query

    monkeypatch.setattr(casework, "members_named", rotation_begins_meanwhile)
    assert found(views, "Ada") == [ada]
    assert begun[0].rewrapped == 1 and set(versions_of(trust, member_name_digests)) == {2}


def test_another_process_finds_and_reads_members_in_the_middle_of_a_rotation(settings, trust, clock):
    people = register(trust)
    other = bootstrap(settings, clock=clock)  # e.g. the web server, started before the rotation
    try:
        assert all(other.views.search_members(name) for name in people.values())
        trust.rotate_keys(TRUSTEE, budget=0)
        for member, name in people.items():
            assert [row["member_id"] for row in other.views.search_members(name)] == [member]
            assert other.trust.member_personal_data(member)["name"] == name
    finally:
        other.close()


def test_the_cli_goes_on_with_a_rotation_under_way_and_status_shows_it(trust, cli_run):
    register(trust)
    trust.rotate_keys(TRUSTEE, budget=0)
    status = cli_run("keys", "status")
    assert f"A rotation to version 2 is under way: {len(NAMES) - STEP} member key(s) still under an older" in (
        status.output
    )
    assert json.loads(cli_run("keys", "status", "--json").output)["keys_to_rewrap"] == len(NAMES) - STEP
    result = cli_run("keys", "rotate")
    assert result.exit_code == 0, result.output
    assert "A rotation to key version 2 is under way: going on with it." in result.output
    finished = f"Key version 2 now wraps every member key ({len(NAMES) - STEP} re-wrapped by this command); destroyed"
    assert finished in result.output
    assert "under way" not in cli_run("keys", "status").output


def test_the_cli_says_so_when_the_scheduler_finishes_the_rotation_between_two_of_its_runs(
    services, trust, cli_run, monkeypatch
):
    register(trust)
    monkeypatch.setattr(keys_cli, "PROGRESS_EVERY", 0)  # the CLI's runs: one step each
    real = key_commands.KeyCommands.continue_rotation

    def scheduler_first(self, actor, budget=None):
        if self is not trust.keys:  # the CLI's next run: the scheduler (the fixture's trust) has just finished
            real(trust.keys, actor)
        return real(self, actor, budget)

    monkeypatch.setattr(key_commands.KeyCommands, "continue_rotation", scheduler_first)
    result = cli_run("keys", "rotate")
    assert result.exit_code == 0, result.output
    assert f"Re-wrapped {STEP} member key(s) under version 2; {len(NAMES) - STEP} left." in result.output
    assert (
        f"Key version 2 now wraps every member key: another process (the scheduler, or another `keys rotate`) "
        f"finished the rotation meanwhile ({STEP} re-wrapped by this command)."
    ) in result.output
    assert keyring(services) == {2} and "under way" not in cli_run("keys", "status").output


def test_the_cli_does_not_claim_the_master_key_wrapped_the_keys_when_another_process_destroyed_them_first(
    services, trust, cli_run, monkeypatch
):
    register(trust)
    trust.rotate_keys(TRUSTEE, budget=0)  # the scheduler's rotation, under way
    real = key_commands.KeyCommands.destroy_retired_keys

    def scheduler_first(self, now=None):
        if self is not trust.keys:  # the CLI reached the end too: the scheduler destroyed version 1 first
            assert real(trust.keys, now) == [1]
        return real(self, now)

    monkeypatch.setattr(key_commands.KeyCommands, "destroy_retired_keys", scheduler_first)
    result = cli_run("keys", "rotate")
    assert result.exit_code == 0, result.output
    assert "destroyed version(s): none by this command (the master key itself wrapped the old keys, or another " in (
        result.output
    )
    assert keyring(services) == {2}


def test_a_store_whose_name_digests_kept_no_key_version_gets_it_at_start_without_a_rebuild(settings, clock):
    from sqlalchemy import insert, text

    services = bootstrap(settings, clock=clock)
    people = register(services.trust, NAMES[:4])
    someone = next(iter(people))
    with services.trust.engine.begin() as conn:  # the digests as they were before rotations in steps
        conn.execute(text("DROP INDEX member_name_digests_by_version"))
        conn.execute(text("ALTER TABLE member_name_digests DROP COLUMN key_version"))
        marker = {"member_id": someone, "digest": b"not from the log"}  # a rebuild would not write it again
        conn.execute(insert(member_name_digests).values(marker))
    services.close()
    services = bootstrap(settings, clock=clock)
    try:
        digests = sum(len(name_digests(b"any key", name)) for name in people.values())
        assert versions_of(services.trust, member_name_digests) == {1: digests + 1}  # the marker kept: no rebuild
        assert all(found(services.views, name) == [member] for member, name in people.items())
        assert services.trust.rotate_keys(TRUSTEE).finished
        assert all(found(services.views, name) == [member] for member, name in people.items())
        assert versions_of(services.trust, member_name_digests) == {2: digests}  # the marker went with its member's
    finally:
        services.close()
