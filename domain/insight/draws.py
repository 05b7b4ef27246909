"""Drawing an approved insight request's panel, and running a recorded draw again.

The pool is every member who, at the draw, lets the requesting organisation have
their panel answers for the request's purpose. The draw (domain/insight/sortition) is
deterministic for the same pool, quotas, size and seed, so the record of those
lets anyone check the panel later: ``rerun_panel_draw``.

The draw never stalls the store: the request and the pool are read in a read
transaction, the lottery is computed with no lock held (within a time limit,
``panel_draw_seconds``), and only recording it is a command, a short one that
first checks nothing the draw relied on changed meanwhile (the request, the
pool and each pool member's attributes). If something did, the draw is computed
again from the new pool, a few times at most, all within the one time limit; it
is never recorded against a pool that is no longer the pool."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.orm import Session

from domain.announcements.commands import AnnouncementCommands
from domain.insight.checks import HouseholdsIn, pool_attributes
from domain.insight.lookups import PanelLookups, require_trustee
from domain.insight.model import APPROVED, InsightRequest, PanelCriteria
from domain.insight.seats import PanelSeat
from domain.insight.sortition import (
    ALGORITHM,
    Draw,
    QuotasCannotBeMet,
    draw_panel,
    draw_report,
    reserve_order,
    solver_name,
    time_limit,
)
from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

DRAW_SECONDS = 20.0  # the default time limit on computing one draw (DATATRUST_PANEL_DRAW_SECONDS)
MAX_DRAW_SECONDS = 600  # the longest a trust may let a draw compute (its trustee waits for the answer)
ATTEMPTS = 3  # a pool that changed while the draw was computed is drawn again, at most this often in all


@dataclass(frozen=True)
class PanelDrawn:
    size: int
    lowest: float
    highest: float
    seed: int
    algorithm: str
    pool_size: int
    gini: float = 0.0
    below_half: int = 0  # members whose chance is below half of size / pool_size
    solver: str = ""
    reserves: int = 0


@dataclass(frozen=True)
class DrawCheck:
    matches: bool
    recorded: tuple[str, ...]
    rerun: tuple[str, ...]
    unreadable: int  # pool members erased since the draw: their attributes cannot be read
    reason: str = ""  # why it does not match, in one sentence ("" when it does)
    solver_note: str = ""  # when the re-run's solver differs from the recorded one, a sentence saying so
    reserves_match: bool | None = None  # the reserve list drawn again is the recorded one (None: not compared)


@dataclass(frozen=True)
class PoolSize:
    members: int  # who could be asked now: they let the organisation have their panel answers for the purpose
    panel_size: int  # how many the request asks for
    min_cell: int  # the live minimum cell size: smaller groups are never reported

    @property
    def problem(self) -> str:
        """Why a panel from this pool cannot be what was asked, in one sentence ("" when it can)."""
        if self.members == 0:
            return "No member could be asked now: nobody lets this organisation have their panel answers for it."
        if self.members < self.panel_size:
            return f"Only {self.members} could be asked now, fewer than the panel size of {self.panel_size}."
        if self.panel_size < self.min_cell:
            return f"A panel of {self.panel_size} is smaller than the minimum cell size of {self.min_cell}."
        return ""


@dataclass(frozen=True)
class _Read:
    """What a draw is computed from, as read outside the writer lock."""

    version: int  # the request's, so a change to it (a revision, another draw) is noticed
    pool: dict[str, dict[str, str]]  # member id -> their attributes
    sealed: dict[str, str]  # the same, each sealed under the member's key, for the record
    criteria: PanelCriteria


class _PoolChanged(Exception):
    """Raised inside the recording command to roll it back: the draw is computed again."""


class PanelDrawCommands:
    def __init__(
        self,
        app: TrustApplication,
        organisations: "OrganisationCommands",
        announcements: "AnnouncementCommands",
        panels: "PanelLookups",
    ) -> None:
        self.app = app
        self.organisations = organisations
        self.announcements = announcements
        self.panels = panels

    panel_draw_seconds: float = DRAW_SECONDS

    def draw_panel(self, request_id: UUID, actor: Actor) -> PanelDrawn:
        """Draw the panel of an approved request, seat each member drawn and announce it to them."""
        require_trustee(actor, "draw a panel")
        with time_limit(self.panel_draw_seconds):
            for _attempt in range(ATTEMPTS):
                read = self._read_for_draw(request_id)
                seed = secrets.randbits(63)
                households = HouseholdsIn(read.pool) if read.criteria.one_per_household else None
                drawn = draw_panel(read.pool, read.criteria.quotas, read.criteria.size, seed, households)
                reserves = reserve_order(list(read.pool), drawn.selected, seed)
                try:
                    self._record_draw(request_id, read, drawn, reserves, actor)
                except _PoolChanged:
                    continue
                size = read.criteria.size
                report = draw_report(drawn.probabilities, size)
                return PanelDrawn(
                    size,
                    drawn.lowest,
                    drawn.highest,
                    seed,
                    drawn.algorithm,
                    len(read.pool),
                    report.gini,
                    report.below_half,
                    solver_name(),
                    len(reserves),
                )
        raise NotAllowedNow(
            "The pool changed each time while the panel was being drawn (members joining, withdrawing or "
            "changing their answers); nothing was recorded. Please draw again."
        )

    def draw_pool(self, session: Session, request: InsightRequest, at: datetime) -> dict[str, dict[str, str]]:
        """Who the panel is drawn from at ``at``, with their attributes (the one read of members' profiles)."""
        profiles = self.panels.panel_reads.panel_pool(session, request.organisation_id, request.purpose, at)
        return {str(member_id): pool_attributes(self.app.catalogue, profile) for member_id, profile in profiles.items()}

    def _drawable(self, request: InsightRequest, now: datetime) -> None:
        request.require(APPROVED, doing="have a panel drawn (only an approved request, once)")
        if request.closes_at <= now:
            raise NotAllowedNow(f"This insight request closed at {request.closes_at:%Y-%m-%d %H:%M} UTC.")
        organisation = self.organisations.organisation(request.organisation_id)
        if not organisation.is_approved:
            raise NotAllowedNow(f"{organisation.name} is {organisation.status}; no panel can be drawn for it now.")

    def _read_for_draw(self, request_id: UUID) -> _Read:
        """The request and its pool, checked, read without the writer lock."""
        with self.app.reading() as session:
            now = self.app.clock().astimezone(UTC)
            request = self.panels.insight_request(request_id)
            self._drawable(request, now)
            pool = self.draw_pool(session, request, now)
            sealed = {}
            for member, attributes in pool.items():
                member_id = UUID(member)
                sealed[member] = self.app.vault.seal(self.app.vault.key_for(session, member_id), member_id, attributes)
            return _Read(request.version, pool, sealed, PanelCriteria.from_dict(request.criteria))

    def _record_draw(self, request_id: UUID, read: _Read, drawn: Draw, reserves: list[str], actor: Actor) -> None:
        """Record the draw computed from ``read``: a short command; _PoolChanged if what it read changed."""
        with self.app.command() as (session, now):
            request = self.panels.insight_request(request_id)
            self._drawable(request, now)
            if request.version != read.version or self.draw_pool(session, request, now) != read.pool:
                raise _PoolChanged()
            report = draw_report(drawn.probabilities, read.criteria.size)
            request.record_draw(
                pool=read.sealed,
                quotas=request.criteria["quotas"],
                size=read.criteria.size,
                seed=drawn.seed,
                algorithm=drawn.algorithm,
                selected=list(drawn.selected),
                lowest=drawn.lowest,
                highest=drawn.highest,
                actor=str(actor),
                gini=report.gini,
                below_half=report.below_half,
                solver=solver_name(),
                reserves=reserves,
                one_per_household=read.criteria.one_per_household,
            )
            seats = [PanelSeat(request_id=request_id, member_id=UUID(m), actor=str(actor)) for m in drawn.selected]
            text = (
                f"You have been chosen for a community panel: {request.title}. Your answers are counted only in "
                f"groups, never with your name. Send /panel to answer before {request.closes_at:%d %B %Y %H:%M} UTC."
            )
            announcement = self.announcements.new_announcement(
                session, now, text, actor, [UUID(m) for m in drawn.selected]
            )
            self.app.save(request, *seats, announcement)

    def panel_pool_size(self, request_id: UUID) -> PoolSize:
        """How many members could be asked now (the pool a draw at this moment would use), beside
        the panel size asked for and the live minimum cell size: what a trustee weighs before approving."""
        with self.app.reading() as session:
            now = self.app.clock().astimezone(UTC)
            request = self.panels.insight_request(request_id)
            members = len(self.panels.panel_reads.panel_pool(session, request.organisation_id, request.purpose, now))
        return PoolSize(members, PanelCriteria.from_dict(request.criteria).size, self.panels.min_cell())

    def why_no_rerun(self, request_id: UUID) -> str | None:
        """Why the recorded draw cannot be run again, in a sentence, or None when it can. Running it
        again changes nothing, so it may be done while the panel answers and after it closed: that
        is when whoever doubts the panel asks. It needs a draw, and members of its pool to read."""
        with self.app.reading() as session:
            request = self.panels.insight_request(request_id)
            if request.draw is None:
                return "This insight request has no panel drawn yet."
            pool = [UUID(member) for member in request.draw["pool"]]
            if pool and not self.app.vault.keys_for(session, pool):
                return (
                    f"Every one of the {len(pool)} members of the recorded pool has been erased since the draw, "
                    "so there is nothing left to run it again on."
                )
        return None

    def rerun_panel_draw(self, request_id: UUID) -> DrawCheck:
        """Run the recorded draw again from its recorded pool, quotas, size and seed."""
        refused = self.why_no_rerun(request_id)
        if refused:
            raise NotAllowedNow(refused)
        with self.app.reading() as session:
            request = self.panels.insight_request(request_id)
            assert request.draw is not None
            pool, unreadable = self.panels.unsealed_pool(session, request)
        draw = request.draw
        recorded = tuple(draw["selected"])
        note = solver_note(draw.get("solver") or "")
        if draw["algorithm"] != ALGORITHM:
            reason = f"The draw used {draw['algorithm']}, but this version of the trust draws with {ALGORITHM}."
            return DrawCheck(False, recorded, (), unreadable, reason, note)
        quotas = PanelCriteria.from_dict({"size": draw["size"], "quotas": draw["quotas"], "breakdown": []}).quotas
        try:
            with time_limit(self.panel_draw_seconds):  # DrawTooSlow (a sentence) rather than a worker held for minutes
                households = HouseholdsIn(pool) if draw.get("one_per_household") else None
                rerun = tuple(draw_panel(pool, quotas, draw["size"], draw["seed"], households).selected)
        except QuotasCannotBeMet as error:
            return DrawCheck(False, recorded, (), unreadable, f"The draw cannot be run again: {error}", note)
        reserves = None
        if draw.get("reserves") and not unreadable:
            reserves = reserve_order(list(pool), rerun, draw["seed"]) == list(draw["reserves"])
        if rerun == recorded and reserves is not False:
            return DrawCheck(True, recorded, rerun, unreadable, "", note, reserves)
        why = (
            f"{unreadable} members of the recorded pool were erased since the draw, so it ran on a smaller pool."
            if unreadable
            else "The same recorded inputs chose a different panel."
            if rerun != recorded
            else "The same recorded inputs chose the same panel but a different reserve list."
        )
        return DrawCheck(False, recorded, rerun, unreadable, why, note, reserves)


def solver_note(recorded: str) -> str:
    """A sentence when the solver running now is not the one the draw recorded ("" when it is)."""
    now = solver_name()
    if recorded == now:
        return ""
    if not recorded:
        return f"The draw did not record its solver (it was made before the trust recorded it); this re-run used {now}."
    return (
        f"The draw was computed with {recorded}, but this re-run used {now}: a different solver version can "
        "choose a different panel from the same inputs."
    )
