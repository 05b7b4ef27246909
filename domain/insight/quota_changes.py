"""When no panel meets an approved request's quotas: the nearest quotas that can be met, shown to a
trustee, who may accept them as a new recorded decision (QuotasAdjusted: who, when, each change) and
then draw. The proposal is worked out from the pool as it is now; accepting works it out again and
refuses if it is no longer the one the trustee saw (the pool changed meanwhile), so what is recorded is
always what was shown."""

from dataclasses import dataclass
from datetime import UTC
from uuid import UUID

from domain.insight.checks import HouseholdsIn
from domain.insight.draws import PanelDrawCommands
from domain.insight.lookups import PanelLookups, require_trustee
from domain.insight.model import APPROVED, InsightRequest, PanelCriteria
from domain.insight.sortition import Quota, QuotaChange, nearest_quotas, time_limit
from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
from domain.store.application import TrustApplication


@dataclass(frozen=True)
class NearestQuotas:
    changes: tuple[QuotaChange, ...]  # () when the quotas can already be met
    quotas: tuple[Quota, ...]  # every quota, in the request's order, as they would be
    proposal: str  # the whole proposal in one line, which accepting it must give back

    @property
    def needed(self) -> bool:
        return bool(self.changes)


def _line(quotas: tuple[Quota, ...]) -> str:
    return "; ".join(f"{q.attribute}={q.value}:{q.minimum}-{q.maximum}" for q in quotas)


class QuotaChangeCommands:
    def __init__(self, app: TrustApplication, panels: "PanelLookups", draws: "PanelDrawCommands") -> None:
        self.app = app
        self.panels = panels
        self.draws = draws

    def _nearest(self, session, request: InsightRequest) -> NearestQuotas:  # type: ignore[no-untyped-def]
        request.require(APPROVED, doing="have its quotas changed (only an approved request, before its draw)")
        pool = self.draws.draw_pool(session, request, self.app.clock().astimezone(UTC))
        criteria = PanelCriteria.from_dict(request.criteria)
        with time_limit(self.draws.panel_draw_seconds):
            households = HouseholdsIn(pool) if criteria.one_per_household else None  # as the draw will
            nearest, changes = nearest_quotas(pool, criteria.quotas, criteria.size, households)
        by_name = {(q.attribute, q.value): q for q in nearest}
        quotas = tuple(by_name[(q.attribute, q.value)] for q in criteria.quotas)  # the request's own order
        return NearestQuotas(tuple(changes), quotas, _line(quotas))

    def nearest_quotas(self, request_id: UUID) -> NearestQuotas:
        """The nearest quotas a panel from the pool as it is now can meet (no change when they can already)."""
        with self.app.reading() as session:
            return self._nearest(session, self.panels.insight_request(request_id))

    def accept_nearest_quotas(self, request_id: UUID, proposal: str, actor: Actor) -> NearestQuotas:
        """Record the nearest quotas as the request's quotas: a trustee's decision, only the one shown."""
        require_trustee(actor, "change a request's quotas")
        with self.app.command() as (session, _now):
            request = self.panels.insight_request(request_id)
            found = self._nearest(session, request)
            if not found.needed:
                raise NotAllowedNow("The request's quotas can be met as they are; nothing was changed.")
            if proposal != found.proposal:
                raise NotAllowedNow(
                    "The pool has changed since those quotas were worked out, so they are no longer the nearest; "
                    "nothing was changed. Look at the new proposal and accept it if it suits."
                )
            quotas = PanelCriteria(0, found.quotas).as_dict()["quotas"]
            request.adjust_quotas(quotas, [str(change) for change in found.changes], str(actor))
            self.app.save(request)
        return found
