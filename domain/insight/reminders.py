"""One reminder to a panel before its insight request closes.

The scheduler calls ``remind_panel`` at ``reminder_time``: the members still on the
panel who have neither answered nor left it, and still let the organisation have
their panel answers, are sent one announcement. The request records that it was
reminded (and how many), so a panel is reminded at most once."""

from datetime import datetime, timedelta
from uuid import UUID

from domain.announcements.commands import AnnouncementCommands
from domain.insight.lookups import PanelLookups
from domain.insight.model import PANEL_DRAWN
from domain.insight.seats import INVITED
from domain.kernel.actors import Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import NotAllowedNow
from domain.store.application import TrustApplication

REMINDER_BEFORE = timedelta(hours=48)
MAY_REMIND = ("scheduler", "trustee", "operator")


def reminder_time(drawn_at: datetime, closes_at: datetime) -> datetime:
    """48 hours before the close, or halfway from the draw to the close for a shorter panel."""
    return closes_at - min(REMINDER_BEFORE, (closes_at - drawn_at) / 2)


def reminder_text(title: str, closes_at: datetime) -> str:
    return (
        f"A reminder: the community panel “{title}” closes on {uk_time(closes_at)}. "
        "Send /panel to answer; your answers are only counted in groups."
    )


class PanelReminderCommands:
    def __init__(self, app: TrustApplication, announcements: "AnnouncementCommands", panels: "PanelLookups") -> None:
        self.app = app
        self.announcements = announcements
        self.panels = panels

    def remind_panel(self, request_id: UUID, actor: Actor) -> int:
        """Remind, once, the panel members who have not answered yet; returns how many."""
        if actor.role not in MAY_REMIND:
            raise NotAllowedNow("Only the scheduler or a trustee can remind a panel.")
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            if request.status != PANEL_DRAWN:
                raise NotAllowedNow(f"This insight request is {request.status}; only a drawn, open panel is reminded.")
            if request.reminded is not None:
                raise NotAllowedNow("This panel has already been reminded.")
            if now >= request.closes_at:
                raise NotAllowedNow(f"This panel closed on {uk_time(request.closes_at)}; it is too late to remind it.")
            assert request.draw is not None
            waiting = []
            for member in request.panel_members:
                member_id = UUID(member)
                seat = self.panels.seat(request.id, member_id)
                if seat is None or seat.state != INVITED or self.app.vault.key_for(session, member_id) is None:
                    continue
                if self.panels.still_consents(session, request, member_id, now):
                    waiting.append(member_id)
            request.remind(len(waiting), str(actor))
            if waiting:
                text = reminder_text(request.title, request.closes_at)
                announcement = self.announcements.new_announcement(session, now, text, actor, waiting)
                self.app.save(request, announcement)
            else:
                self.app.save(request)
        return len(waiting)
