"""Finding consents, their status now, and the consent catalogue as trustees see it."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from domain.kernel.catalogue import THE_TRUST
from domain.kernel.errors import UnknownConsent
from projections.consent.tables import consents
from projections.core.finding import by_id_or_prefix
from projections.membership.registers import member_row
from projections.membership.tables import members
from projections.organisations.tables import organisations


def find_consent(conn: Connection, reference: str) -> UUID:
    return by_id_or_prefix(conn, consents.c.consent_id, reference, UnknownConsent)


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


THE_TRUST_ITSELF = "the trust itself"  # the audience of a purpose used only inside the trust


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
            else THE_TRUST_ITSELF
            if r.audience_kind == THE_TRUST
            else f"every approved {r.audience_kind}",
            "audience_kind": r.audience_kind,
            "audience_organisation": org_names.get(r.audience_organisation_id) if r.audience_organisation_id else None,
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
