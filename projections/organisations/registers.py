"""Finding organisations in the register."""

from uuid import UUID

from sqlalchemy import Connection, func, select

from domain.kernel.errors import UnknownOrganisation
from projections.core.finding import by_id_or_prefix
from projections.organisations.tables import organisation_org_ids, organisations


def find_organisation(conn: Connection, reference: str) -> UUID:
    named = conn.execute(
        select(organisations.c.organisation_id).where(func.lower(organisations.c.name) == reference.strip().lower())
    ).scalar_one_or_none()
    if named is not None:
        return named
    return by_id_or_prefix(conn, organisations.c.organisation_id, reference, UnknownOrganisation)


def _with_org_ids():  # type: ignore[no-untyped-def]
    """The register, each organisation with its org-id (None when registered without one)."""
    joined = organisations.outerjoin(
        organisation_org_ids, organisation_org_ids.c.organisation_id == organisations.c.organisation_id
    )
    return select(organisations, organisation_org_ids.c.org_id).select_from(joined)


def organisation_row(conn: Connection, organisation_id: UUID):  # type: ignore[no-untyped-def]
    row = conn.execute(_with_org_ids().where(organisations.c.organisation_id == organisation_id)).first()
    if row is None:
        raise UnknownOrganisation(organisation_id)
    return row


def list_organisations(conn: Connection) -> list[dict]:
    rows = conn.execute(_with_org_ids().order_by(organisations.c.name))
    return [
        {
            "organisation_id": r.organisation_id,
            "name": r.name,
            "kind": r.kind,
            "org_id": r.org_id,
            "status": r.status,
            "agreement_ref": r.agreement_ref,
            "agreement_date": r.agreement_date,
        }
        for r in rows
    ]
