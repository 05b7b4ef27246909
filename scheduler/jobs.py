"""The scheduled work itself: plain functions of (services, now, target) that call
the trust's commands. Each returns what it did, in one line without personal data.

A job whose target has gone (erased, withdrawn, closed by hand, already done)
lets the command's refusal (a TrustError) through: the runner takes the trust's
reason as the outcome, "nothing to do: ...", logged and kept in the work ledger. Anything else that goes wrong
(the database is down, a bug) raises, and the runner retries it with backoff.
Each command records its facts at most once (the trust refuses a repeat, or the
runner's once-key does), so running a job twice never records anything twice."""

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from domain.kernel.actors import SCHEDULER
from domain.kernel.errors import TrustError
from domain.keys.commands import Rotation
from domain.store.scheduled_work import WorkLedger
from projections.core.rebuild import catch_up
from projections.scheduling.promises import PANEL_DRAWN
from scheduler.plan import digest_window
from scheduler.services import SchedulerServices as Services

Job = Callable[[Services, datetime, str], str]


def expire_consent(services: Services, now: datetime, target: str) -> str:
    services.trust.record_expiry(UUID(target), SCHEDULER)
    return "recorded the consent's expiry, effective at its expiry time, and told the member"


def offer_renewal(days_before: int) -> Job:
    def offer(services: Services, now: datetime, target: str) -> str:
        services.trust.offer_renewal(UUID(target), days_before, SCHEDULER)
        return f"offered the member a one-tap renewal, {days_before} days before the expiry"

    return offer


def close_proposal(services: Services, now: datetime, target: str) -> str:
    if services.trust.proposal_result(UUID(target)) is not None:
        return "nothing to do: the vote was already closed"
    result = services.trust.close_proposal(UUID(target), SCHEDULER)
    return f"closed the vote ({result.turnout} of {result.electorate} voted) and announced the result"


def remind_panel(services: Services, now: datetime, target: str) -> str:
    reminded = services.trust.remind_panel(UUID(target), SCHEDULER)
    return f"reminded {reminded} panel member(s) who had not answered"


def close_insight_request(services: Services, now: datetime, target: str) -> str:
    request = services.views.insight_request(UUID(target))
    if request is not None and request["status"] == "closed":
        return "nothing to do: the insight request was already closed"
    services.trust.close_insight_request(UUID(target), SCHEDULER)
    return "closed the insight request and recorded its anonymised result"


def invite_reserves(services: Services, now: datetime, target: str) -> str:
    """Repeating: every open panel's seats left by members who withdrew their consent, left the
    trust or were erased go to the first reserves who keep the quotas (a decline does at once)."""
    invited = panels = 0
    for request in services.views.insight_requests(status=PANEL_DRAWN):
        try:
            replaced = services.trust.replace_members_who_left(request["id"], SCHEDULER)
        except TrustError:
            continue  # past its closing time (it is being closed): no reserve can join it now
        invited += sum(1 for r in replaced if r.reserve is not None)
        panels += 1 if replaced else 0
    if not panels:
        return "nothing to do: no panel member left"
    return f"filled the seats of members who left in {panels} panel(s): {invited} reserve(s) invited"


def compile_digest(services: Services, now: datetime, target: str) -> str:
    """One day's digest for trustees, as it would have been made on time (its window is
    the day's, whenever it runs), with the scheduled work that keeps failing."""
    day = date.fromisoformat(target)
    start, end = digest_window(day)
    figures = services.views.digest_figures(start, end)
    failing = [failure.as_dict() for failure in WorkLedger(services.trust.engine).failing()]
    services.trust.record_digest(day, start, end, figures, failing, SCHEDULER)
    return f"made the trustees' digest for {day:%d %B %Y}"


def catch_up_read_models(services: Services, now: datetime, target: str) -> str:
    applied = catch_up(services.trust, services.views.projector)
    return f"applied {applied} event(s) to the read models" if applied else "the read models were up to date"


ROTATION_BUDGET = 20.0  # seconds of a rotation's steps a run: the rest goes on in the next run, planned at once


def rotate_keys(services: Services, now: datetime, target: str) -> str:
    """Due a period after an erasure under version ``target``: so the version that wrapped
    the erased key is destroyed, and no copy of it (a backup, free space, WAL) opens again."""
    if services.trust.key_state().current_version != int(target):
        return f"nothing to do: key version {target} was already rotated"
    rotation = services.trust.rotate_keys(SCHEDULER, budget=ROTATION_BUDGET)
    return f"made key version {rotation.version}; " + _rotated(rotation)


def continue_rotation(services: Services, now: datetime, target: str) -> str:
    """A rotation under way (to version ``target`` or a newer one) whose last run ran out of time or stopped."""
    return _rotated(services.trust.continue_rotation(SCHEDULER, budget=ROTATION_BUDGET))


def _rotated(rotation: Rotation) -> str:
    if not rotation.finished:
        return (
            f"re-wrapped {rotation.rewrapped} member key(s) under version {rotation.version} so far; "
            f"{rotation.left} left, for the next run"
        )
    return (
        f"re-wrapped {rotation.rewrapped} member key(s) under version {rotation.version} "
        f"and destroyed version(s) {', '.join(map(str, rotation.destroyed)) or 'none'}"
    )


def destroy_retired_keys(services: Services, now: datetime, target: str) -> str:
    destroyed = services.trust.destroy_retired_keys()
    return f"destroyed key version(s) {', '.join(map(str, destroyed))}" if destroyed else "nothing to do: none left"


def finish_erasure_purge(services: Services, now: datetime, target: str) -> str:
    """Retried (with the runner's backoff) until no reader holds the erased rows' old pages."""
    purged = services.trust.finish_purges()
    return f"the database files forgot the old rows of {purged} erasure(s)"


JOBS: dict[str, Job] = {
    "consent-expiry": expire_consent,
    "renewal-offer-30": offer_renewal(30),
    "renewal-offer-7": offer_renewal(7),
    "proposal-close": close_proposal,
    "panel-reminder": remind_panel,
    "insight-close": close_insight_request,
    "digest": compile_digest,
    "catch-up": catch_up_read_models,
    "panel-reserves": invite_reserves,
    "key-rotation": rotate_keys,
    "key-rotation-steps": continue_rotation,
    "key-destruction": destroy_retired_keys,
    "erasure-purge": finish_erasure_purge,
}
