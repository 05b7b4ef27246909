"""Who a panel can be drawn from, which panels a member sits on, and the roster's
reaction to withdrawals: while a panel is open, a seated member who ends the
consent it relies on (or leaves the trust) shows as "withdrew" from that moment."""

from datetime import datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from domain.consent.model import Consent
from domain.insight.checks import HOUSEHOLD
from domain.membership.model import Member
from domain.sealing.vault import Vault
from projections.consent.reach import CP, OP, covering, reach
from projections.consent.tables import consents
from projections.core.handlers import Step, handles
from projections.core.personal import household_of, opened, profile_of
from projections.insight.handlers import seat_changed
from projections.insight.tables import insight_requests, panel_seats
from projections.membership.tables import members
from projections.organisations.tables import organisations

PANEL_CATEGORY = "panel-answers"
STILL_SEATED = ("invited", "answered")


def panel_pool(
    session: Session | Connection, vault: Vault, organisation_id: UUID, purpose: str, at: datetime
) -> dict[UUID, dict[str, str]]:
    """Members whose consent (recorded axis, at ``at``) lets the organisation have their panel
    answers for the purpose, with their profile answers (missing ones are left to the caller) and
    household key, if any."""
    allowed = (
        reach("recorded")
        .with_only_columns(CP.member_id)
        .where(
            OP.organisation_id == organisation_id,
            CP.purpose == purpose,
            CP.category == PANEL_CATEGORY,
            covering(at),
        )
        .distinct()
    )
    rows = session.execute(select(members.c.member_id, members.c.personal).where(members.c.member_id.in_(allowed)))
    return {member_id: _attributes(personal) for member_id, personal in opened(vault, session, rows).items()}


def _attributes(personal: dict) -> dict[str, str]:
    """The profile answers, and the household's key (under HOUSEHOLD) when one is recorded."""
    household = household_of(personal)
    return {**profile_of(personal), HOUSEHOLD: household} if household else profile_of(personal)


def panels_of(session: Session | Connection, member_id: UUID) -> list[UUID]:
    rows = session.execute(select(panel_seats.c.request_id).where(panel_seats.c.member_id == member_id))
    return [row.request_id for row in rows]


def _covers(consent: Any, organisation_id: UUID, kind: str) -> bool:
    return consent.audience_organisation_id == organisation_id or consent.audience_kind == kind


OPEN_SEATS = (  # built once: every consent that ends asks it
    select(
        panel_seats.c.request_id,
        insight_requests.c.purpose,
        insight_requests.c.organisation_id,
        organisations.c.kind,
    )
    .join(insight_requests, insight_requests.c.request_id == panel_seats.c.request_id)
    .join(organisations, organisations.c.organisation_id == insight_requests.c.organisation_id)
    .where(
        panel_seats.c.member_id == bindparam("member_id"),
        panel_seats.c.state.in_(STILL_SEATED),
        insight_requests.c.status == "panel-drawn",
        insight_requests.c.closes_at > bindparam("at"),
    )
)


def _open_seats(step: Step, member_id: UUID, at: datetime) -> list[Any]:
    return step.session.execute(OPEN_SEATS, {"member_id": member_id, "at": at}).all()


@handles(Consent.Revoked, Consent.Expired, working=True)
def consent_ended(step: Step, event: Any) -> None:
    ended = step.row(consents, event.originator_id)
    if PANEL_CATEGORY not in ended["categories"]:
        return
    at = event.timestamp
    seats = [s for s in _open_seats(step, ended["member_id"], at) if s.purpose == ended["purpose"]]
    if not seats:
        return
    ended = SimpleNamespace(**ended)  # (as the other consents' rows read: by attribute)
    step.settle()  # the member's other consents are read by a statement
    others = step.session.execute(
        select(consents).where(
            consents.c.member_id == ended.member_id,
            consents.c.purpose == ended.purpose,
            consents.c.consent_id != ended.consent_id,
            consents.c.ended_rec.is_(None),
        )
    ).all()
    others = [c for c in others if PANEL_CATEGORY in c.categories and (c.expires_at is None or c.expires_at > at)]
    for seat in seats:
        covered = _covers(ended, seat.organisation_id, seat.kind)
        if covered and not any(_covers(c, seat.organisation_id, seat.kind) for c in others):
            seat_changed(step, seat.request_id, ended.member_id, "withdrew", at)


@handles(Member.Left, Member.Erased, working=True)
def member_gone(step: Step, event: Any) -> None:
    for seat in _open_seats(step, event.originator_id, event.timestamp):
        seat_changed(step, seat.request_id, event.originator_id, "withdrew", event.timestamp)
