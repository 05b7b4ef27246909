"""The trust's application: every command and single-record query, in one place."""

from domain.announcing import AnnouncementCommands
from domain.chatting import ChatCommands
from domain.consenting import AccessOutcome, Audience, ConsentCommands
from domain.members import CONFIRMATION_WAYS
from domain.membership import MembershipCommands
from domain.organising import OrganisationCommands
from domain.staffing import StaffCommands


class Trust(
    MembershipCommands, OrganisationCommands, ConsentCommands, StaffCommands, ChatCommands, AnnouncementCommands
):
    """Commands record events; the read side is in projections/."""


__all__ = ["Trust", "Audience", "AccessOutcome", "CONFIRMATION_WAYS"]
