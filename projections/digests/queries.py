"""The trustees' digests: the latest, one day's, and the figures for a window."""

from datetime import date, datetime

from sqlalchemy import Connection, select

from projections.core.reading import ReadModels
from projections.digests.figures import digest_figures as figures
from projections.digests.tables import trustee_digests


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
    """TrustViews forwards each of these questions by name."""

    def __init__(self, models: ReadModels) -> None:
        self.models = models

    def digest_figures(self, window_from: datetime, window_to: datetime) -> dict:
        with self.models.reading() as conn:
            return figures(conn, self.models.vault, window_from, window_to)

    def latest_digests(self, limit: int = 14) -> list[dict]:
        with self.models.reading() as conn:
            return latest_digests(conn, limit)

    def digest(self, day: date) -> dict | None:
        with self.models.reading() as conn:
            return digest(conn, day)

    def digest_days(self) -> list[date]:
        with self.models.reading() as conn:
            return digest_days(conn)
