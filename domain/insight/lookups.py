"""What every insight command shares: loading a request and a seat, its questions,
the recorded pool opened with each member's key, the consent a panel relies on."""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.governance.live_rules import RuleCommands
from domain.insight.disclosure.release import Question
from domain.insight.model import InsightRequest
from domain.insight.seats import PanelSeat
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidTime, NotAllowedNow, UnknownInsightRequest
from domain.kernel.ports import AccessRules
from domain.store.application import TrustApplication

PANEL_CATEGORY = "panel-answers"


def require_trustee(actor: Actor, doing: str) -> None:
    if actor.role != "trustee":
        raise NotAllowedNow(f"Only a trustee can {doing}.")


class PanelLookups:
    def __init__(self, app: TrustApplication, rules: "RuleCommands") -> None:
        self.app = app
        self.rules = rules

    @property
    def panel_reads(self) -> AccessRules:
        assert self.app.access_rules is not None, "the read side is wired by the composition root"
        return self.app.access_rules

    def insight_request(self, request_id: UUID) -> InsightRequest:
        return self.app.load(request_id, InsightRequest, UnknownInsightRequest)

    def seat(self, request_id: UUID, member_id: UUID) -> PanelSeat | None:
        try:
            found = self.app.repository.get(PanelSeat.create_id(request_id, member_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, PanelSeat) else None

    def min_cell(self) -> int:
        return self.rules.live_rule("min-cell-size").value

    @staticmethod
    def questions_of(request: InsightRequest) -> tuple[Question, ...]:
        return tuple(Question(q["code"], q["kind"], q["text"], tuple(q["options"])) for q in request.questions)

    @staticmethod
    def closing_time(closes_at: datetime, now: datetime) -> datetime:
        if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
            raise InvalidTime("A closing time needs a time zone.")
        try:
            closes_at = closes_at.astimezone(UTC)
        except OverflowError:
            raise InvalidTime("A closing time must be a date and time between the years 1900 and 9000.") from None
        if closes_at <= now:
            raise InvalidTime(f"A closing time must be in the future (it was {closes_at:%Y-%m-%d %H:%M} UTC).")
        return closes_at

    def still_consents(self, session: Session, request: InsightRequest, member_id: UUID, at: datetime) -> bool:
        """The member still lets the requesting organisation have their panel answers for its purpose."""
        allowing = self.panel_reads.allowing_consents(
            session, request.organisation_id, member_id, request.purpose, [PANEL_CATEGORY], at
        )
        return bool(allowing)

    def pool_opened_on_demand(self, session: Session, request: InsightRequest) -> Mapping[str, dict[str, str]]:
        """The recorded pool as a mapping that opens a member's attributes only when asked for them (a
        replacement reads the panel and the first few reserves, not a pool of thousands)."""
        assert request.draw is not None
        return _OpenedOnDemand(self, session, request.draw["pool"])

    def open_member(self, session: Session, member: str, sealed: str) -> dict[str, str] | None:
        member_id = UUID(member)
        return self.app.vault.open(self.app.vault.key_for(session, member_id), member_id, sealed)

    def unsealed_pool(self, session: Session, request: InsightRequest) -> tuple[dict[str, dict[str, str]], int]:
        """The recorded pool with each member's attributes opened, and how many can no longer be (erased)."""
        assert request.draw is not None
        opened, unreadable = {}, 0
        for member, sealed in request.draw["pool"].items():
            member_id = UUID(member)
            attributes = self.app.vault.open(self.app.vault.key_for(session, member_id), member_id, sealed)
            if attributes is None:
                unreadable += 1
            else:
                opened[member] = attributes
        return opened, unreadable


class _OpenedOnDemand(Mapping[str, dict[str, str]]):
    """Members of a recorded pool, each opened with their key when first read; erased ones are absent."""

    def __init__(self, lookups: PanelLookups, session: Session, sealed: dict[str, str]) -> None:
        self.lookups, self.session, self.sealed = lookups, session, sealed
        self.opened: dict[str, dict[str, str] | None] = {}

    def _open(self, member: str) -> dict[str, str] | None:
        if member not in self.opened:
            sealed = self.sealed.get(member)
            self.opened[member] = None if sealed is None else self.lookups.open_member(self.session, member, sealed)
        return self.opened[member]

    def __getitem__(self, member: str) -> dict[str, str]:
        found = self._open(member)
        if found is None:
            raise KeyError(member)
        return found

    def __contains__(self, member: object) -> bool:
        return isinstance(member, str) and self._open(member) is not None

    def __iter__(self) -> Iterator[str]:
        return (member for member in self.sealed if self._open(member) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
