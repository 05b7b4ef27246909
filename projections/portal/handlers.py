"""A member's history shows each step of their portal sign-in: a link issued (by whom, until
when), a sign-in with it, a sign-out."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain.portal.model import PortalAccess
from projections.core.handlers import Step, handles
from projections.core.tables import timeline
from projections.core.wording import when

LINK_ISSUED, SIGNED_IN, SESSION_ENDED = "portal link issued", "portal sign-in", "portal session ended"
PORTAL_WORDS: dict[str, Callable[[dict], str]] = {
    LINK_ISSUED: lambda d: f"A one-time sign-in link to the portal was issued, working until {_until(d)}.",
    SIGNED_IN: lambda d: "Signed in to the portal with a one-time link (the link is used up).",
    SESSION_ENDED: lambda d: f"Portal session ended ({d.get('how', 'signed out')}).",
}


def _until(details: dict) -> str:
    return when(datetime.fromisoformat(details["expires_at"])) if details.get("expires_at") else "?"


def _row(step: Step, event: Any, what: str, details: dict) -> None:
    step.append(
        timeline,
        dict(
            position=step.position,
            member_id=event.member_id,
            what=what,
            details=details,
            actor=event.actor,
            effective_at=event.timestamp,
            recorded_at=event.timestamp,
        ),
    )


@handles(PortalAccess.LinkIssued)
def link_issued(step: Step, event: Any) -> None:
    _row(step, event, LINK_ISSUED, {"expires_at": event.expires_at.isoformat()})


@handles(PortalAccess.SignedIn)
def signed_in(step: Step, event: Any) -> None:
    _row(step, event, SIGNED_IN, {})


@handles(PortalAccess.SessionEnded)
def session_ended(step: Step, event: Any) -> None:
    _row(step, event, SESSION_ENDED, {"how": event.how})
