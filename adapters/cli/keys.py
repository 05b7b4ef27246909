"""`datatrust keys rotate`, `datatrust keys status [--json]`"""

import click

from adapters.cli.main import actor, services
from adapters.cli.output import emit_json, say
from domain.keys.commands import NoRotationUnderWay, Rotation
from domain.sealing.versions import KeyState
from projections.core.wording import when


@click.group("keys")
def keys() -> None:
    """The key versions that wrap member keys, and where erasures stand."""


PROGRESS_EVERY = 10.0  # seconds between progress lines of a long rotation


@keys.command("rotate")
@click.pass_context
def rotate(ctx: click.Context) -> None:
    """Re-wrap every member key under a new key version and destroy the old one.

    It goes in short steps, so members' own commands go on meanwhile. If a rotation is
    already under way (stopped, or going on in the scheduler), it goes on with that one."""
    trust = services(ctx).trust
    version = trust.key_state().rotating_to
    if version is not None:
        say(f"A rotation to key version {version} is under way: going on with it.")
        rotation = _go_on(ctx)
    else:
        rotation = trust.rotate_keys(actor(ctx), budget=PROGRESS_EVERY)
    rewrapped = 0
    while rotation is not None:
        rewrapped, version = rewrapped + rotation.rewrapped, rotation.version
        if rotation.finished:
            break
        say(f"Re-wrapped {rewrapped} member key(s) under version {version}; {rotation.left} left.")
        rotation = _go_on(ctx)
    if rotation is None:
        say(
            f"Key version {version} now wraps every member key: another process (the scheduler, or another "
            f"`keys rotate`) finished the rotation meanwhile ({rewrapped} re-wrapped by this command)."
        )
        return
    destroyed = ", ".join(map(str, rotation.destroyed)) or (
        "none by this command (the master key itself wrapped the old keys, or another process going on with "
        "the same rotation destroyed them first)"
    )
    say(
        f"Key version {version} now wraps every member key ({rewrapped} re-wrapped by this command); "
        f"destroyed version(s): {destroyed}."
    )


def _go_on(ctx: click.Context) -> Rotation | None:
    """The next ten seconds of the rotation under way; None if another process finished it meanwhile."""
    try:
        return services(ctx).trust.continue_rotation(actor(ctx), budget=PROGRESS_EVERY)
    except NoRotationUnderWay:
        return None


@keys.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """The current key version and each erasure's state: pending or complete."""
    state = services(ctx).trust.key_state()
    if as_json:
        emit_json(state.as_dict())
        return
    for line in describe(state):
        say(line)


def describe(state: KeyState) -> list[str]:
    rotated = f"last rotated {when(state.last_rotated_at)}" if state.last_rotated_at else "never rotated"
    which = "new" if state.rotating_to is not None else "the"
    lines = [f"Key version {state.current_version} wraps {which} member keys ({rotated})."]
    if state.rotating_to is not None:
        lines.append(
            f"A rotation to version {state.rotating_to} is under way: {state.keys_to_rewrap} member key(s) "
            "still under an older version. The scheduler goes on with it (or run `datatrust keys rotate`)."
        )
    lines.append(f"Erasures complete (their key version destroyed): {state.erasures_complete}.")
    pending = f"Erasures pending (their key version not yet destroyed): {state.erasures_pending}"
    if state.oldest_pending_at:
        pending += f", the oldest erased {when(state.oldest_pending_at)}"
    lines.append(pending + ".")
    if state.pending_under_master_key:
        lines.append(
            f"{state.pending_under_master_key} of them were wrapped by the master key itself (a store from "
            "before key versions): copies made before the first rotation open while that master key exists."
        )
    if state.unfinished_purges:
        lines.append(
            f"Unfinished purges (old row copies still in the database files): {state.unfinished_purges}, "
            f"since {when(state.oldest_unfinished_purge_at)}; the scheduler retries them."
        )
    return lines


COMMANDS = [keys]
