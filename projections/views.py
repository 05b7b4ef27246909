"""The read side as one object: the projector, the access rules the application
consults, and the questions trustees and operators ask."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.orm import Session

from domain.sealing.vault import Vault
from projections import (
    audit,
    casework,
    dashboard,
    explain,
    history,
    late_report,
    notice_check,
    organisation_api,
    recipients,
    registers,
    scheduler_status,
    staff_register,
    who_read,
)
from projections.access import valid_at
from projections.digest_view import DigestViews
from projections.insight_view import InsightViews
from projections.projector import TrustProjector
from projections.proposal_view import GovernanceViews
from projections.tables import access_grants, metadata


class TrustViews(GovernanceViews, InsightViews, DigestViews):  # digest_view's handler registers on import
    def __init__(self, engine: Engine, vault: Vault):
        self.engine = engine
        self.vault = vault
        self.projector = TrustProjector(vault)

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def kept_in_the_clear(self) -> bool:
        """Whether the read models were made before they sealed personal data (members.name):
        such a store is rebuilt once, at start, so no name stays readable in them."""
        return "name" in {column["name"] for column in inspect(self.engine).get_columns("members")}

    def scheduler_status(self, now: datetime) -> dict:
        """Whether a scheduler is acting (holds its lease at ``now``), and the work failing now."""
        return scheduler_status.scheduler_status(self.engine, now)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def allowing_consents(
        self,
        session: Session,
        organisation_id: UUID,
        member_id: UUID,
        purpose: str,
        categories: Sequence[str],
        at: datetime,
    ) -> dict[str, UUID]:
        rows = session.execute(
            select(access_grants.c.category, access_grants.c.consent_id)
            .where(
                access_grants.c.organisation_id == organisation_id,
                access_grants.c.member_id == member_id,
                access_grants.c.purpose == purpose,
                access_grants.c.category.in_(list(categories)),
                valid_at(at, "recorded"),
            )
            .order_by(access_grants.c.valid_from.desc())
        ).all()
        return {row.category: row.consent_id for row in rows}

    # Questions (each opens its own read connection)

    def who_could_see(self, member_id: UUID, at: datetime, axis: str = "recorded") -> list[dict]:
        with self.reading() as conn:
            return audit.who_could_see(conn, member_id, at, axis)

    def what_could_see(
        self, organisation_id: UUID, start: datetime, end: datetime | None = None, axis: str = "recorded"
    ) -> list[dict]:
        with self.reading() as conn:
            return audit.what_could_see(conn, self.vault, organisation_id, start, end, axis)

    def explain(
        self, organisation_id: UUID, member_id: UUID, category: str, at: datetime, axis: str = "recorded"
    ) -> dict:
        with self.reading() as conn:
            return explain.explain(conn, self.vault, organisation_id, member_id, category, at, axis)

    def history(self, member_id: UUID) -> list[dict]:
        with self.reading() as conn:
            return history.history(conn, member_id)

    def late_facts(self) -> list[dict]:
        with self.reading() as conn:
            return late_report.late_facts_report(conn, self.vault)

    def find_member(self, reference: str) -> UUID:
        with self.reading() as conn:
            return registers.find_member(conn, reference)

    def find_organisation(self, reference: str) -> UUID:
        with self.reading() as conn:
            return registers.find_organisation(conn, reference)

    def find_consent(self, reference: str) -> UUID:
        with self.reading() as conn:
            return registers.find_consent(conn, reference)

    def members_with_chat(self, joined_by: datetime | None = None) -> list[UUID]:
        with self.reading() as conn:
            return recipients.members_with_chat(conn, joined_by)

    def members(self) -> list[dict]:
        with self.reading() as conn:
            return registers.list_members(conn, self.vault)

    def organisations(self) -> list[dict]:
        with self.reading() as conn:
            return registers.list_organisations(conn)

    def consent_catalogue(self, catalogue, now: datetime) -> list[dict]:  # type: ignore[no-untyped-def]
        with self.reading() as conn:
            return registers.consent_catalogue(conn, catalogue, now)

    def consents(self, member_id: UUID, now: datetime) -> list[dict]:
        with self.reading() as conn:
            return registers.list_consents(conn, member_id, now)

    def consents_outside_notice(self, catalogue, now: datetime) -> list[dict]:  # type: ignore[no-untyped-def]
        with self.reading() as conn:
            return notice_check.consents_outside_notice(conn, catalogue, now)

    # Casework, the dashboard, staff and the organisation API

    def search_members(self, text: str) -> list[dict]:
        with self.reading() as conn:
            return casework.search_members(conn, self.vault, text)

    def pending_confirmation(self) -> list[dict]:
        with self.reading() as conn:
            return casework.pending_confirmation(conn, self.vault)

    def member_card(self, member_id: UUID) -> dict:
        with self.reading() as conn:
            return casework.member_card(conn, self.vault, member_id)

    def dashboard(self, now: datetime) -> dict:
        with self.reading() as conn:
            return dashboard.dashboard(conn, now)

    def organisation(self, organisation_id: UUID) -> dict:
        with self.reading() as conn:
            return dict(registers.organisation_row(conn, organisation_id)._mapping)

    def staff(self) -> list[dict]:
        with self.reading() as conn:
            return staff_register.list_staff(conn)

    def staff_account(self, account_id: UUID) -> dict:
        with self.reading() as conn:
            return staff_register.staff_row(conn, account_id)

    def session_account(self, account_id: UUID) -> dict | None:
        with self.reading() as conn:
            return staff_register.session_account(conn, account_id)

    def has_staff(self) -> bool:
        with self.reading() as conn:
            return staff_register.has_staff(conn)

    def api_tokens(self, organisation_id: UUID) -> list[dict]:
        with self.reading() as conn:
            return staff_register.tokens_for(conn, organisation_id)

    def token_holder(self, digest: str) -> dict | None:
        with self.reading() as conn:
            return staff_register.token_holder(conn, digest)

    def visible_members(
        self, organisation_id: UUID, purpose: str, now: datetime, after: UUID | None = None
    ) -> tuple[list[dict], UUID | None]:
        with self.reading() as conn:
            return organisation_api.visible_members(conn, organisation_id, purpose, now, after)

    def who_read(self, member_id: UUID) -> list[dict]:
        """Every read of the member's data, by organisations and by the trust's staff."""
        with self.reading() as conn:
            return who_read.who_read(conn, member_id)
