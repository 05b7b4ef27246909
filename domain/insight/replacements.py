"""Filling a seat a panel member leaves, from the panel's ordered reserve list.

When a panel member declines (in the chat, or a caseworker for them) the first reserve whose taking the
seat keeps every quota met is invited in the same command; members who left otherwise (ended the consent
the panel relies on, left the trust, were erased) are replaced when a trustee asks. Each replacement is
recorded on the request with its reason (PanelMemberReplaced), and when no reserve keeps the quotas the
seat is recorded as left empty, so the trustee sees why. Reserves who were erased, no longer let the
organisation have their panel answers, or were invited before, are passed over. Quotas are counted on
the attributes recorded with the draw, as the draw counted them."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.orm import Session

from domain.announcements.commands import AnnouncementCommands
from domain.insight.checks import HouseholdsIn
from domain.insight.lookups import PanelLookups, require_trustee
from domain.insight.model import PANEL_DRAWN, InsightRequest, PanelCriteria
from domain.insight.seats import DECLINED, PanelSeat
from domain.insight.sortition import first_suitable_reserve
from domain.kernel.actors import SCHEDULER, Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import NotAllowedNow
from domain.store.application import TrustApplication

DECLINED_REASON = "declined the invitation"
WITHDREW_REASON = "no longer lets the organisation have their panel answers"
ERASED_REASON = "had their data erased"


@dataclass(frozen=True)
class Replacement:
    leaver: str
    reserve: str | None  # None: no reserve keeps every quota met, the seat stays empty
    reason: str


class PanelReplacementCommands:
    def __init__(self, app: TrustApplication, announcements: "AnnouncementCommands", panels: "PanelLookups") -> None:
        self.app = app
        self.announcements = announcements
        self.panels = panels

    def fill_seat(
        self, session: Session, now: datetime, request: InsightRequest, leaver: str, reason: str, actor: Actor
    ) -> tuple[Replacement, list]:
        """Record who takes ``leaver``'s seat (inside the caller's command); the aggregates to save."""
        assert request.draw is not None
        pool = self.panels.pool_opened_on_demand(session, request)
        quotas = PanelCriteria.from_dict({**request.criteria, "quotas": request.draw["quotas"]}).quotas
        panel = request.panel_members
        passed = set(request.reserves_invited) | set(request.draw["selected"])
        households = HouseholdsIn(pool) if request.draw.get("one_per_household") else None
        while True:
            reserve = first_suitable_reserve(pool, quotas, panel, leaver, request.draw["reserves"], passed, households)
            if reserve is None or self._can_sit(session, request, UUID(reserve), now):
                break
            passed.add(reserve)
        request.replace_member(leaver, reserve, reason, str(actor))
        if reserve is None:
            return Replacement(leaver, None, reason), [request]
        seat = PanelSeat(request_id=request.id, member_id=UUID(reserve), actor=str(actor))
        text = (
            f"A seat has come free on a community panel and you are invited to take it: {request.title}. Your "
            f"answers are counted only in groups, never with your name. Send /panel to answer before "
            f"{uk_time(request.closes_at)}."
        )
        announcement = self.announcements.new_announcement(session, now, text, actor, [UUID(reserve)])
        return Replacement(leaver, reserve, reason), [request, seat, announcement]

    def _can_sit(self, session: Session, request: InsightRequest, member_id: UUID, now: datetime) -> bool:
        return (
            self.panels.seat(request.id, member_id) is None
            and self.app.vault.key_for(session, member_id) is not None
            and self.panels.still_consents(session, request, member_id, now)
        )

    def replace_members_who_left(self, request_id: UUID, actor: Actor) -> list[Replacement]:
        """A trustee, or the scheduler every few minutes, fills from the reserves the seats of panel
        members who left without declining: they ended the consent the panel relies on, left the trust
        or were erased. [] when none did."""
        if actor != SCHEDULER:
            require_trustee(actor, "invite reserves to a panel")
        elif not self._anyone_gone(request_id):
            return []  # the sweep's usual answer, found without taking the writer lock
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            request.require(PANEL_DRAWN, doing="have reserves invited (only while its panel is drawn)")
            if now >= request.closes_at:
                raise NotAllowedNow(f"This panel closed on {uk_time(request.closes_at)}; no reserve can join it now.")
            done, saved = [], []
            for member in list(request.panel_members):
                reason = self._why_gone(session, request, UUID(member), now)
                if reason:
                    replacement, aggregates = self.fill_seat(session, now, request, member, reason, actor)
                    done.append(replacement)
                    saved += [a for a in aggregates if a is not request]
            if done:
                self.app.save(request, *saved)
        return done

    def _anyone_gone(self, request_id: UUID) -> bool:
        """Whether a seated member left, read without the writer lock (the command checks again under it);
        True too when the panel is not open, so that the command says why."""
        with self.app.reading() as session:
            request = self.panels.insight_request(request_id)
            now = self.app.clock().astimezone(UTC)
            if request.status != PANEL_DRAWN or now >= request.closes_at:
                return True
            return any(self._why_gone(session, request, UUID(member), now) for member in request.panel_members)

    def _why_gone(self, session: Session, request: InsightRequest, member_id: UUID, now: datetime) -> str:
        seat = self.panels.seat(request.id, member_id)
        if seat is not None and seat.state == DECLINED:
            return DECLINED_REASON  # declined before reserves were drawn with panels
        if self.app.vault.key_for(session, member_id) is None:
            return ERASED_REASON
        if not self.panels.still_consents(session, request, member_id, now):
            return WITHDREW_REASON
        return ""
