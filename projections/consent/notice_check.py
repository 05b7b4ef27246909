"""Consents whose audience lies outside the notice the member was shown.

The trust now refuses such a consent when it is given, but a store may hold older
ones (recorded before the rule, e.g. a paper form left at a default that widened
access). Trustees find them here by consent id and the member's reference code,
never by name, and decide with the member what to do (withdraw, or ask again)."""

from datetime import datetime

from sqlalchemy import Connection, select

from domain.kernel.catalogue import Catalogue
from domain.membership.codes import display
from projections.consent.registers import consent_status
from projections.consent.tables import consents
from projections.membership.tables import members
from projections.organisations.tables import organisations


def _covered(catalogue: Catalogue, purpose: str, version: str) -> tuple[str, ...]:
    """The kinds a notice covers; nobody when the trust no longer has that notice to show."""
    found = catalogue.purposes.get(purpose)
    if found is None or version not in found.notices:
        return ()
    return found.covered_kinds(version)


def consents_outside_notice(conn: Connection, catalogue: Catalogue, now: datetime) -> list[dict]:
    """Every consent (in force or ended) that reaches an organisation kind its notice does not name."""
    rows = conn.execute(
        select(
            consents.c.consent_id,
            consents.c.purpose,
            consents.c.notice_version,
            consents.c.audience_kind,
            consents.c.ended_reason,
            consents.c.expires_at,
            consents.c.granted_rec,
            members.c.reference_code,
            members.c.status.label("member_status"),
            organisations.c.name.label("organisation"),
            organisations.c.kind.label("organisation_kind"),
        )
        .join(members, members.c.member_id == consents.c.member_id)
        .outerjoin(organisations, organisations.c.organisation_id == consents.c.audience_organisation_id)
        .order_by(consents.c.granted_rec, consents.c.consent_id)
    ).all()
    found = []
    for row in rows:
        kind = row.organisation_kind if row.organisation is not None else row.audience_kind
        covered = _covered(catalogue, row.purpose, row.notice_version)
        if kind in covered:
            continue
        label = catalogue.kind_label(kind).lower()
        audience = f"{row.organisation} (a {label})" if row.organisation is not None else f"every approved {label}"
        found.append(
            {
                "consent_id": row.consent_id,
                "reference_code": display(row.reference_code) if row.reference_code else None,
                "purpose": row.purpose,
                "notice_version": row.notice_version,
                "audience": audience,
                "notice_covers": [catalogue.kind_label(k).lower() for k in covered],
                "status": consent_status(row, now, row.member_status),
            }
        )
    return found
