"""The trust's application: every command and single-record query, in one place."""

import domain.recorded_topics  # noqa: F401 - old topics of moved classes resolve once the trust is built
from domain.announcements.commands import AnnouncementCommands
from domain.consent.commands import AccessOutcome, Audience, ConsentCommands
from domain.consent.renewals import RenewalCommands
from domain.digests.commands import DigestCommands
from domain.governance.commands import ProposalCommands
from domain.governance.rules import RuleCommands
from domain.insight.commands import InsightCommands
from domain.insight.reminders import PanelReminderCommands
from domain.membership.chat import ChatCommands
from domain.membership.commands import MembershipCommands, registers_themself
from domain.membership.model import CONFIRMATION_WAYS
from domain.organisations.commands import OrganisationCommands
from domain.sealing.commands import KeyCommands
from domain.staff.commands import StaffCommands
from domain.staff.reads import StaffReadCommands


class Trust(
    MembershipCommands,
    OrganisationCommands,
    ConsentCommands,
    RenewalCommands,
    StaffCommands,
    StaffReadCommands,
    ChatCommands,
    AnnouncementCommands,
    RuleCommands,
    ProposalCommands,
    InsightCommands,
    PanelReminderCommands,
    DigestCommands,
    KeyCommands,
):
    """Commands record events; the read side is in projections/."""


__all__ = ["Trust", "Audience", "AccessOutcome", "CONFIRMATION_WAYS", "registers_themself"]
