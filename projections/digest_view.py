"""The trustees' digests as recorded, one row a day, kept from the events (so a
rebuild gives them back exactly as they were told), and the questions about them."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from projections.digest import digest_figures as figures
from projections.steps import Step, handles
from projections.tables import trustee_digests


@handles("TrusteeDigest.Recorded")
def digest_recorded(step: Step, event: Any) -> None:
    step.append(
        trustee_digests,
        dict(
            day=date.fromisoformat(event.day),
            window_from=event.window_from,
            window_to=event.window_to,
            figures=dict(event.figures),
            failing_work=[dict(work) for work in event.failing_work],
            recorded_by=event.actor,
            recorded_at=event.timestamp,
        ),
    )


def _digest(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "day": row.day,
        "window_from": row.window_from,
        "window_to": row.window_to,
        "figures": dict(row.figures),
        "failing_work": [dict(work) for work in row.failing_work],
        "recorded_by": row.recorded_by,
        "recorded_at": row.recorded_at,
    }


def latest_digests(conn: Connection, limit: int = 14) -> list[dict]:
    """The latest digests, newest day first."""
    rows = conn.execute(select(trustee_digests).order_by(trustee_digests.c.day.desc()).limit(max(limit, 0)))
    return [_digest(row) for row in rows]


def digest(conn: Connection, day: date) -> dict | None:
    row = conn.execute(select(trustee_digests).where(trustee_digests.c.day == day)).first()
    return None if row is None else _digest(row)


def digest_days(conn: Connection) -> list[date]:
    """Every day with a digest, newest first."""
    return list(conn.execute(select(trustee_digests.c.day).order_by(trustee_digests.c.day.desc())).scalars())


class DigestViews:
    """Mixed into TrustViews (which has ``reading``)."""

    def digest_figures(self, window_from: datetime, window_to: datetime) -> dict:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return figures(conn, self.vault, window_from, window_to)  # type: ignore[attr-defined]

    def latest_digests(self, limit: int = 14) -> list[dict]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return latest_digests(conn, limit)

    def digest(self, day: date) -> dict | None:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return digest(conn, day)

    def digest_days(self) -> list[date]:
        with self.reading() as conn:  # type: ignore[attr-defined]
            return digest_days(conn)
