"""The trustees' daily digest: what happened in the trust over one window (a day),
in counts only, and the scheduled work that keeps failing, recorded once per day.

The figures come from the read models (projections/digests/figures.py) and are kept in the
event as they were that day, so a later erasure or rebuild does not change what the
trustees were told. Nothing personal goes in: counts, purposes, areas and
organisation names; failing work is named by its key, kind and error's first line."""

import json
import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import InvalidRequest, InvalidTime
from domain.kernel.text import without_control_characters

DIGESTS = uuid.uuid5(uuid.NAMESPACE_URL, "/trustee-digests")
MAY_RECORD = ("scheduler", "trustee", "operator")
MAX_FIGURES = 64_000  # characters of JSON
MAX_FAILING, MAX_ERROR = 200, 300
WORK_TEXT = {"key": 191, "kind": 40}  # required, one line each
WORK_TIMES = ("failing_since", "due_at", "next_try_at")  # failing_since required


class TrusteeDigest(TrustAggregate):
    """One per day: its id comes from the day, so the store refuses a second."""

    @staticmethod
    def create_id(day: str) -> UUID:
        return uuid.uuid5(DIGESTS, "digest:" + day)

    @event("Recorded")
    def __init__(
        self, day: str, window_from: datetime, window_to: datetime, figures: dict, failing_work: list[dict], actor: str
    ):
        self.day = day
        self.window_from, self.window_to = window_from, window_to
        self.figures = figures
        self.failing_work = failing_work


def digest_id(day: date) -> UUID:
    return TrusteeDigest.create_id(day.isoformat())


def _utc(moment: object, what: str) -> datetime:
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            raise InvalidTime(f"{what} is not a date and time: {moment[:40]!r}.") from None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidTime(f"{what} needs a date, a time and a time zone.")
    return moment.astimezone(UTC)


def check_figures(figures: object) -> dict:
    """Plain JSON (text keys; text, whole numbers, lists, objects), not too big."""

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | float)

    if not isinstance(figures, dict) or not plain(figures):
        raise InvalidRequest("A digest's figures must be plain JSON: text keys, text, numbers, lists and objects.")
    try:
        size = len(json.dumps(figures, allow_nan=False))
    except ValueError:
        raise InvalidRequest("A digest's figures must be finite numbers.") from None
    if size > MAX_FIGURES:
        raise InvalidRequest(f"A digest's figures must be at most {MAX_FIGURES} characters of JSON.")
    return json.loads(json.dumps(figures))


def check_failing_work(failing_work: object) -> list[dict]:
    """Each piece of failing work, keeping only its known fields (so nothing else gets in)."""
    if not isinstance(failing_work, list | tuple) or len(failing_work) > MAX_FAILING:
        raise InvalidRequest(f"The failing work must be a list of at most {MAX_FAILING} entries.")
    checked = []
    for number, work in enumerate(failing_work, start=1):
        if not isinstance(work, dict):
            raise InvalidRequest(f"Failing work {number} must be an object with key, kind and attempts.")
        entry: dict = {}
        for field, limit in WORK_TEXT.items():
            text = work.get(field)
            if not isinstance(text, str) or not text.strip() or len(text) > limit or text != " ".join(text.split()):
                raise InvalidRequest(f"Failing work {number} needs its {field}: one line of 1 to {limit} characters.")
            entry[field] = without_control_characters(text)
        attempts = work.get("attempts")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise InvalidRequest(f"Failing work {number} needs its attempts: a whole number from 1.")
        entry["attempts"] = attempts
        error = without_control_characters(str(work.get("last_error") or "").strip().split("\n")[0])
        entry["last_error"] = error[: MAX_ERROR - 1] + "…" if len(error) > MAX_ERROR else error
        for field in WORK_TIMES:
            if field in WORK_TIMES[1:] and work.get(field) is None:
                continue
            entry[field] = _utc(work.get(field), f"Failing work {number}'s {field.replace('_', ' ')}").isoformat()
        checked.append(entry)
    return checked
