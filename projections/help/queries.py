"""The caseworkers' queue: requests for help, oldest first, each with the member's name and
messages opened under the member's key for the page shown (a staff read: the page records it
before it shows anything)."""

from sqlalchemy import Connection, func, select

from domain.sealing.vault import Vault
from projections.core.personal import name_of, opened
from projections.help.tables import help_messages, help_requests
from projections.membership.tables import members

QUEUE_LIMIT = 200
SHOWN = ("open", "handled")


def open_help_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).where(help_requests.c.status == "open")).scalar() or 0


def help_requests_in(conn: Connection, vault: Vault, status: str = "open", limit: int = QUEUE_LIMIT) -> list[dict]:
    """Requests with this status (open, or handled), oldest first (handled: the latest handled first)."""
    if status not in SHOWN:
        status = "open"
    order = help_requests.c.opened_rec if status == "open" else help_requests.c.handled_rec.desc()
    rows = conn.execute(
        select(help_requests).where(help_requests.c.status == status).order_by(order).limit(limit)
    ).all()
    if not rows:
        return []
    member_ids = sorted({row.member_id for row in rows})
    people = conn.execute(
        select(members.c.member_id, members.c.personal).where(members.c.member_id.in_(member_ids))
    ).all()
    personal = opened(vault, conn, people)
    keys = vault.keys_for(conn, member_ids)
    said = conn.execute(
        select(help_messages).where(help_messages.c.member_id.in_(member_ids)).order_by(help_messages.c.position)
    ).all()
    wanted = {(row.member_id, row.request) for row in rows}
    messages: dict = {}
    for message in said:
        if (message.member_id, message.request) in wanted:
            text = _open(vault, keys, message.member_id, message.message, "message")
            messages.setdefault((message.member_id, message.request), []).append(
                {"at": message.asked_rec, "channel": message.channel, "text": text}
            )
    return [
        {
            "member_id": row.member_id,
            "request": row.request,
            "name": name_of(personal.get(row.member_id)),
            "status": row.status,
            "channel": row.channel,
            "opened_at": row.opened_rec,
            "last_at": row.last_rec,
            "handled_by": row.handled_by,
            "handled_at": row.handled_rec,
            "note": _open(vault, keys, row.member_id, row.note, "note"),
            "messages": messages.get((row.member_id, row.request), []),
        }
        for row in rows
    ]


def _open(vault: Vault, keys: dict, member_id, sealed: str | None, field: str) -> str | None:  # type: ignore[no-untyped-def]
    if not sealed:
        return None
    return (vault.open(keys.get(member_id), member_id, sealed) or {}).get(field)
