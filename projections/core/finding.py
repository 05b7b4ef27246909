"""Finding a record by its id or at least six hex digits of it."""

import re
from uuid import UUID

from sqlalchemy import Connection, select

from domain.kernel.errors import InvalidRequest

_HEX = re.compile(r"^[0-9a-f-]{6,36}$")


def by_id_or_prefix(conn: Connection, column, reference: str, not_found: type) -> UUID:  # type: ignore[no-untyped-def]
    text = reference.strip().lower()
    try:
        wanted = UUID(text)
    except ValueError:
        wanted = None
    if wanted is not None:
        if conn.execute(select(column).where(column == wanted)).first():
            return wanted
        raise not_found(reference)
    if not _HEX.match(text):
        raise not_found(reference)
    prefix = text.replace("-", "")
    rows = [r[0] for r in conn.execute(select(column)) if r[0].hex.startswith(prefix)] if len(prefix) >= 6 else []
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        raise InvalidRequest(f"{reference!r} matches {len(rows)} records; give more of the id.")
    raise not_found(reference)
