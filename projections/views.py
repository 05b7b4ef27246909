"""The read side as one object: the projector, the access rules the application
consults, and the questions trustees and operators ask."""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, Engine, bindparam, inspect
from sqlalchemy.orm import Session

from domain.kernel.forwarding import Forward
from domain.reports.peers import DisclosureRules
from domain.reports.report import BenchmarkReport, benchmark
from domain.reports.wellbeing import WellbeingComparison, compare_wellbeing
from domain.sealing.vault import Vault

# Each part's handlers register themselves (by event class) when imported: all of them, here.
from projections.audit import could_see as audit
from projections.audit import explain, history, late_report, who_read, words
from projections.audit import handlers as _audit_handlers
from projections.audit.naming import CODES, Titles
from projections.consent import handlers as _consent_handlers
from projections.consent import notice_check, organisation_api
from projections.consent import registers as consent_registers
from projections.consent.access import recompute
from projections.consent.reach import CP, OP, STARTS, covering, reach
from projections.core.projector import TrustProjector
from projections.core.reading import ReadModels
from projections.core.tables import RETIRED, metadata
from projections.data import handlers as _data_handlers
from projections.digests import dashboard
from projections.digests import handlers as _digest_handlers
from projections.digests.queries import DigestViews
from projections.funds import handlers as _fund_handlers
from projections.funds import queries as fund_queries
from projections.governance import handlers as _governance_handlers
from projections.governance.queries import GovernanceViews
from projections.help import handlers as _help_handlers
from projections.help import queries as help_queue
from projections.insight import handlers as _insight_handlers
from projections.insight import panel_pool as _panel_pool_handlers
from projections.insight.queries import InsightViews
from projections.membership import casework, name_search, recipients
from projections.membership import handlers as _membership_handlers
from projections.membership import registers as member_registers
from projections.membership import terms as terms_register
from projections.membership import terms_handlers as _terms_handlers
from projections.organisations import handlers as _organisation_handlers
from projections.organisations import registers as organisation_registers
from projections.portal import handlers as _portal_handlers
from projections.reports import handlers as _report_handlers
from projections.reports import queries as report_queries
from projections.scheduling import status as scheduler_status
from projections.staff import handlers as _staff_handlers
from projections.staff import queries as staff_register
from projections.staff import read_handlers as _staff_read_handlers
from projections.surplus import handlers as _surplus_handlers
from projections.surplus.queries import SurplusViews
from projections.surveys import handlers as _survey_handlers
from projections.surveys import queries as staff_surveys

HANDLERS_REGISTERED = (
    _audit_handlers,
    _consent_handlers,
    _data_handlers,
    _digest_handlers,
    _fund_handlers,
    _governance_handlers,
    _help_handlers,
    _insight_handlers,
    _panel_pool_handlers,
    _membership_handlers,
    _terms_handlers,
    _organisation_handlers,
    _portal_handlers,
    _report_handlers,
    _staff_handlers,
    _staff_read_handlers,
    _survey_handlers,
    _surplus_handlers,
)


# Built once: every recorded read of member data runs it, inside the writer lock.
ALLOWING = (
    reach("recorded")
    .with_only_columns(CP.category, CP.consent_id)
    .where(
        OP.organisation_id == bindparam("organisation_id"),
        CP.member_id == bindparam("member_id"),
        CP.purpose == bindparam("purpose"),
        CP.category.in_(bindparam("categories", expanding=True)),
        covering(bindparam("at")),
    )
    .order_by(STARTS.desc())
)


class TrustViews:
    """The read facade: its own one-line questions below, and those of governance, insight and
    the digests, each forwarded by name to the part that answers it."""

    def __init__(self, engine: Engine, vault: Vault):
        self.engine = engine
        self.vault = vault
        self.models = ReadModels(engine, vault)
        self.projector = TrustProjector(vault, finish=recompute, rekey=name_search.rekey_some)
        self.governance = GovernanceViews(self.models)
        self.insight = InsightViews(self.models)
        self.digests = DigestViews(self.models)
        self.surplus = SurplusViews(self.models)
        self.opened_parts = report_queries.OpenedParts()  # peer groups' parts this process opened lately

    def create_schema(self) -> None:
        terms_missing = terms_register.missing(self.engine)
        metadata.create_all(self.engine)
        if terms_missing:  # a store made before the terms each member agreed to were kept apart
            terms_register.fill_from_history(self.engine)
        if name_search.unversioned(self.engine):  # made before a rotation moved the names in steps
            name_search.version_the_digests(self.engine)

    def outdated(self) -> bool:
        """Whether the read models were made by a version that kept them otherwise, so the store is
        rebuilt once, at start: before they sealed personal data (members.name), so no name stays
        readable in them, or with a read model since retired (core/tables.RETIRED)."""
        found = inspect(self.engine)
        in_the_clear = "name" in {column["name"] for column in found.get_columns("members")}
        return in_the_clear or any(found.has_table(name) for name in RETIRED)

    def scheduler_status(self, now: datetime) -> dict:
        """Whether a scheduler is acting (holds its lease at ``now``), and the work failing now."""
        return scheduler_status.scheduler_status(self.engine, now)

    def reading(self) -> AbstractContextManager[Connection]:
        return self.models.reading()

    def allowing_consents(
        self,
        session: Session,
        organisation_id: UUID,
        member_id: UUID,
        purpose: str,
        categories: Sequence[str],
        at: datetime,
    ) -> dict[str, UUID]:
        wanted = {"organisation_id": organisation_id, "member_id": member_id, "purpose": purpose, "at": at}
        rows = session.execute(ALLOWING, {**wanted, "categories": list(categories)}).all()
        return {row.category: row.consent_id for row in rows}

    def fund_audience(self, session: Session, at: datetime) -> dict[UUID, dict[str, str | None]]:
        return fund_queries.fund_audience(session, self.vault, at)

    def funds_published_by(self, session: Session, organisation_id: UUID) -> list[UUID]:
        return fund_queries.funds_published_by(session, organisation_id)

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

    def explain_in_words(self, answer: dict, catalogue) -> dict:  # type: ignore[no-untyped-def]
        """The answer of ``explain`` in one sentence, and the consents it relied on in words."""
        with self.reading() as conn:
            return words.explain_in_words(conn, catalogue, answer)

    def history_in_words(self, member_id: UUID, catalogue) -> list[dict]:  # type: ignore[no-untyped-def]
        with self.reading() as conn:
            return words.history_in_words(conn, catalogue, member_id)

    def late_facts_in_words(self, catalogue) -> list[dict]:  # type: ignore[no-untyped-def]
        """Newest first, with names: who could still see whom, and who read what, in each window."""
        with self.reading() as conn:
            return words.late_facts_in_words(conn, self.vault, catalogue)

    def member_named(self, member_id: UUID) -> dict:
        """Name and reference code of one member (a staff read: record it before showing it)."""
        with self.reading() as conn:
            return words.member_named(conn, self.vault, member_id)

    def actor_words(self):  # type: ignore[no-untyped-def]
        """A function: an actor ("organisation:api token …") in words ("Eden Valley Credit Union (API token …)")."""
        with self.reading() as conn:
            return words.actor_words(conn)

    def find_member(self, reference: str) -> UUID:
        with self.reading() as conn:
            return member_registers.find_member(conn, reference)

    def find_organisation(self, reference: str) -> UUID:
        with self.reading() as conn:
            return organisation_registers.find_organisation(conn, reference)

    def find_consent(self, reference: str) -> UUID:
        with self.reading() as conn:
            return consent_registers.find_consent(conn, reference)

    def members_with_chat(self, joined_by: datetime | None = None) -> list[UUID]:
        with self.reading() as conn:
            return recipients.members_with_chat(conn, joined_by)

    def members_to_announce(self, joined_by: datetime | None = None) -> list[UUID]:
        with self.reading() as conn:
            return recipients.members_to_announce(conn, joined_by)

    def stopped_among(self, member_ids: list[UUID]) -> set[tuple[UUID, str]]:
        with self.reading() as conn:
            return recipients.stopped_among(conn, member_ids)

    def messages_stopped_on(self, member_id: UUID, network: str) -> bool:
        with self.reading() as conn:
            return recipients.stopped_on(conn, member_id, network)

    def members(self) -> list[dict]:
        with self.reading() as conn:
            return member_registers.list_members(conn, self.vault)

    def organisations(self) -> list[dict]:
        with self.reading() as conn:
            return organisation_registers.list_organisations(conn)

    def consent_catalogue(self, catalogue, now: datetime) -> list[dict]:  # type: ignore[no-untyped-def]
        with self.reading() as conn:
            return consent_registers.consent_catalogue(conn, catalogue, now)

    def consents(self, member_id: UUID, now: datetime) -> list[dict]:
        with self.reading() as conn:
            return consent_registers.list_consents(conn, member_id, now)

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

    def help_requests(self, status: str = "open") -> list[dict]:
        """The caseworkers' queue, messages opened (a staff read: record it before showing it)."""
        with self.reading() as conn:
            return help_queue.help_requests_in(conn, self.vault, status)

    def open_help_count(self) -> int:
        with self.reading() as conn:
            return help_queue.open_help_count(conn)

    def staff_surveys_of(self, member_id: UUID) -> list[dict]:
        """A business member's surveys of its staff, the newest first."""
        with self.reading() as conn:
            return staff_surveys.surveys_of(conn, member_id)

    def staff_survey(self, survey_id: UUID) -> dict | None:
        with self.reading() as conn:
            return staff_surveys.staff_survey(conn, survey_id)

    def staff_surveys_to_review(self) -> list[dict]:
        with self.reading() as conn:
            return staff_surveys.staff_surveys_to_review(conn)

    def member_terms(self, member_id: UUID) -> dict:
        """The membership terms the member last agreed to, and when the chat last told them of newer ones."""
        with self.reading() as conn:
            return terms_register.terms_of(conn, member_id)

    def dashboard(self, now: datetime) -> dict:
        with self.reading() as conn:
            return dashboard.dashboard(conn, now)

    def organisation(self, organisation_id: UUID) -> dict:
        with self.reading() as conn:
            return dict(organisation_registers.organisation_row(conn, organisation_id)._mapping)

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

    def benchmark_report(self, member_id: UUID, at: datetime, rules: DisclosureRules) -> BenchmarkReport | None:
        """A social business's figures against its peers' (None unless it agreed to benchmarking
        and shared a profile), published or withheld under ``rules`` (the members' live rules)."""
        with self.reading() as conn:
            found = report_queries.benchmark_figures(conn, self.vault, member_id, at, self.opened_parts)
        if found is None:
            return None
        own, groups, peers = found
        return benchmark(own, peers, groups, rules)

    def wellbeing_comparison(self, member_id: UUID, at: datetime, rules: DisclosureRules) -> WellbeingComparison | None:
        """An individual's well-being answers against their area's (None unless they shared answers
        and agree to the comparison now; ``area`` None when their profile does not say it)."""
        with self.reading() as conn:
            found = report_queries.wellbeing_figures(conn, self.vault, member_id, at, self.opened_parts)
        if found is None:
            return None
        own, area, peers = found
        if area is None:
            return WellbeingComparison(None, 0, own, {}, rules, "Your profile does not say your area.")
        return compare_wellbeing(own, area, peers, rules)

    def funds(self, organisation_id: UUID | None = None) -> list[dict]:
        """Every fund (or one funder's), newest first: how many were told, how many shared their pack."""
        with self.reading() as conn:
            return fund_queries.list_funds(conn, organisation_id)

    def fund(self, fund_id: UUID, at: datetime) -> dict | None:
        """One fund, with the members who shared their pack (whether that consent still stands at ``at``)."""
        with self.reading() as conn:
            return fund_queries.fund_detail(conn, fund_id, at)

    def funds_told(self, member_id: UUID) -> list[dict]:
        with self.reading() as conn:
            return fund_queries.funds_told(conn, self.vault, member_id)

    def who_read(self, member_id: UUID, catalogue=None) -> list[dict]:  # type: ignore[no-untyped-def]
        """Every read of the member's data, by organisations and by the trust's staff; with
        the catalogue, each worded in its titles (for a trustee to read), else in codes."""
        with self.reading() as conn:
            return who_read.who_read(conn, member_id, Titles(catalogue) if catalogue else CODES)

    # GovernanceViews: projections.governance.queries
    eligible_voters = Forward("governance")
    voters = Forward("governance")
    proposals = Forward("governance")
    proposal = Forward("governance")
    open_proposals = Forward("governance")
    votes_of = Forward("governance")
    rule_history = Forward("governance")
    find_proposal = Forward("governance")

    # InsightViews: projections.insight.queries
    panel_pool = Forward("insight")
    panels_of = Forward("insight")
    insight_requests = Forward("insight")
    insight_request = Forward("insight")
    panel_roster = Forward("insight")
    panel_reserves = Forward("insight")
    income_report = Forward("insight")

    # DigestViews: projections.digests.queries
    digest_figures = Forward("digests")
    latest_digests = Forward("digests")
    digest = Forward("digests")
    digest_days = Forward("digests")

    # SurplusViews: projections.surplus.queries
    members_at = Forward("surplus")
    panels_answered = Forward("surplus")
    income_in = Forward("surplus")
    surpluses = Forward("surplus")
    surplus_of = Forward("surplus")
    income_of_year = Forward("surplus")
    dividends_of = Forward("surplus")
    payment_list = Forward("surplus")
