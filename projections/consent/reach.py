"""Who could see what, read from the access model (access.py keeps it).

An organisation could see a category of a member's data at T when a consent period and an
open period of the same audience both cover T. Over a window, it could see it when the two
overlap each other and the window (intervals on a line share a point when each two of them do).
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, case, or_, select

from projections.consent.tables import consent_periods, organisation_periods

CP, OP = consent_periods.c, organisation_periods.c  # a consent's period, an organisation's open period


def audience(consent) -> str:  # type: ignore[no-untyped-def]
    """Whom a consent reaches: one organisation, or every organisation of a kind."""
    if consent.audience_organisation_id:
        return f"organisation:{consent.audience_organisation_id}"
    return f"kind:{consent.audience_kind}"


def audiences(organisation_id: UUID, kind: str) -> tuple[str, str]:
    """The two audiences an organisation is reached by: its own, and its kind's."""
    return f"organisation:{organisation_id}", f"kind:{kind}"


STARTS = case((CP.valid_from >= OP.valid_from, CP.valid_from), else_=OP.valid_from).label("valid_from")
ENDS = case(
    (CP.valid_to.is_(None), OP.valid_to),
    (OP.valid_to.is_(None), CP.valid_to),
    (CP.valid_to <= OP.valid_to, CP.valid_to),
    else_=OP.valid_to,
).label("valid_to")


def reach(axis: str):  # type: ignore[no-untyped-def]
    """Every (consent, organisation, category) on one axis, with the interval in which the consent let
    that organisation see the category (``valid_from``, ``valid_to``): narrow it with ``covering`` or ``meeting``
    and the caller's own conditions on ``CP`` (the consent's period) and ``OP`` (the organisation's)."""
    return (
        select(CP.consent_id, CP.member_id, CP.purpose, CP.category, OP.organisation_id, STARTS, ENDS)
        .select_from(consent_periods.join(organisation_periods, and_(OP.audience == CP.audience, OP.axis == CP.axis)))
        .where(CP.axis == axis)
    )


def covering(moment: datetime):  # type: ignore[no-untyped-def]
    """Both periods cover the moment."""
    return and_(_covers(CP, moment), _covers(OP, moment))


def meeting(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    """The consent's and the organisation's periods meet inside [start, end)."""
    return and_(
        _overlaps(CP, start, end),
        _overlaps(OP, start, end),
        or_(OP.valid_to.is_(None), CP.valid_from < OP.valid_to),
        or_(CP.valid_to.is_(None), OP.valid_from < CP.valid_to),
    )


def _covers(columns, moment: datetime):  # type: ignore[no-untyped-def]
    return and_(columns.valid_from <= moment, or_(columns.valid_to.is_(None), columns.valid_to > moment))


def _overlaps(columns, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return and_(columns.valid_from < end, or_(columns.valid_to.is_(None), columns.valid_to > start))
