"""Who an announcement is for: members of the trust who talk to it in a chat."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from projections.membership.tables import members, messages_stopped

BOT = "bot"  # the contact channel a linked Telegram chat adds
TELEGRAM = "telegram"  # the network its messages go out on


def members_with_chat(conn: Connection, joined_by: datetime | None = None) -> list[UUID]:
    """Active members with a linked chat, longest-standing first; with ``joined_by``,
    only those registered by then (an announcement is for the members of its moment)."""
    query = select(members.c.member_id, members.c.contact_channels).where(members.c.status == "active")
    if joined_by is not None:
        query = query.where(members.c.registered_rec <= joined_by)
    stopped = select(messages_stopped.c.member_id).where(messages_stopped.c.network == TELEGRAM)
    query = query.where(members.c.member_id.not_in(stopped))  # who stopped messages there hears nothing
    rows = conn.execute(query.order_by(members.c.registered_rec, members.c.member_id))
    return [row.member_id for row in rows if BOT in (row.contact_channels or [])]


# The contact channels of a linked address (domain.membership.addresses) and the network each sends on.
NETWORK_OF_CONTACT = {BOT: TELEGRAM, "sms": "sms", "whatsapp": "whatsapp"}


def members_to_announce(conn: Connection, joined_by: datetime | None = None) -> list[UUID]:
    """Active members with an address on at least one channel where they have not stopped
    messages, longest-standing first (with ``joined_by``, only those registered by then).
    Which channel each is sent on is the outbox's choice (domain.membership.reach)."""
    query = select(members.c.member_id, members.c.contact_channels).where(members.c.status == "active")
    if joined_by is not None:
        query = query.where(members.c.registered_rec <= joined_by)
    stopped: dict[UUID, set[str]] = {}
    for row in conn.execute(select(messages_stopped.c.member_id, messages_stopped.c.network)):
        stopped.setdefault(row.member_id, set()).add(row.network)
    chosen = []
    for row in conn.execute(query.order_by(members.c.registered_rec, members.c.member_id)):
        networks = {NETWORK_OF_CONTACT[c] for c in row.contact_channels or [] if c in NETWORK_OF_CONTACT}
        if networks - stopped.get(row.member_id, set()):
            chosen.append(row.member_id)
    return chosen


def stopped_on(conn: Connection, member_id: UUID, network: str) -> bool:
    """Whether the member stopped messages on ``network`` (and has not started them again)."""
    mine = (messages_stopped.c.member_id == member_id) & (messages_stopped.c.network == network)
    return conn.execute(select(messages_stopped.c.member_id).where(mine)).first() is not None


def stopped_among(conn: Connection, member_ids: list[UUID]) -> set[tuple[UUID, str]]:
    """(member, network) for each of these members' stopped channels: one query for a group of claims."""
    if not member_ids:
        return set()
    rows = conn.execute(
        select(messages_stopped.c.member_id, messages_stopped.c.network).where(
            messages_stopped.c.member_id.in_(member_ids)
        )
    )
    return {(row.member_id, row.network) for row in rows}
