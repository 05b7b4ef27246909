"""Finding members in the register, and their names as staff see them (opened under each member's key)."""

from uuid import UUID

from sqlalchemy import Connection, select

from domain.kernel.batches import batches
from domain.kernel.errors import UnknownMember
from domain.membership.codes import normalise
from domain.sealing.vault import Vault
from projections.core.finding import by_id_or_prefix
from projections.core.personal import ERASED_NAME, name_of, opened, profile_of
from projections.membership.tables import members


def display_names(conn: Connection, vault: Vault, member_ids) -> dict[UUID, str]:  # type: ignore[no-untyped-def]
    """Each member's name, opened under their key (one query for the keys), or "(erased member)"."""
    names = {}
    for chunk in batches(member_ids):
        rows = conn.execute(select(members.c.member_id, members.c.personal).where(members.c.member_id.in_(chunk)))
        names.update({member_id: name_of(personal) for member_id, personal in opened(vault, conn, rows).items()})
    return names


def display_name(conn: Connection, vault: Vault, member_id: UUID) -> str:
    return display_names(conn, vault, [member_id]).get(member_id, ERASED_NAME)


def find_member(conn: Connection, reference: str) -> UUID:
    """By reference code (ABCD-EFGH), id or at least six hex digits of the id."""
    code = normalise(reference)
    if code is not None:
        found = conn.execute(select(members.c.member_id).where(members.c.reference_code == code)).scalar()
        if found is not None:
            return found
    return by_id_or_prefix(conn, members.c.member_id, reference, UnknownMember)


def member_row(conn: Connection, member_id: UUID):  # type: ignore[no-untyped-def]
    row = conn.execute(select(members).where(members.c.member_id == member_id)).first()
    if row is None:
        raise UnknownMember(member_id)
    return row


def list_members(conn: Connection, vault: Vault) -> list[dict]:
    rows = conn.execute(select(members).order_by(members.c.registered_rec, members.c.member_id)).all()
    personal = opened(vault, conn, rows)
    return [
        {
            "member_id": r.member_id,
            "name": name_of(personal[r.member_id]),
            "status": r.status,
            "kind": r.kind,
            "channel": r.channel,
            "registered_at": r.registered_eff,
            "profile": profile_of(personal[r.member_id]),
        }
        for r in rows
    ]
