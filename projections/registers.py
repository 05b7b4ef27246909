"""Finding members, organisations and consents in the read models."""

import re
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, func, select

from domain.kernel.errors import InvalidRequest, UnknownConsent, UnknownMember, UnknownOrganisation
from domain.membership.codes import normalise
from domain.sealing.vault import Vault
from projections.personal import ERASED_NAME, name_of, opened, profile_of
from projections.tables import consents, members, organisations

_HEX = re.compile(r"^[0-9a-f-]{6,36}$")


def display_names(conn: Connection, vault: Vault, member_ids) -> dict[UUID, str]:  # type: ignore[no-untyped-def]
    """Each member's name, opened under their key (one query for the keys), or "(erased member)"."""
    wanted, names = list(member_ids), {}
    for start in range(0, len(wanted), 1000):
        rows = conn.execute(
            select(members.c.member_id, members.c.personal).where(members.c.member_id.in_(wanted[start : start + 1000]))
        )
        names.update({member_id: name_of(personal) for member_id, personal in opened(vault, conn, rows).items()})
    return names


def display_name(conn: Connection, vault: Vault, member_id: UUID) -> str:
    return display_names(conn, vault, [member_id]).get(member_id, ERASED_NAME)


def _by_id_or_prefix(conn: Connection, column, reference: str, not_found: type) -> UUID:  # type: ignore[no-untyped-def]
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


def find_member(conn: Connection, reference: str) -> UUID:
    """By reference code (ABCD-EFGH), id or at least six hex digits of the id."""
    code = normalise(reference)
    if code is not None:
        found = conn.execute(select(members.c.member_id).where(members.c.reference_code == code)).scalar()
        if found is not None:
            return found
    return _by_id_or_prefix(conn, members.c.member_id, reference, UnknownMember)


def find_consent(conn: Connection, reference: str) -> UUID:
    return _by_id_or_prefix(conn, consents.c.consent_id, reference, UnknownConsent)


def find_organisation(conn: Connection, reference: str) -> UUID:
    named = conn.execute(
        select(organisations.c.organisation_id).where(func.lower(organisations.c.name) == reference.strip().lower())
    ).scalar_one_or_none()
    if named is not None:
        return named
    return _by_id_or_prefix(conn, organisations.c.organisation_id, reference, UnknownOrganisation)


def member_row(conn: Connection, member_id: UUID):  # type: ignore[no-untyped-def]
    row = conn.execute(select(members).where(members.c.member_id == member_id)).first()
    if row is None:
        raise UnknownMember(member_id)
    return row


def organisation_row(conn: Connection, organisation_id: UUID):  # type: ignore[no-untyped-def]
    row = conn.execute(select(organisations).where(organisations.c.organisation_id == organisation_id)).first()
    if row is None:
        raise UnknownOrganisation(organisation_id)
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


def list_organisations(conn: Connection) -> list[dict]:
    rows = conn.execute(select(organisations).order_by(organisations.c.name))
    return [
        {
            "organisation_id": r.organisation_id,
            "name": r.name,
            "kind": r.kind,
            "status": r.status,
            "agreement_ref": r.agreement_ref,
            "agreement_date": r.agreement_date,
        }
        for r in rows
    ]


def consent_status(row, now: datetime, member_status: str = "active") -> str:  # type: ignore[no-untyped-def]
    """The consent in plain words, including whether the member's own status lets it work."""
    if row.ended_reason:
        return "withdrawn" if row.ended_reason == "revoked" else row.ended_reason
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    if member_status in ("left", "erased"):
        return f"ended: member {member_status}"
    if member_status == "unconfirmed":
        return "waiting for the member to confirm"
    return "active"


def list_consents(conn: Connection, member_id: UUID, now: datetime) -> list[dict]:
    member = member_row(conn, member_id)
    org_names = dict(conn.execute(select(organisations.c.organisation_id, organisations.c.name)).all())
    rows = conn.execute(select(consents).where(consents.c.member_id == member_id).order_by(consents.c.granted_rec))
    return [
        {
            "consent_id": r.consent_id,
            "purpose": r.purpose,
            "categories": r.categories,
            "audience": org_names.get(r.audience_organisation_id)
            if r.audience_organisation_id
            else f"every approved {r.audience_kind}",
            "status": consent_status(r, now, member.status),
            "given_at": r.granted_eff,
            "expires_at": r.expires_at,
            "ended_at": r.ended_eff,
            "via": r.collected_via,
            "notice_version": r.notice_version,
        }
        for r in rows
    ]


def consent_catalogue(conn: Connection, catalogue, now: datetime) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each purpose in the trust's catalogue with its notice and how many consents are in force."""
    rows = conn.execute(
        select(consents.c.purpose, consents.c.ended_reason, consents.c.expires_at, members.c.status).join(
            members, members.c.member_id == consents.c.member_id
        )
    ).all()
    in_force: dict[str, int] = {}
    for row in rows:
        if consent_status(row, now, row.status) == "active":
            in_force[row.purpose] = in_force.get(row.purpose, 0) + 1
    return [
        {
            "purpose": p.code,
            "title": p.title,
            "summary": p.summary,
            "notice_version": p.latest_notice,
            "notice_hash": p.notice_hash(p.latest_notice),
            "consents_in_force": in_force.get(p.code, 0),
        }
        for p in catalogue.purposes.values()
    ]
