"""What the application needs from the read side, implemented in projections/."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.orm import Session


class Projector(Protocol):
    def project(self, session: Session, recorded: Sequence[tuple[int, Any]]) -> None:
        """Bring the read models up to date with events just recorded in this transaction."""

    def rekey_some(
        self, session: Session, version: int, step: int, after: tuple[int, UUID] | None = None
    ) -> tuple[int, tuple[int, UUID] | None]:
        """In a rotation's step: make again under ``version`` what the read models keep under an older
        key version (the name digests), for at most ``step`` members past ``after`` (key_version,
        member_id); returns how many (0: none left past it) and where it stopped."""


class AccessRules(Protocol):
    """What commands ask the read side, in their own transaction: access, panels, voters."""

    def allowing_consents(
        self,
        session: Session,
        organisation_id: UUID,
        member_id: UUID,
        purpose: str,
        categories: Sequence[str],
        at: datetime,
    ) -> dict[str, UUID]:
        """For each category the organisation may see now, the consent that allows it."""

    def panel_pool(
        self, session: Session, organisation_id: UUID, purpose: str, at: datetime
    ) -> dict[UUID, dict[str, str]]:
        """Members whose consent lets the organisation have their panel answers for the purpose
        at ``at`` (recorded axis), with their profile answers (the pool a panel is drawn from)."""

    def panels_of(self, session: Session, member_id: UUID) -> list[UUID]:
        """The insight requests whose panel this member was drawn for."""

    def fund_audience(self, session: Session, at: datetime) -> dict[UUID, dict[str, str | None]]:
        """Organisation-members who agree at ``at`` to hear of funds, with what a fund is matched on of
        their latest profile (sector, postcode area, legal form, size band), opened with their keys."""

    def funds_published_by(self, session: Session, organisation_id: UUID) -> list[UUID]:
        """The funds this organisation published, in the order it published them."""

    def eligible_voters(self, session: Session) -> list[UUID]:
        """Members active and confirmed now."""

    def voters(self, session: Session, proposal_id: UUID) -> list[UUID]:
        """Members who have cast a ballot in this proposal."""

    def members_at(self, session: Session, at: datetime) -> list[UUID]:
        """Members active at ``at`` (recorded axis): confirmed by then, not left or erased by then,
        and not erased since (an erased member cannot be paid)."""

    def panels_answered(self, session: Session, start: datetime, end: datetime) -> dict[UUID, int]:
        """For each member who answered a community panel in [start, end): how many panels."""

    def income_in(self, session: Session, start: datetime, end: datetime) -> int:
        """The income the trust recorded in [start, end) (insight payments), in pence."""
