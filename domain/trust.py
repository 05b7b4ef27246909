"""The trust's application: every command and single-record query, in one place."""

from domain.announcing import AnnouncementCommands
from domain.chatting import ChatCommands
from domain.consenting import AccessOutcome, Audience, ConsentCommands
from domain.digests import DigestCommands
from domain.insight import InsightCommands
from domain.key_rotation import KeyCommands
from domain.members import CONFIRMATION_WAYS
from domain.membership import MembershipCommands, registers_themself
from domain.organising import OrganisationCommands
from domain.panel_reminders import PanelReminderCommands
from domain.renewals import RenewalCommands
from domain.rules import RuleCommands
from domain.staff_reads import StaffReadCommands
from domain.staffing import StaffCommands
from domain.voting import ProposalCommands


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
