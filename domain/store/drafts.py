"""Conversation drafts: where a member is in a conversation on any channel (joining,
answering a panel), kept between their messages, which may be hours apart, and across a
restart of the service.

A draft can hold what the member typed before the one command that records it (a name, panel
answers), so it is only ever written sealed: under the member's own key once they are a member
(erasing them destroys it with everything else), and before that (someone joining) under a key
derived from the master key for drafts alone. Each row is found by the address's keyed digest,
never the number, and is cleared once it has been left alone for ``DRAFT_LIFETIME``; erasing a
member deletes theirs at once.
"""

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, Text, Uuid, delete, insert, select, update

from domain.sealing.vault import Vault
from domain.store.storage import writing

DRAFT_LIFETIME = timedelta(hours=24)  # an SMS conversation may pause for hours; not for days
DRAFTS_KEY = "conversation drafts"

drafts_metadata = MetaData()
conversation_drafts = Table(
    "conversation_drafts",
    drafts_metadata,
    Column("address_digest", String(64), primary_key=True),
    Column("member_id", Uuid, nullable=True, index=True),  # sealed under their key; None: someone joining
    Column("sealed", Text, nullable=False),
    Column("until", DateTime, nullable=False, index=True),  # UTC: cleared after this
)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _bound_to(digest: str) -> UUID:
    """The associated data a joiner's draft is sealed with: a draft cannot be moved to another address."""
    return uuid.uuid5(uuid.NAMESPACE_OID, digest)


def keep_draft(engine: Engine, vault: Vault, digest: str, data: dict, member_id: UUID | None, now: datetime) -> None:
    """Keep (replace) the draft of the conversation at this address."""
    with writing(), engine.begin() as conn:
        conn.execute(delete(conversation_drafts).where(conversation_drafts.c.until < _naive(now)))
        if member_id is not None:
            key = vault.key_for(conn, member_id)
            if key is None:  # erased meanwhile: nothing of theirs is kept
                conn.execute(delete(conversation_drafts).where(conversation_drafts.c.address_digest == digest))
                return
            sealed = vault.seal(key, member_id, data)
        else:
            sealed = vault.seal(vault.derived_key(DRAFTS_KEY), _bound_to(digest), data)
        row = dict(member_id=member_id, sealed=sealed, until=_naive(now + DRAFT_LIFETIME))
        changed = conn.execute(
            update(conversation_drafts).where(conversation_drafts.c.address_digest == digest).values(**row)
        )
        if changed.rowcount == 0:
            conn.execute(insert(conversation_drafts), dict(address_digest=digest, **row))


def draft(engine: Engine, vault: Vault, digest: str, now: datetime) -> dict:
    """The draft of the conversation at this address ({} if none, or too old, or its member erased)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(conversation_drafts).where(
                conversation_drafts.c.address_digest == digest, conversation_drafts.c.until >= _naive(now)
            )
        ).first()
        if row is None:
            return {}
        if row.member_id is not None:
            opened = vault.open(vault.key_for(conn, row.member_id), row.member_id, row.sealed)
        else:
            opened = vault.open(vault.derived_key(DRAFTS_KEY), _bound_to(digest), row.sealed)
    return opened or {}


def drop_draft(engine: Engine, digest: str) -> None:
    with writing(), engine.begin() as conn:
        conn.execute(delete(conversation_drafts).where(conversation_drafts.c.address_digest == digest))


def drop_drafts_of(conn, member_id: UUID) -> None:  # type: ignore[no-untyped-def]
    """Inside the erasure's transaction: the member's drafts go with their key."""
    conn.execute(delete(conversation_drafts).where(conversation_drafts.c.member_id == member_id))
