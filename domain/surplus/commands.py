"""Commands about the co-op's surplus: a trustee records a year's surplus (no more than the
income the trust recorded that year), then the uses members chose by a split ballot, then the
dividends under the rule members voted; a member gives their dividend to a community project.
Each refusal is one plain sentence and records nothing."""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.governance.commands import ProposalCommands
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotFound
from domain.kernel.ports import AccessRules
from domain.kernel.references import reference
from domain.kernel.shares import largest_remainder
from domain.kernel.text import one_line
from domain.membership.commands import MembershipCommands
from domain.store.application import TrustApplication
from domain.surplus.dividends import dividend_rule, entitlements, pounds
from domain.surplus.model import DividendGift, Surplus

FIRST_YEAR = 2000
MAX_SURPLUS_PENCE = 10**11
MAX_PROJECTS, MAX_PROJECT = 8, 80
GIVING_CHANNELS = ("bot", "sms", "whatsapp", "portal", "paper")


class UnknownSurplus(NotFound):
    def __init__(self, year: object):
        super().__init__(f"No surplus is recorded for {year}.")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _trustee(actor: Actor, doing: str) -> None:
    if actor.role != "trustee":
        raise NotAllowedNow(f"Only a trustee can {doing}.")


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or year < FIRST_YEAR:
        raise InvalidRequest(f"The year must be a whole number, {FIRST_YEAR} or later (e.g. 2025).")
    return year


def _projects(projects: Sequence[str]) -> list[str]:
    cleaned = [one_line(p, "Each community project's name", MAX_PROJECT) for p in projects if p and p.strip()]
    if len(cleaned) > MAX_PROJECTS:
        raise InvalidRequest(f"Name at most {MAX_PROJECTS} community projects.")
    if len({p.casefold() for p in cleaned}) != len(cleaned):
        raise InvalidRequest("Each community project must be named once.")
    return cleaned


class SurplusCommands:
    def __init__(self, app: TrustApplication, proposals: ProposalCommands, members: MembershipCommands) -> None:
        self.app = app
        self.proposals = proposals
        self.members = members

    def record_surplus(self, year: int, amount_pence: int, evidence_ref: str, actor: Actor) -> UUID:
        """A year's surplus, once the year has ended, with the accounts' reference as evidence."""
        _trustee(actor, "record the co-op's surplus")
        year = _year(year)
        whole = isinstance(amount_pence, int) and not isinstance(amount_pence, bool)
        if not whole or not 0 < amount_pence <= MAX_SURPLUS_PENCE:
            raise InvalidRequest("A surplus must be an amount above nothing, in whole pence (a loss is not shared).")
        evidence = reference(evidence_ref)
        if evidence is None:
            raise InvalidRequest("A surplus needs its evidence's reference (e.g. the year's accounts, ACC-2025).")
        with self.app.command() as (session, now):
            if year >= now.year:
                raise NotAllowedNow(f"The surplus of {year} can be recorded once the year has ended.")
            recorded = self._surplus(year)
            if recorded is not None:
                already = pounds(recorded.amount_pence)
                raise NotAllowedNow(f"The surplus of {year} is already recorded ({already}); nothing was recorded.")
            income = self._read_side().income_in(session, *year_bounds(year))
            if amount_pence > income:
                raise InvalidRequest(
                    f"A surplus of {pounds(amount_pence)} is more than the income the trust recorded in {year} "
                    f"({pounds(income)}): a surplus is what is left of that income. Nothing was recorded."
                )
            surplus = Surplus(
                year=year, amount_pence=amount_pence, income_pence=income, evidence_ref=evidence, actor=str(actor)
            )
            self.app.save(surplus)
        return surplus.id

    def decide_surplus_uses(
        self, year: int, proposal_id: UUID, dividend_use: int | None, projects: Sequence[str], actor: Actor
    ) -> list[int]:
        """The uses members chose by a closed split ballot that met its quorum: the surplus shared
        in pence by its mean split. ``dividend_use``: which use is paid to members as dividends."""
        _trustee(actor, "record the uses members chose for the surplus")
        projects = _projects(projects)
        proposal = self.proposals.proposal_outcome(proposal_id)
        result = proposal.result
        if not proposal.split:
            raise InvalidRequest(f"“{proposal.title}” is not a split ballot; the uses of a surplus are voted by one.")
        if result is None:
            raise NotAllowedNow(f"The vote “{proposal.title}” has not closed yet.")
        if not result.quorum_met or result.split is None:
            raise NotAllowedNow(f"The vote “{proposal.title}” did not meet its quorum, so it decided nothing.")
        uses = len(proposal.options)
        if dividend_use is not None and (isinstance(dividend_use, bool) or not 0 <= dividend_use < uses):
            raise InvalidRequest("The dividends must be one of the vote's uses.")
        with self.app.command() as (_session, _now):
            surplus = self._require(year)
            if surplus.decided:
                raise NotAllowedNow(f"The uses of the {year} surplus are already recorded; nothing was changed.")
            amounts = largest_remainder(surplus.amount_pence, list(result.split))
            surplus.decide_uses(
                proposal_id=str(proposal_id),
                uses=list(proposal.options),
                percents=list(result.split),
                amounts_pence=amounts,
                dividend_use=dividend_use,
                projects=projects,
                actor=str(actor),
            )
            self.app.save(surplus)
        return amounts

    def share_dividends(
        self, year: int, equal_percent: int, participation_percent: int, proposal_id: UUID, actor: Actor
    ) -> dict[UUID, int]:
        """Each member active at the year's end gets their dividend under the rule the passed vote
        chose, in pence adding up to the dividend pot exactly."""
        rule = dividend_rule(equal_percent, participation_percent)
        _trustee(actor, "share the dividends")
        proposal = self.proposals.proposal_outcome(proposal_id)
        if proposal.result is None or not proposal.result.passed:
            raise NotAllowedNow(
                f"The vote “{proposal.title}” has not passed, so it cannot set the dividend rule. Nothing was recorded."
            )
        with self.app.command() as (session, _now):
            surplus = self._require(year)
            if not surplus.decided or surplus.dividend_pot == 0:
                raise NotAllowedNow(f"Members have not decided any dividends from the {year} surplus.")
            if surplus.shared:
                raise NotAllowedNow(f"The dividends of {year} are already shared; nothing was changed.")
            start, end = year_bounds(year)
            members = sorted(self._read_side().members_at(session, end), key=str)
            answered = self._read_side().panels_answered(session, start, end)
            shares = entitlements(surplus.dividend_pot, rule, members, answered, year)
            surplus.share_dividends(
                proposal_id=str(proposal_id),
                equal_percent=rule.equal_percent,
                participation_percent=rule.participation_percent,
                pot_pence=surplus.dividend_pot,
                entitlements={str(member): pence for member, pence in shares.items() if pence > 0},
                actor=str(actor),
            )
            self.app.save(surplus)
        return shares

    def give_dividend(self, year: int, member_id: UUID, project: str, actor: Actor, channel: str = "bot") -> None:
        """The member gives their dividend of ``year`` to one of the year's community projects."""
        if channel not in GIVING_CHANNELS:
            raise InvalidRequest(f"Unknown channel {channel!r}; use one of: {', '.join(GIVING_CHANNELS)}.")
        with self.app.command() as (_session, _now):
            surplus = self._require(year)
            amount = surplus.entitlements.get(str(member_id), 0)
            if amount <= 0:
                raise NotAllowedNow(f"There is no dividend from the {year} surplus to give.")
            if project not in surplus.projects:
                raise InvalidRequest(f"Choose one of the {year} community projects: {', '.join(surplus.projects)}.")
            given = self._gift(year, member_id)
            if given is not None:
                raise NotAllowedNow(f"This dividend already goes to {given.project}; nothing was changed.")
            gift = DividendGift(
                year=year, member_id=member_id, project=project, amount_pence=amount, channel=channel, actor=str(actor)
            )
            self.app.save(gift)

    def _require(self, year: int) -> Surplus:
        surplus = self._surplus(year)
        if surplus is None:
            raise UnknownSurplus(year)
        return surplus

    def _surplus(self, year: int) -> Surplus | None:
        try:
            return self.app.repository.get(Surplus.create_id(year))
        except AggregateNotFoundError:
            return None

    def _gift(self, year: int, member_id: UUID) -> DividendGift | None:
        try:
            return self.app.repository.get(DividendGift.create_id(year, member_id))
        except AggregateNotFoundError:
            return None

    def _read_side(self) -> AccessRules:
        assert self.app.access_rules is not None, "the read side is wired by the composition root"
        return self.app.access_rules
