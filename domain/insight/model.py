"""An organisation's insight request: the questions it asks a community panel, the
panel it wants (size, quotas, the breakdown it would like to see) and the fee it
offers; a trustee's review; the recorded draw; one reminder to the panel (how
many were reminded); the anonymised result at the close; the free text a trustee
released; payments.

The draw records everything needed to run it again: the pool (each member's id
with their attributes sealed under their own key), quotas, size, seed, algorithm,
the solver and its version, whom it chose and the ordered reserve list (member ids
only), with the draw report (lowest and highest chance, Gini, how many below half
of k/n). A panel member who leaves is replaced by a reserve (PanelMemberReplaced,
with the reason; no reserve when none keeps the quotas). Quotas no panel can meet
may be changed, before the draw, to the nearest ones that can (QuotasAdjusted).
The Closed event records the release and which members counted."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.insight.sortition import Quota
from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

SUBMITTED, CHANGES_REQUESTED, APPROVED, REJECTED = "submitted", "changes-requested", "approved", "rejected"
PANEL_DRAWN, CLOSED = "panel-drawn", "closed"
STATUSES = (SUBMITTED, CHANGES_REQUESTED, APPROVED, REJECTED, PANEL_DRAWN, CLOSED)
DECISIONS = {"approve": APPROVED, "changes": CHANGES_REQUESTED, "reject": REJECTED}


@dataclass(frozen=True)
class PanelCriteria:
    size: int
    quotas: tuple[Quota, ...] = ()
    breakdown: tuple[str, ...] = ()
    one_per_household: bool = True  # at most one member of a household (as the trust records them) on the panel

    def as_dict(self) -> dict:
        quotas = [dict(attribute=q.attribute, value=q.value, minimum=q.minimum, maximum=q.maximum) for q in self.quotas]
        return {
            "size": self.size,
            "quotas": quotas,
            "breakdown": list(self.breakdown),
            "one_per_household": self.one_per_household,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "PanelCriteria":
        quotas = tuple(Quota(q["attribute"], q["value"], q["minimum"], q["maximum"]) for q in data["quotas"])
        # requests recorded before households were could not ask for the rule: they keep drawing without it
        return cls(data["size"], quotas, tuple(data["breakdown"]), bool(data.get("one_per_household", False)))


class InsightRequest(TrustAggregate):
    @event("Submitted")
    def __init__(
        self,
        organisation_id: UUID,
        title: str,
        purpose: str,
        questions: list[dict],
        criteria: dict,
        fee_offered_pence: int,
        closes_at: datetime,
        actor: str,
    ):
        self.organisation_id = organisation_id
        self.purpose = purpose
        self._set(title, questions, criteria, fee_offered_pence, closes_at)
        self.status = SUBMITTED
        self.draw: dict | None = None
        self.result: dict | None = None
        self.counted: list[str] = []
        self.free_text: dict | None = None
        self.paid_pence = 0
        self.reminded: int | None = None  # how many panel members were reminded, once
        self.replacements: list[dict] = []  # leaver, reserve (None: no reserve kept the quotas), reason

    def _set(self, title: str, questions: list[dict], criteria: dict, fee: int, closes_at: datetime) -> None:
        self.title, self.questions, self.criteria = title, questions, criteria
        self.fee_offered_pence, self.closes_at = fee, closes_at

    def require(self, *statuses: str, doing: str) -> None:
        if self.status not in statuses:
            raise NotAllowedNow(f"This insight request is {self.status}; it cannot {doing} now.")

    def revise(self, title: str, questions: list[dict], criteria: dict, fee: int, closes_at: datetime, actor: str):  # type: ignore[no-untyped-def]
        self.require(CHANGES_REQUESTED, doing="be revised (only after a trustee asks for changes)")
        self._revised(
            title=title, questions=questions, criteria=criteria, fee_offered_pence=fee, closes_at=closes_at, actor=actor
        )

    @event("Revised")
    def _revised(
        self, title: str, questions: list[dict], criteria: dict, fee_offered_pence: int, closes_at: datetime, actor: str
    ) -> None:
        self._set(title, questions, criteria, fee_offered_pence, closes_at)
        self.status = SUBMITTED

    def review(self, decision: str, reason: str, actor: str) -> None:
        self.require(SUBMITTED, doing="be reviewed")
        self._reviewed(decision=decision, reason=reason, actor=actor)

    @event("Reviewed")
    def _reviewed(self, decision: str, reason: str, actor: str) -> None:
        self.status = DECISIONS[decision]

    def record_draw(self, **draw) -> None:  # type: ignore[no-untyped-def]
        self.require(APPROVED, doing="have a panel drawn (only an approved request, once)")
        self._panel_drawn(**draw)

    @event("PanelDrawn")
    def _panel_drawn(
        self,
        pool: dict[str, str],  # member id -> their attributes, sealed under their key
        quotas: list[dict],
        size: int,
        seed: int,
        algorithm: str,
        selected: list[str],
        lowest: float,
        highest: float,
        actor: str,
        gini: float | None = None,  # the draw report's; draws recorded before it have none
        below_half: int | None = None,
        solver: str = "",  # "HiGHS 1.16.0 (highspy 1.16.0)"; "" for draws recorded before it was
        reserves: list[str] | None = None,  # member ids, in the order they are asked to take a seat
        one_per_household: bool = False,  # draws recorded before households were: the rule did not apply
    ) -> None:
        self.status = PANEL_DRAWN
        self.draw = dict(pool=pool, quotas=quotas, size=size, seed=seed, algorithm=algorithm, selected=selected)
        self.draw.update(lowest=lowest, highest=highest, gini=gini, below_half=below_half, solver=solver)
        self.draw.update(reserves=list(reserves or []), one_per_household=one_per_household)

    @property
    def panel_members(self) -> list[str]:
        """Who sits on the panel now: those drawn, each leaver replaced by their reserve (or by nobody)."""
        members = list(self.draw["selected"]) if self.draw else []
        for change in self.replacements:
            members.remove(change["leaver"])
            if change["reserve"]:
                members.append(change["reserve"])
        return members

    @property
    def reserves_invited(self) -> set[str]:
        return {change["reserve"] for change in self.replacements if change["reserve"]}

    def replace_member(self, leaver: str, reserve: str | None, reason: str, actor: str) -> None:
        self.require(PANEL_DRAWN, doing="have a panel member replaced (only while its panel is drawn and open)")
        assert self.draw is not None
        if leaver not in self.panel_members:
            raise NotAllowedNow("This member is not on this panel, so there is no seat of theirs to fill.")
        if reserve is not None and (reserve not in self.draw["reserves"] or reserve in self.reserves_invited):
            raise NotAllowedNow("Only a reserve of this panel not yet invited can take a seat.")
        self._panel_member_replaced(leaver=leaver, reserve=reserve, reason=reason, actor=actor)

    @event("PanelMemberReplaced")
    def _panel_member_replaced(self, leaver: str, reserve: str | None, reason: str, actor: str) -> None:
        self.replacements.append(dict(leaver=leaver, reserve=reserve, reason=reason))

    def adjust_quotas(self, quotas: list[dict], changes: list[str], actor: str) -> None:
        self.require(APPROVED, doing="have its quotas changed (only an approved request, before its draw)")
        self._quotas_adjusted(quotas=quotas, changes=changes, actor=actor)

    @event("QuotasAdjusted")
    def _quotas_adjusted(self, quotas: list[dict], changes: list[str], actor: str) -> None:
        self.criteria = {**self.criteria, "quotas": quotas}

    def remind(self, count: int, actor: str) -> None:
        self.require(PANEL_DRAWN, doing="have its panel reminded (only once its panel is drawn)")
        if self.reminded is not None:
            raise NotAllowedNow("This panel has already been reminded.")
        self._reminded(count=count, actor=actor)

    @event("Reminded")
    def _reminded(self, count: int, actor: str) -> None:
        self.reminded = count

    def close(self, release: dict, counted: list[str], actor: str) -> None:
        self.require(PANEL_DRAWN, doing="be closed (only once its panel is drawn)")
        self._closed(release=release, counted=counted, actor=actor)

    @event("Closed")
    def _closed(self, release: dict, counted: list[str], actor: str) -> None:
        self.status = CLOSED
        self.result = release
        self.counted = counted

    def release_free_text(self, texts: dict[str, list[str]], actor: str) -> None:
        self.require(CLOSED, doing="release free text (only after the close)")
        self._free_text_released(texts=texts, actor=actor)

    @event("FreeTextReleased")
    def _free_text_released(self, texts: dict[str, list[str]], actor: str) -> None:
        self.free_text = texts

    def record_payment(self, amount_pence: int, reference: str, actor: str) -> None:
        if self.status in (REJECTED,):
            raise NotAllowedNow("This insight request was rejected; no payment is due for it.")
        self._payment_recorded(amount_pence=amount_pence, reference=reference, actor=actor)

    @event("PaymentRecorded")
    def _payment_recorded(self, amount_pence: int, reference: str, actor: str) -> None:
        self.paid_pence += amount_pence
