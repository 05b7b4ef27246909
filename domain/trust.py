"""The trust: one facade over each part's commands, all built on one shared application.

Each part of the trust (membership, consent, organisations, ...) has its commands in an
object made with what it needs: the application (one event log, one transaction per
command) and the other parts it calls, e.g. ``ConsentCommands(app, members, organisations)``. This
facade builds them once, in an order where each part's dependencies come first, and keeps the
names the adapters call (``trust.revoke_consent(...)``) by forwarding each to its part
(``trust.consents.revoke_consent(...)``); the comment above each group says where it lives.
"""

from datetime import timedelta

import domain.recorded_topics  # noqa: F401 - old topics of moved classes resolve once the trust is built
from domain.announcements.commands import AnnouncementCommands
from domain.announcements.receipts import ReceiptCommands
from domain.consent.commands import AccessOutcome, Audience, ConsentCommands, Ticked
from domain.consent.paper_forms import PaperForms
from domain.consent.renewals import RenewalCommands
from domain.data.commands import DataCommands
from domain.digests.commands import DigestCommands
from domain.funds.commands import FundCommands
from domain.governance.commands import ProposalCommands
from domain.governance.live_rules import RuleCommands
from domain.help.commands import HelpCommands
from domain.insight.answers import PanelAnswerCommands
from domain.insight.commands import InsightCommands
from domain.insight.draws import DRAW_SECONDS, PanelDrawCommands
from domain.insight.lookups import PanelLookups
from domain.insight.quota_changes import QuotaChangeCommands
from domain.insight.reminders import PanelReminderCommands
from domain.insight.replacements import PanelReplacementCommands
from domain.kernel.catalogue import Catalogue
from domain.kernel.clock import Clock, system_clock
from domain.kernel.forwarding import Forward
from domain.keys.commands import KeyCommands
from domain.membership.chat import ChatCommands
from domain.membership.commands import MembershipCommands, registers_themself
from domain.membership.model import CONFIRMATION_WAYS
from domain.membership.reach import ReachCommands
from domain.membership.terms import TermsCommands
from domain.organisations.commands import OrganisationCommands
from domain.portal.commands import PortalCommands
from domain.reports.commands import ReportCommands
from domain.sealing.vault import Vault
from domain.staff.commands import StaffCommands
from domain.staff.reads import StaffReadCommands
from domain.store.application import TrustApplication
from domain.store.credentials import Credentials
from domain.surplus.commands import SurplusCommands
from domain.surveys.commands import SurveyCommands


class Trust:
    """Commands record events; the read side is in projections/."""

    def __init__(
        self,
        database_url: str,
        vault: Vault,
        catalogue: Catalogue,
        clock: Clock = system_clock,
        credentials: Credentials | None = None,
        panel_draw_seconds: float = DRAW_SECONDS,
        key_rotation_period: timedelta = timedelta(days=1),
    ):
        self.application = app = TrustApplication(database_url, vault, catalogue, clock, credentials)
        self.keys = KeyCommands(app)
        self.organisations = OrganisationCommands(app)
        self.staff = StaffCommands(app)
        self.announcements = AnnouncementCommands(app)
        self.receipts = ReceiptCommands(app)
        self.rules = RuleCommands(app)
        self.digests = DigestCommands(app)
        self.reports = ReportCommands(self.rules)
        self.members = MembershipCommands(app, self.keys)
        self.chats = ChatCommands(app, self.members)
        self.reach = ReachCommands(app, self.members, self.chats)
        self.terms = TermsCommands(app, self.members)
        self.staff_reads = StaffReadCommands(app, self.members)
        self.help = HelpCommands(app, self.members)
        self.consents = ConsentCommands(app, self.members, self.organisations)
        self.data = DataCommands(app, self.members)
        self.portal = PortalCommands(app, self.members)
        self.funds = FundCommands(app, self.organisations, self.members, self.consents, self.announcements, self.rules)
        self.paper_forms = PaperForms(app, self.members, self.consents)
        self.renewals = RenewalCommands(app, self.organisations, self.announcements, self.members, self.consents)
        self.proposals = ProposalCommands(app, self.announcements, self.rules, self.members)
        self.surplus = SurplusCommands(app, self.proposals, self.members)
        self.panels = PanelLookups(app, self.rules)
        self.insight = InsightCommands(app, self.organisations, self.panels)
        self.panel_draws = PanelDrawCommands(app, self.organisations, self.announcements, self.panels)
        self.panel_replacements = PanelReplacementCommands(app, self.announcements, self.panels)
        self.panel_answers = PanelAnswerCommands(app, self.panels, self.panel_replacements)
        self.quota_changes = QuotaChangeCommands(app, self.panels, self.panel_draws)
        self.panel_reminders = PanelReminderCommands(app, self.announcements, self.panels)
        self.surveys = SurveyCommands(app, self.members, self.rules)
        self.panel_draws.panel_draw_seconds = panel_draw_seconds
        self.keys.key_rotation_period = key_rotation_period

    # The application: the store, its clock and keys, and the wiring of the read side
    engine = Forward("application")
    catalogue = Forward("application")
    vault = Forward("application")
    credentials = Forward("application")
    last_position = Forward("application")
    once = Forward("application")
    was_handled = Forward("application")
    reading = Forward("application")
    command = Forward("application")
    recorded_after = Forward("application")
    events_table = Forward("application")
    create_schema = Forward("application")
    attach = Forward("application")
    close = Forward("application")

    @property
    def clock(self) -> Clock:
        return self.application.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        """The demo history is recorded on a clock of its own."""
        self.application.clock = clock

    # Keys that seal personal data: domain.keys.commands
    continue_rotation = Forward("keys")
    destroy_retired_keys = Forward("keys")
    finish_purges = Forward("keys")
    key_state = Forward("keys")
    key_upkeep = Forward("keys")
    rotate_keys = Forward("keys")

    # Organisations: domain.organisations.commands
    approve_organisation = Forward("organisations")
    end_portal_session = Forward("organisations")
    issue_api_token = Forward("organisations")
    organisation = Forward("organisations")
    portal_session_ended = Forward("organisations")
    register_organisation = Forward("organisations")
    reinstate_organisation = Forward("organisations")
    revoke_api_token = Forward("organisations")
    suspend_organisation = Forward("organisations")

    # The trust's staff: domain.staff.commands
    account_for_link = Forward("staff")
    change_staff_roles = Forward("staff")
    disable_staff_account = Forward("staff")
    enable_staff_account = Forward("staff")
    enable_staff_account_called = Forward("staff")
    issue_sign_in_link = Forward("staff")
    issue_sign_in_link_for = Forward("staff")
    open_staff_account = Forward("staff")
    set_password_with_link = Forward("staff")
    sign_in = Forward("staff")
    sign_out = Forward("staff")

    # The data members share, category by category: domain.data.commands
    share_data = Forward("data")
    held_data = Forward("data")
    shared_data = Forward("data")
    shared_history = Forward("data")
    import_funding_history = Forward("data")

    # Members' web portal sign-in: domain.portal.commands
    end_member_session = Forward("portal")
    issue_member_sign_in_link = Forward("portal")
    member_session_ended = Forward("portal")
    sign_in_member_with_link = Forward("portal")

    # Staff reads of personal data: domain.staff.reads
    record_staff_read = Forward("staff_reads")
    record_staff_reads = Forward("staff_reads")

    # Members asking the trust for a person: domain.help.commands
    ask_for_help = Forward("help")
    mark_help_handled = Forward("help")

    # Announcements: domain.announcements.commands
    announce = Forward("announcements")
    announcement = Forward("announcements")
    announcement_action = Forward("announcements")
    announcement_recipients = Forward("announcements")
    announcement_text = Forward("announcements")
    claim_delivery = Forward("announcements")
    claim_deliveries = Forward("announcements")
    delivered_to = Forward("announcements")
    delivery_counts = Forward("announcements")
    finish_announcement = Forward("announcements")
    record_delivery = Forward("announcements")
    record_deliveries = Forward("announcements")
    release_delivery = Forward("announcements")
    unfinished_announcements = Forward("announcements")

    # domain/announcements/receipts.py
    record_delivery_report = Forward("receipts")
    delivery_channels_of = Forward("receipts")

    # domain/membership/reach.py
    prefer_channel = Forward("reach")
    channels_for = Forward("reach")
    channels_of = Forward("reach")
    heard_from = Forward("reach")
    last_heard_from = Forward("reach")
    last_heard_of = Forward("reach")

    # A business member's survey of its own staff: domain.surveys.commands
    answer_staff_survey = Forward("surveys")
    close_staff_survey = Forward("surveys")
    open_staff_survey = Forward("surveys")
    release_staff_survey_free_text = Forward("surveys")
    staff_survey = Forward("surveys")
    staff_survey_free_text = Forward("surveys")
    survey_for_code = Forward("surveys")

    # Trust rules: domain.governance.rules
    live_rule = Forward("rules")
    live_rules = Forward("rules")

    # What members get back: domain.reports
    disclosure_rules = Forward("reports")

    # Funds that find the members who want to hear: domain.funds.commands
    fund = Forward("funds")
    publish_fund = Forward("funds")
    share_pack = Forward("funds")

    # Trustees' digest: domain.digests.commands
    record_digest = Forward("digests")

    # Membership: domain.membership.commands
    confirm_member = Forward("members")
    erase_member = Forward("members")
    link_contact = Forward("members")
    record_household = Forward("members")
    member_for_code = Forward("members")
    member = Forward("members")
    member_leaves = Forward("members")
    stop_messages = Forward("members")
    start_messages = Forward("members")
    member_personal_data = Forward("members")
    register_member = Forward("members")
    update_profile = Forward("members")

    # When the membership terms change: domain.membership.terms
    agree_to_terms = Forward("terms")
    tell_terms_changed = Forward("terms")

    # Members' chats: domain.membership.chat
    chat_of = Forward("chats")
    confirm_by_code = Forward("chats")
    join_by_chat = Forward("chats")
    join_at_address = Forward("chats")
    confirm_at_address = Forward("chats")
    draft = Forward("chats")
    keep_draft = Forward("chats")
    drop_draft = Forward("chats")
    link_chat = Forward("chats")
    member_for_chat = Forward("chats")
    link_address = Forward("chats")
    member_for_address = Forward("chats")
    address_of = Forward("chats")
    unlink_chat = Forward("chats")

    # A signed paper form (the member and their ticked consents, as one): domain.consent.paper_forms
    record_paper_form = Forward("paper_forms")

    # Consent: domain.consent.commands
    consent = Forward("consents")
    grant_consent = Forward("consents")
    record_access = Forward("consents")
    revoke_consent = Forward("consents")

    # Consents' ends and renewals: domain.consent.renewals
    offer_renewal = Forward("renewals")
    record_expiry = Forward("renewals")
    renew_consent = Forward("renewals")

    # Proposals and votes: domain.governance.commands
    cast_vote = Forward("proposals")
    cast_split_vote = Forward("proposals")
    close_proposal = Forward("proposals")
    member_ballot = Forward("proposals")
    open_proposal = Forward("proposals")
    proposal_outcome = Forward("proposals")
    proposal_result = Forward("proposals")
    votable_rules = Forward("proposals")

    # The co-op's surplus and dividends: domain.surplus.commands
    record_surplus = Forward("surplus")
    decide_surplus_uses = Forward("surplus")
    share_dividends = Forward("surplus")
    give_dividend = Forward("surplus")

    # Insight: lookups: domain.insight.lookups
    insight_request = Forward("panels")

    # Insight requests: domain.insight.commands
    record_payment = Forward("insight")
    release_free_text = Forward("insight")
    review_insight_request = Forward("insight")
    revise_insight_request = Forward("insight")
    submit_insight_request = Forward("insight")

    # Panel draws: domain.insight.draws
    draw_panel = Forward("panel_draws")
    panel_pool_size = Forward("panel_draws")
    rerun_panel_draw = Forward("panel_draws")
    why_no_rerun = Forward("panel_draws")

    # Panel answers and the close: domain.insight.answers
    answer_panel = Forward("panel_answers")
    close_insight_request = Forward("panel_answers")
    decline_panel = Forward("panel_answers")
    free_text_for_review = Forward("panel_answers")
    my_panel_answers = Forward("panel_answers")
    panel_invitations = Forward("panel_answers")

    # Panel reserves: domain.insight.replacements
    replace_members_who_left = Forward("panel_replacements")

    # Quotas no panel can meet: domain.insight.quota_changes
    nearest_quotas = Forward("quota_changes")
    accept_nearest_quotas = Forward("quota_changes")

    # Panel reminders: domain.insight.reminders
    remind_panel = Forward("panel_reminders")


__all__ = ["Trust", "Ticked", "Audience", "AccessOutcome", "CONFIRMATION_WAYS", "registers_themself"]
