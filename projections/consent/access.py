"""The access model: who could see what, from consents, member status and organisation status,
as validity intervals on both time axes.

It keeps two sets of periods (tables.py), each recomputed here only for what an event touched:

- a consent's periods: in force, and its member in the trust (a member leaving touches only
  their own consents);
- an organisation's open periods: approved and not suspended (suspending one, or approving a
  new one of a kind, touches only that organisation's few rows).

Reading them together, at read time, is reach.py.
"""

from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace
from uuid import UUID

from sqlalchemy import Connection, and_, bindparam, delete, or_, select
from sqlalchemy.orm import Session

from domain.kernel.batches import batches
from projections.consent.reach import CP, OP, audience, audiences
from projections.consent.tables import consent_periods, consents, organisation_periods
from projections.core.bulk import insert_rows
from projections.core.handlers import Dirty
from projections.core.intervals import AXES, Fact, fact, intersect, span, switched
from projections.core.working import Working
from projections.membership.tables import members
from projections.organisations.tables import organisation_changes, organisations


def consent_intervals(consent, axis: str):  # type: ignore[no-untyped-def]
    granted = fact(consent.granted_eff, consent.granted_rec)
    ended = fact(consent.ended_eff, consent.ended_rec)
    return span(granted, ended, axis, hard_end=consent.expires_at)


def member_intervals(member, axis: str):  # type: ignore[no-untyped-def]
    return span(fact(member.confirmed_eff, member.confirmed_rec), fact(member.ended_eff, member.ended_rec), axis)


def organisation_intervals(changes, axis: str):  # type: ignore[no-untyped-def]
    return switched(((Fact(c.eff, c.rec), c.change != "suspended") for c in changes), axis)


def consent_rows(consent, member) -> list[dict]:  # type: ignore[no-untyped-def]
    """Pure: the periods in which one consent worked, per category and axis (``member``: anything with
    the member's confirmed_* and ended_* times)."""
    rows = []
    for axis in AXES:
        for start, end in intersect(consent_intervals(consent, axis), member_intervals(member, axis)):
            for category in consent.categories:
                rows.append(
                    {
                        "consent_id": consent.consent_id,
                        "member_id": consent.member_id,
                        "purpose": consent.purpose,
                        "category": category,
                        "audience": audience(consent),
                        "axis": axis,
                        "valid_from": start,
                        "valid_to": end,
                    }
                )
    return rows


def open_rows(organisation_id: UUID, kind: str, changes: list) -> list[dict]:
    """Pure: the periods in which one organisation was open to consents, under both its audiences."""
    return [
        {"organisation_id": organisation_id, "audience": name, "axis": axis, "valid_from": start, "valid_to": end}
        for axis in AXES
        for start, end in organisation_intervals(changes, axis)
        for name in audiences(organisation_id, kind)
    ]


CONSENTS_OF = select(consents.c.consent_id).where(consents.c.member_id.in_(bindparam("ids", expanding=True)))
REPLACED = delete(consent_periods).where(CP.consent_id.in_(bindparam("ids", expanding=True)))


def recompute(session: Session | Connection, dirty: Dirty, working: Working) -> None:
    """Replace the periods of the consents and organisations that events touched. A consent's row and its
    member's come from the working set the events left (read in bulk where it does not hold them)."""
    _consents(session, dirty, working)
    _organisations(session, dirty)


def _consents(session: Session | Connection, dirty: Dirty, working: Working) -> None:
    touched = set(dirty.consents)
    if dirty.members:  # a member's status changed: each of their consents
        held = working.held_where(consents, "member_id", dirty.members)
        if held is not None:
            touched.update(row["consent_id"] for row in held)
        else:
            for chunk in batches(dirty.members):
                touched.update(session.execute(CONSENTS_OF, {"ids": chunk}).scalars())
    for chunk in batches(touched):
        given_before = [consent_id for consent_id in chunk if consent_id not in dirty.new]
        if given_before:
            session.execute(REPLACED, {"ids": given_before})
        found = working.rows_of(consents, chunk).values()
        member = working.rows_of(members, {consent["member_id"] for consent in found})
        rows = (
            row
            for consent in found
            if consent["member_id"] in member
            for row in consent_rows(SimpleNamespace(**consent), SimpleNamespace(**member[consent["member_id"]]))
        )
        _insert(session, consent_periods, rows)


def _organisations(session: Session | Connection, dirty: Dirty) -> None:
    """Each organisation's open periods from its earliest change since the last recompute on."""
    for chunk in batches(dirty.organisations):
        since = {organisation_id: dirty.organisations[organisation_id] for organisation_id in chunk}
        for organisation_id, at in since.items():
            session.execute(ENDING_AFTER, {"organisation_id": organisation_id, **_after(at)})
        kinds = dict(
            session.execute(
                select(organisations.c.organisation_id, organisations.c.kind).where(
                    organisations.c.organisation_id.in_(chunk)
                )
            ).all()
        )
        changes: dict[UUID, list] = {organisation_id: [] for organisation_id in kinds}
        for change in session.execute(
            select(organisation_changes)
            .where(organisation_changes.c.organisation_id.in_(chunk))
            .order_by(organisation_changes.c.position)
        ):
            changes[change.organisation_id].append(change)
        rows = (row for o, c in changes.items() for row in open_rows(o, kinds[o], c) if _ends_after(row, since[o]))
        _insert(session, organisation_periods, rows)


# An organisation's open periods that a change at these times (one per axis) can alter: those still open
# or ending at or after it (a suspension ends the open one there). Those ending earlier stand.
ENDING_AFTER = delete(organisation_periods).where(
    OP.organisation_id == bindparam("organisation_id"),
    or_(
        *(and_(OP.axis == axis, or_(OP.valid_to.is_(None), OP.valid_to >= bindparam(f"after_{axis}"))) for axis in AXES)
    ),
)


def _after(at: dict[str, datetime]) -> dict[str, datetime]:
    return {f"after_{axis}": at[axis] for axis in AXES}


def _ends_after(row: dict, since: dict[str, datetime]) -> bool:
    return row["valid_to"] is None or row["valid_to"] >= since[row["axis"]]


def _insert(session: Session | Connection, table, rows: Iterable[dict]) -> None:  # type: ignore[no-untyped-def]
    connection = session.connection() if isinstance(session, Session) else session
    insert_rows(connection, table, list(rows))
