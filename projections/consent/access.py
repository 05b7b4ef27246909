"""The access model: who could see what, derived from consents, member status
and organisation status, stored as validity intervals on both time axes."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from projections.consent.tables import access_grants, consents
from projections.core.handlers import Dirty
from projections.core.intervals import AXES, Fact, fact, intersect, span, switched
from projections.membership.tables import members
from projections.organisations.tables import organisation_changes, organisations

CHUNK = 2000


def consent_intervals(consent, axis: str):  # type: ignore[no-untyped-def]
    granted = fact(consent.granted_eff, consent.granted_rec)
    ended = fact(consent.ended_eff, consent.ended_rec)
    return span(granted, ended, axis, hard_end=consent.expires_at)


def member_intervals(member, axis: str):  # type: ignore[no-untyped-def]
    return span(fact(member.confirmed_eff, member.confirmed_rec), fact(member.ended_eff, member.ended_rec), axis)


def organisation_intervals(changes, axis: str):  # type: ignore[no-untyped-def]
    return switched(((Fact(c.eff, c.rec), c.change != "suspended") for c in changes), axis)


def grant_rows(consent, member, organisation_id: UUID, open_periods: dict[str, list]) -> list[dict]:  # type: ignore[no-untyped-def]
    """Pure: the access intervals one consent gives one organisation, given that
    organisation's open periods per axis (see organisation_intervals)."""
    rows = []
    for axis in AXES:
        allowed = intersect(
            intersect(consent_intervals(consent, axis), member_intervals(member, axis)),
            open_periods[axis],
        )
        for start, end in allowed:
            for category in consent.categories:
                rows.append(
                    {
                        "consent_id": consent.consent_id,
                        "organisation_id": organisation_id,
                        "member_id": consent.member_id,
                        "category": category,
                        "purpose": consent.purpose,
                        "axis": axis,
                        "valid_from": start,
                        "valid_to": end,
                    }
                )
    return rows


def _chunks(ids: Iterable[UUID]) -> Iterable[list[UUID]]:
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def recompute(session: Session | Connection, dirty: Dirty) -> None:
    """Replace the access rows of the dirty (consent, organisation) pairs."""
    for chunk in _chunks(dirty):
        consent_rows = session.execute(select(consents).where(consents.c.consent_id.in_(chunk))).all()
        member_ids = {c.member_id for c in consent_rows}
        member_rows = {
            m.member_id: m for m in session.execute(select(members).where(members.c.member_id.in_(member_ids)))
        }
        kinds = {c.audience_kind for c in consent_rows if c.audience_kind}
        named = {c.audience_organisation_id for c in consent_rows if c.audience_organisation_id}
        org_rows = session.execute(
            select(organisations.c.organisation_id, organisations.c.kind).where(
                or_(organisations.c.kind.in_(kinds), organisations.c.organisation_id.in_(named))
            )
        ).all()
        changes: dict[UUID, list] = {o.organisation_id: [] for o in org_rows}
        for change in session.execute(
            select(organisation_changes)
            .where(organisation_changes.c.organisation_id.in_(list(changes)))
            .order_by(organisation_changes.c.position)
        ):
            changes[change.organisation_id].append(change)
        periods = {o: {axis: organisation_intervals(c, axis) for axis in AXES} for o, c in changes.items()}
        by_kind: dict[str, list[UUID]] = {}
        for org in org_rows:
            by_kind.setdefault(org.kind, []).append(org.organisation_id)
        whole = [c for c in chunk if dirty[c] is None]
        if whole:  # one statement for every consent recomputed for all its organisations
            session.execute(delete(access_grants).where(access_grants.c.consent_id.in_(whole)))
        new_rows = []
        for consent in consent_rows:
            audience = (
                [consent.audience_organisation_id]
                if consent.audience_organisation_id
                else by_kind.get(consent.audience_kind, [])
            )
            only = dirty[consent.consent_id]
            targets = [o for o in audience if only is None or o in only]
            if only is not None and targets:
                session.execute(
                    delete(access_grants).where(
                        access_grants.c.consent_id == consent.consent_id,
                        access_grants.c.organisation_id.in_(targets),
                    )
                )
            for organisation_id in targets:
                new_rows += grant_rows(
                    consent, member_rows[consent.member_id], organisation_id, periods[organisation_id]
                )
        if new_rows:
            session.execute(insert(access_grants), new_rows)


def valid_at(at: datetime, axis: str):  # type: ignore[no-untyped-def]
    return and_(
        access_grants.c.axis == axis,
        access_grants.c.valid_from <= at,
        or_(access_grants.c.valid_to.is_(None), access_grants.c.valid_to > at),
    )
