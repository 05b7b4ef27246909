"""From the promises in the read models to dated pieces of work, each with a key
that names it for good (the job's id, the ledger's key, the once-key).

Renewal offers go 30 and 7 days before an expiry. An offer whose time came before
the consent was given is no promise and is not planned; after a long stop only the
latest offer that is due goes, never both at once. Work already done is not
planned again; failing work waits for its next try."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.insight.reminders import reminder_time
from domain.keys.commands import KeyUpkeep
from projections.scheduling.promises import Promises

RENEWAL_OFFERS = (30, 7)  # days before an expiry; the last one is the latest offer
UK = ZoneInfo("Europe/London")
DIGEST_AT = time(7, 0)  # each morning, UK time: the digest of the 24 hours before
DIGEST_DAYS_BACK = 7  # after a long stop, the digests of at most the last week are still made


@dataclass(frozen=True)
class Work:
    key: str
    kind: str
    target: str
    due_at: datetime
    run_at: datetime  # due_at, or later while it is failing and waiting for its next try


def digest_window(day: date) -> tuple[datetime, datetime]:
    """The digest of day D covers the 24 hours up to D at 07:00 UK time."""
    return datetime.combine(day - timedelta(days=1), DIGEST_AT, tzinfo=UK), datetime.combine(day, DIGEST_AT, tzinfo=UK)


def digest_days(now: datetime, latest: date | None) -> list[date]:
    """The days whose digest is not made yet, due or next due, oldest first: after a stop
    the missed ones (at most a week back), then the next one."""
    local = now.astimezone(UK)
    newest_due = local.date() if local.time() >= DIGEST_AT else local.date() - timedelta(days=1)
    oldest = newest_due  # a new trust: from the latest day on, not a week it did not exist
    if latest is not None:
        oldest = max(newest_due - timedelta(days=DIGEST_DAYS_BACK - 1), latest + timedelta(days=1))
    return [oldest + timedelta(days=n) for n in range((newest_due - oldest).days + 2)]


def _key_upkeep(upkeep: KeyUpkeep | None, now: datetime) -> Iterable[tuple[str, str, str, datetime]]:
    """A rotation within the period after the first erasure under the current key version
    (one per version: done, the next erasure is under the next one); the next steps of a
    rotation under way, at once (named by the keys left, so each run that moves some is new
    work); the destruction of a version an interrupted rotation left; and the retry of a
    purge that could not finish."""
    if upkeep is None:
        return
    if upkeep.rotation_due_at is not None:
        version = str(upkeep.current_version)
        yield f"key-rotation:v{version}", "key-rotation", version, upkeep.rotation_due_at
    if upkeep.rotation_under_way is not None:
        version, left = map(str, upkeep.rotation_under_way)
        yield f"key-rotation-steps:v{version}:{left}", "key-rotation-steps", version, now
    if upkeep.destruction_due is not None:
        version = str(upkeep.destruction_due)
        yield f"key-destruction:v{version}", "key-destruction", version, now
    if upkeep.unfinished_purge is not None and upkeep.unfinished_since is not None:
        target = str(upkeep.unfinished_purge)
        yield f"erasure-purge:{target}", "erasure-purge", target, upkeep.unfinished_since


def _due(
    promises: Promises, now: datetime, latest_digest: date | None, upkeep: KeyUpkeep | None = None
) -> Iterable[tuple[str, str, str, datetime]]:
    yield from _key_upkeep(upkeep, now)
    for consent in promises.consents:
        target = str(consent.consent_id)
        yield f"consent-expiry:{target}", "consent-expiry", target, consent.expires_at
        expiry = f"{consent.expires_at:%Y%m%dT%H%M%SZ}"
        latest_offer = consent.expires_at - timedelta(days=RENEWAL_OFFERS[-1])
        for days in RENEWAL_OFFERS:
            offer_at = consent.expires_at - timedelta(days=days)
            superseded = days != RENEWAL_OFFERS[-1] and now >= latest_offer
            if offer_at > consent.given_at and not superseded:
                yield f"renewal-offer-{days}:{target}:{expiry}", f"renewal-offer-{days}", target, offer_at
    for proposal in promises.proposals:
        target = str(proposal.proposal_id)
        yield f"proposal-close:{target}", "proposal-close", target, proposal.closes_at
    for panel in promises.panels:
        target = str(panel.request_id)
        yield f"panel-reminder:{target}", "panel-reminder", target, reminder_time(panel.drawn_at, panel.closes_at)
        yield f"insight-close:{target}", "insight-close", target, panel.closes_at
    for day in digest_days(now, latest_digest):
        yield f"digest:{day.isoformat()}", "digest", day.isoformat(), digest_window(day)[1]


def plan(
    promises: Promises,
    now: datetime,
    done: set[str],
    retry_at: Mapping[str, datetime],
    latest_digest: date | None = None,
    until: datetime | None = None,
    upkeep: KeyUpkeep | None = None,
) -> list[Work]:
    """Every piece of dated work still to do (by ``until``, if given), soonest first. ``done``
    holds the keys already done; ``retry_at`` when failing work may be tried next;
    ``latest_digest`` the day of the newest digest recorded."""
    planned = []
    for key, kind, target, due_at in _due(promises, now, latest_digest, upkeep):
        if key in done or (until is not None and due_at > until):
            continue
        run_at = max(due_at, retry_at[key]) if key in retry_at else due_at
        if until is None or run_at <= until:
            planned.append(Work(key, kind, target, due_at, run_at))
    return sorted(planned, key=lambda work: (work.run_at, work.key))


def keys(
    promises: Promises,
    now: datetime,
    latest_digest: date | None = None,
    until: datetime | None = None,
    upkeep: KeyUpkeep | None = None,
) -> list[str]:
    """The keys of the work planned (by ``until``), to look up in the ledger."""
    due = _due(promises, now, latest_digest, upkeep)
    return [key for key, _, _, due_at in due if until is None or due_at <= until]
