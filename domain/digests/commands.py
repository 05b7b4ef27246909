"""Recording the trustees' daily digest (the record itself is in domain.digests.model)."""

from datetime import date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.digests.model import MAY_RECORD, TrusteeDigest, _utc, check_failing_work, check_figures, digest_id
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidTime, NotAllowedNow
from domain.store.application import TrustApplication


class DigestCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def record_digest(
        self,
        day: date,
        window_from: datetime,
        window_to: datetime,
        figures: dict,
        failing_work: list[dict],
        actor: Actor,
    ) -> UUID:
        """Record the day's digest, once: a second one for the same day is refused."""
        if actor.role not in MAY_RECORD:
            raise NotAllowedNow("Only the scheduler or a trustee can record the trustees' digest.")
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidTime("A digest is for a day (a date without a time).")
        start, end = _utc(window_from, "A digest's window start"), _utc(window_to, "A digest's window end")
        if start >= end:
            raise InvalidTime("A digest's window must end after it starts.")
        figures, failing = check_figures(figures), check_failing_work(failing_work)
        with self.app.command() as (_session, now):
            if end > now:
                raise InvalidTime(f"A digest's window cannot end in the future ({end:%Y-%m-%d %H:%M} UTC).")
            try:
                self.app.repository.get(digest_id(day))
            except AggregateNotFoundError:
                pass
            else:
                raise NotAllowedNow(f"The digest for {day.isoformat()} is already recorded.")
            digest = TrusteeDigest(
                day=day.isoformat(),
                window_from=start,
                window_to=end,
                figures=figures,
                failing_work=failing,
                actor=str(actor),
            )
            self.app.save(digest)
        return digest.id
