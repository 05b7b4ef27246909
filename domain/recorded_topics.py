"""Where the classes named in recorded events live now.

Every stored event names its class by module path, its *topic* (``domain.consents:Consent.Granted``).
The history is immutable, so when a class moves, its old topic must still lead to it: each
aggregate that moved when the domain was split into one folder per part (issue 14) is
registered here under the topic it was recorded with. An event's topic is its aggregate's
plus the event's name, so registering the aggregate covers its events. Never remove a line:
some store somewhere holds events under that name. A class that moves again gets a new line.
"""

from eventsourcing.utils import register_topic

from domain.announcements.model import Announcement
from domain.consent.access import AccessAttempt
from domain.consent.model import Consent
from domain.data.model import MemberData
from domain.digests.model import TrusteeDigest
from domain.funds.model import Fund
from domain.governance.model import Ballot, Proposal
from domain.governance.rules import TrustRules
from domain.help.model import HelpRequests
from domain.insight.model import InsightRequest
from domain.insight.seats import PanelSeat
from domain.membership.chat_links import ChatLink
from domain.membership.codes import MemberCode
from domain.membership.model import Member
from domain.organisations.api_tokens import ApiToken
from domain.organisations.model import Organisation, OrganisationName, OrganisationOrgId
from domain.portal.model import PortalAccess
from domain.staff.model import StaffAccount, StaffRead
from domain.surplus.model import DividendGift, Surplus
from domain.surveys.model import StaffSurvey

RECORDED_BEFORE_PARTS = {
    "domain.accesses:AccessAttempt": AccessAttempt,
    "domain.announcing:Announcement": Announcement,
    "domain.api_tokens:ApiToken": ApiToken,
    "domain.chat_links:ChatLink": ChatLink,
    "domain.consents:Consent": Consent,
    "domain.digests:TrusteeDigest": TrusteeDigest,
    "domain.insight_requests:InsightRequest": InsightRequest,
    "domain.member_codes:MemberCode": MemberCode,
    "domain.members:Member": Member,
    "domain.organisations:Organisation": Organisation,
    "domain.organisations:OrganisationName": OrganisationName,
    "domain.panel_seats:PanelSeat": PanelSeat,
    "domain.proposals:Ballot": Ballot,
    "domain.proposals:Proposal": Proposal,
    "domain.rules:TrustRules": TrustRules,
    "domain.staff:StaffAccount": StaffAccount,
    "domain.staff_reads:StaffRead": StaffRead,
}

# Aggregates made after the split, recorded under their topic of today: if one moves, it gets a line above.
RECORDED_SINCE_PARTS = (
    MemberData,
    HelpRequests,
    PortalAccess,
    OrganisationOrgId,
    StaffSurvey,
    Surplus,
    DividendGift,
    Fund,
)

for _topic, _aggregate in RECORDED_BEFORE_PARTS.items():
    register_topic(_topic, _aggregate)
