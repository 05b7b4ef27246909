"""Organisation portal sessions that signing out ends on the server.

A portal session lives in a signed cookie; signing out clears the browser's copy,
but a copy taken earlier would still open the portal until it expired. So each
portal session carries a random id, and signing out records a digest of that id
here until the session could have expired anyway: a replayed cookie is refused.
Only digests are kept, and rows past their end are cleared as new ones are added.
"""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, delete, insert, select

from domain.store.storage import writing

portal_sessions_metadata = MetaData()
ended_portal_sessions = Table(
    "ended_portal_sessions",
    portal_sessions_metadata,
    Column("session_digest", String(64), primary_key=True),
    Column("until", DateTime, nullable=False),  # UTC; after this the cookie is refused as too old anyway
)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def end_portal_session(engine: Engine, session_id: str, until: datetime, now: datetime) -> None:
    with writing(), engine.begin() as conn:
        conn.execute(delete(ended_portal_sessions).where(ended_portal_sessions.c.until < _naive(now)))
        digest = _digest(session_id)
        seen = select(ended_portal_sessions.c.session_digest).where(ended_portal_sessions.c.session_digest == digest)
        if conn.execute(seen).first() is None:
            conn.execute(insert(ended_portal_sessions), dict(session_digest=digest, until=_naive(until)))


def portal_session_ended(engine: Engine, session_id: str) -> bool:
    with engine.connect() as conn:
        found = select(ended_portal_sessions.c.session_digest).where(
            ended_portal_sessions.c.session_digest == _digest(session_id)
        )
        return conn.execute(found).first() is not None
