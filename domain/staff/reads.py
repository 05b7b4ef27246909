"""A read of a member's personal data by the trust's own staff: who, when, which
member, on which page. Organisations' reads are AccessAttempts (a consent relied
on); staff read under their role, not a consent, so their reads are their own
fact. Both are "did see" in the member's history.

The event holds no personal data (a member id, a fixed page code, the staff
actor), so it is not sealed and survives erasure: the trail says that someone
read the record, never what it said. Every channel (web pages, CLI, exports)
records through ``record_staff_reads`` *before* it shows anything: a read that
cannot be recorded (the store busy) is not shown (fail closed).
"""

from collections.abc import Iterable
from uuid import UUID

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.membership.commands import MembershipCommands
from domain.staff.model import StaffRead
from domain.store.application import TrustApplication

STAFF_ROLES = ("caseworker", "trustee", "operator")

# The page codes, with the words trustees read in the history. Fixed codes, never a
# URL: a query string could carry the text a caseworker searched for.
PAGES = {
    "member": "the member's page",
    "member-withdraw": "the withdrawal form",
    "member-profile": "the profile form",
    "member-household": "the household form",
    "member-confirm": "the in-person confirmation form",
    "member-consent": "the consent form",
    "member-terms": "the membership terms form",
    "member-data": "a paper form of shared data",
    "member-panels": "the member's community panels",
    "member-panel-answer": "a paper panel-answer form",
    "member-ballots": "the member's ballots",
    "member-ballot": "a paper ballot form",
    "search": "search results",
    "pending": "the list of members waiting to confirm",
    "help-queue": "the caseworkers' list of requests for help",
    "audit-what-could-see": "an audit answer (what an organisation could see)",
    "audit-explain": "an audit answer (explain)",
    "audit-late-facts": "the late-facts report",
    "audit-who-could-see": "an audit answer (who could see the member's data)",
    "audit-history": "an audit answer (the member's history)",
    "audit-who-read": "an audit answer (who read the member's data)",
    "audit-search": "search results (audit)",
    "cli-member-list": "the member list (command line)",
    "cli-member-show": "the member's record (command line)",
    "cli-report": "the trustee report (command line)",
    "dividend-payments": "the treasurer's list of dividend payments",
}


class StaffReadCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands) -> None:
        self.app = app
        self.members = members

    def record_staff_read(self, member_id: UUID, page: str, actor: Actor) -> None:
        """Staff are about to see this member's personal data on ``page``."""
        self.record_staff_reads([member_id], page, actor)

    def record_staff_reads(self, member_ids: Iterable[UUID], page: str, actor: Actor) -> None:
        """Staff are about to see these members' personal data on one ``page`` (a
        list, e.g. search results): one read per member listed, in one command.
        Refused whole, nothing recorded, for an unknown page, a non-staff actor or
        an unknown member."""
        if page not in PAGES:
            raise InvalidRequest(f"Unknown page {page!r}; staff reads are recorded on: {', '.join(PAGES)}.")
        if actor.role not in STAFF_ROLES:
            raise InvalidRequest(
                f"Only the trust's staff ({', '.join(STAFF_ROLES)}) record reads this way, not a {actor.role}."
            )
        wanted = list(dict.fromkeys(member_ids))  # each member once per page shown
        if not wanted:
            return
        with self.app.command() as (_session, _now):
            for member_id in wanted:
                self.members.require_member(member_id)
            self.app.save(*(StaffRead(member_id=m, page=page, actor=str(actor)) for m in wanted))
