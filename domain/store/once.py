"""Doing a request at most once, however often it arrives.

Telegram may deliver the same update twice, or again after a restart; a browser
may send a form twice. An adapter wraps the handling of one request in
``trust.once(key)``: the first command inside records the key in the same
transaction as its events, and if that key was recorded before, the command
raises ``AlreadyHandled`` and records nothing. So a request changes the history at
most once. (A handler should make its change in one command: a second command
in the same block runs unguarded.)"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from domain.kernel.errors import TrustError

once_metadata = MetaData()
handled_requests = Table(
    "handled_requests",
    once_metadata,
    Column("request_key", String(200), primary_key=True),
    Column("handled_at", DateTime, nullable=False),
)

_pending: ContextVar[list[str] | None] = ContextVar("pending_request_key", default=None)


class AlreadyHandled(TrustError):
    def __init__(self, key: str):
        super().__init__("This request was already handled; nothing more was recorded.")
        self.key = key


@contextmanager
def handling(key: str) -> Iterator[None]:
    if not key or len(key) > 200:
        raise ValueError("a request key is 1 to 200 characters")
    token = _pending.set([key])
    try:
        yield
    finally:
        _pending.reset(token)


def claim(session: Session, now: datetime) -> None:
    """Inside a command: record the pending request key, or refuse a repeat."""
    pending = _pending.get()
    if not pending:
        return
    key = pending.pop()
    if session.execute(select(handled_requests.c.request_key).where(handled_requests.c.request_key == key)).first():
        raise AlreadyHandled(key)
    session.execute(insert(handled_requests), dict(request_key=key, handled_at=now.replace(tzinfo=None)))


def handled(conn, key: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether a request with this key has changed the history already (a read: no lock)."""
    found = select(handled_requests.c.request_key).where(handled_requests.c.request_key == key)
    return conn.execute(found).first() is not None
