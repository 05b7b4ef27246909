"""Drawing an approved insight request's panel, and running a recorded draw again.

The pool is every member who, at the draw, lets the requesting organisation have
their panel answers for the request's purpose. The draw (domain/sortition) is
deterministic for the same pool, quotas, size and seed, so the record of those
lets anyone check the panel later: ``rerun_panel_draw``."""

import secrets
from dataclasses import dataclass
from uuid import UUID

from domain.actors import Actor
from domain.catalogue import PREFER_NOT_TO_SAY
from domain.errors import NotAllowedNow
from domain.insight_base import InsightBase, require_trustee
from domain.insight_requests import APPROVED, PanelCriteria
from domain.organisations import APPROVED as ORGANISATION_APPROVED
from domain.panel_seats import PanelSeat
from domain.sortition import ALGORITHM, QuotasCannotBeMet, draw_panel


@dataclass(frozen=True)
class PanelDrawn:
    size: int
    lowest: float
    highest: float
    seed: int
    algorithm: str
    pool_size: int


@dataclass(frozen=True)
class DrawCheck:
    matches: bool
    recorded: tuple[str, ...]
    rerun: tuple[str, ...]
    unreadable: int  # pool members erased since the draw: their attributes cannot be read
    reason: str = ""  # why it does not match, in one sentence ("" when it does)


class PanelDrawCommands(InsightBase):
    def draw_panel(self, request_id: UUID, actor: Actor) -> PanelDrawn:
        """Draw the panel of an approved request, seat each member drawn and announce it to them."""
        require_trustee(actor, "draw a panel")
        with self.command() as (session, now):
            request = self.insight_request(request_id)
            request.require(APPROVED, doing="have a panel drawn (only an approved request, once)")
            if request.closes_at <= now:
                raise NotAllowedNow(f"This insight request closed at {request.closes_at:%Y-%m-%d %H:%M} UTC.")
            organisation = self.organisation(request.organisation_id)  # type: ignore[attr-defined]
            if organisation.status != ORGANISATION_APPROVED:
                raise NotAllowedNow(f"{organisation.name} is {organisation.status}; no panel can be drawn for it now.")
            profiles = self.panel_reads.panel_pool(session, request.organisation_id, request.purpose, now)
            pool = {
                str(member_id): {
                    code: (profile or {}).get(code) or PREFER_NOT_TO_SAY for code in self.catalogue.profile
                }
                for member_id, profile in profiles.items()
            }
            criteria = PanelCriteria.from_dict(request.criteria)
            seed = secrets.randbits(63)
            drawn = draw_panel(pool, criteria.quotas, criteria.size, seed)
            sealed = {}
            for member, attributes in pool.items():
                member_id = UUID(member)
                sealed[member] = self.vault.seal(self.vault.key_for(session, member_id), member_id, attributes)
            request.record_draw(
                pool=sealed,
                quotas=request.criteria["quotas"],
                size=criteria.size,
                seed=seed,
                algorithm=drawn.algorithm,
                selected=list(drawn.selected),
                lowest=drawn.lowest,
                highest=drawn.highest,
                actor=str(actor),
            )
            seats = [PanelSeat(request_id=request_id, member_id=UUID(m), actor=str(actor)) for m in drawn.selected]
            text = (
                f"You have been chosen for a community panel: {request.title}. Your answers are counted only in "
                f"groups, never with your name. Send /panel to answer before {request.closes_at:%d %B %Y %H:%M} UTC."
            )
            announcement = self.new_announcement(  # type: ignore[attr-defined]
                session, now, text, actor, [UUID(m) for m in drawn.selected]
            )
            self.save(request, *seats, announcement)
        return PanelDrawn(criteria.size, drawn.lowest, drawn.highest, seed, drawn.algorithm, len(pool))

    def rerun_panel_draw(self, request_id: UUID) -> DrawCheck:
        """Run the recorded draw again from its recorded pool, quotas, size and seed."""
        with self.reading() as session:
            request = self.insight_request(request_id)
            if request.draw is None:
                raise NotAllowedNow("This insight request has no panel drawn yet.")
            pool, unreadable = self.unsealed_pool(session, request)
        draw = request.draw
        recorded = tuple(draw["selected"])
        if draw["algorithm"] != ALGORITHM:
            reason = f"The draw used {draw['algorithm']}, but this version of the trust draws with {ALGORITHM}."
            return DrawCheck(False, recorded, (), unreadable, reason)
        quotas = PanelCriteria.from_dict({"size": draw["size"], "quotas": draw["quotas"], "breakdown": []}).quotas
        try:
            rerun = tuple(draw_panel(pool, quotas, draw["size"], draw["seed"]).selected)
        except QuotasCannotBeMet as error:
            return DrawCheck(False, recorded, (), unreadable, f"The draw cannot be run again: {error}")
        if rerun == recorded:
            return DrawCheck(True, recorded, rerun, unreadable)
        why = (
            f"{unreadable} members of the recorded pool were erased since the draw, so it ran on a smaller pool."
            if unreadable
            else "The same recorded inputs chose a different panel."
        )
        return DrawCheck(False, recorded, rerun, unreadable, why)
