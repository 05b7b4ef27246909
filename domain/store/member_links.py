"""Members' one-time sign-in links to their web portal, kept beside the event log.

A link is a random token the member is given once (by a caseworker, or in their chat);
only its SHA-256 digest is stored, with when it expires. Using it deletes it, so it
works once; issuing a new one for the member ends any older one. Expired rows are
cleared as new ones are added. The event log records that a link was issued and used
(domain.portal), never the token."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid, delete, insert, select
from sqlalchemy.orm import Session

from domain.kernel.errors import InvalidRequest

LINK_LIFETIME = timedelta(minutes=30)

member_links_metadata = MetaData()
member_sign_in_links = Table(
    "member_sign_in_links",
    member_links_metadata,
    Column("link_digest", String(64), primary_key=True),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("expires", DateTime, nullable=False),  # naive UTC
)


class LinkNotValid(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "This sign-in link has expired or has already been used. "
            "Ask a caseworker for a new one, or ask for one in your chat with the trust."
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def new_member_link(session: Session, member_id: UUID, now: datetime) -> tuple[str, datetime]:
    """A fresh link for the member (their older one, if any, stops working)."""
    table = member_sign_in_links
    session.execute(delete(table).where((table.c.member_id == member_id) | (table.c.expires <= _naive(now))))
    token = secrets.token_urlsafe(32)
    expires = now + LINK_LIFETIME
    session.execute(insert(table), dict(link_digest=_digest(token), member_id=member_id, expires=_naive(expires)))
    return token, expires


def use_member_link(session: Session, token: str, now: datetime) -> UUID:
    """The member the link is for; the link is gone after this. LinkNotValid if unknown, used or expired."""
    table = member_sign_in_links
    digest = _digest(token or "")
    row = session.execute(select(table.c.member_id, table.c.expires).where(table.c.link_digest == digest)).first()
    if row is None or row.expires <= _naive(now):
        raise LinkNotValid()
    session.execute(delete(table).where(table.c.link_digest == digest))
    return row.member_id
