"""Publishing a fund, and a member's one-step reply to it.

Publishing matches the fund's criteria against the profiles of the organisation-members who agree to
hear of funds now (opened with each member's key by the read side, never kept in the clear), and is
refused, with nothing recorded, when fewer than the live minimum cell size fit: a fund must never
single out a few members. The members it fits are told in their chat (an announcement) and see it in
the portal. A member's reply records a funding-applications consent naming that funder, so its pack
is readable through the organisation API, and the funder learns who shared; before that, only how many
were told, withheld below the minimum cell size (``told_shown``)."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from domain.announcements.commands import AnnouncementCommands
from domain.consent.commands import Audience, ConsentCommands, Ticked
from domain.funds.criteria import checked_criteria, fits
from domain.funds.model import Fund
from domain.governance.live_rules import RuleCommands
from domain.kernel.actors import Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import InvalidRequest, InvalidTime, NotAllowedNow, NotFound
from domain.kernel.text import one_line
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

FUND_NEWS = "fund-news"  # the purpose members agree to, to be told of funds
APPLICATIONS = "funding-applications"  # the purpose of the consent a member's reply records
MOST_PENCE = 10**13  # £100 billion: no fund comes near
BETWEEN = "A fund's closing date must be a date between the years 1900 and 9000."


class UnknownFund(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No fund is known by {reference!s}.")


def told_shown(told: int, min_cell: int) -> int | None:
    """What a funder sees of how many were told: the count, or None below the minimum cell size."""
    return told if told >= min_cell else None


def pounds(pence: int) -> str:
    return f"£{pence // 100:,}" + (f".{pence % 100:02d}" if pence % 100 else "")


def told_text(title: str, funder: str, low: int, high: int, closes_at: datetime) -> str:
    """What the members a fund fits are told, with the button to share their pack (the announcement's action)."""
    return (
        f"A fund that fits your organisation: {title}, from {funder}: {pounds(low)} to {pounds(high)}, open until "
        f"{uk_time(closes_at)}. To apply, share your application pack with {funder} in one step, here or in the "
        f"members' portal (Funds); until you do, {funder} does not know you were told."
    )


def _amount(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= MOST_PENCE:
        raise InvalidRequest(f"{what} is a whole number of pence from 100 (£1) to {MOST_PENCE:,}.")
    return value


class FundCommands:
    def __init__(
        self,
        app: TrustApplication,
        organisations: OrganisationCommands,
        members: MembershipCommands,
        consents: ConsentCommands,
        announcements: AnnouncementCommands,
        rules: RuleCommands,
    ) -> None:
        self.app = app
        self.organisations = organisations
        self.members = members
        self.consents = consents
        self.announcements = announcements
        self.rules = rules

    def publishers(self) -> tuple[str, ...]:
        """The organisation kinds that may publish a fund: those a member's reply could name."""
        applications = self.app.catalogue.purpose(APPLICATIONS)
        return applications.covered_kinds(applications.latest_notice)

    def publish_fund(
        self,
        organisation_id: UUID,
        title: str,
        amount_min_pence: int,
        amount_max_pence: int,
        criteria: Any,
        closes_at: datetime,
        actor: Actor,
    ) -> UUID:
        """Publish a fund and tell the members it fits; refused (nothing recorded) if fewer than the
        minimum cell size of the members who agreed to hear of funds fit it."""
        if actor.role not in ("organisation", "trustee"):
            raise NotAllowedNow("A fund is published by its funder (in its portal or the API), or by a trustee.")
        title = one_line(title, "A fund's title", 200)
        low, high = _amount(amount_min_pence, "The smallest award"), _amount(amount_max_pence, "The largest award")
        if low > high:
            raise InvalidRequest("The smallest award must not be more than the largest.")
        wanted = checked_criteria(criteria, self.app.catalogue.standard)
        if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
            raise InvalidTime("A fund's closing date needs a time zone.")
        try:
            closes_at = closes_at.astimezone(UTC)
        except OverflowError:
            raise InvalidTime(BETWEEN) from None
        if closes_at.year >= 9000:
            raise InvalidTime(BETWEEN)
        assert self.app.access_rules is not None, "the read side is wired by the composition root"
        with self.app.command() as (session, now):
            funder = self.organisations.organisation(organisation_id)
            if not funder.is_approved or funder.kind not in self.publishers():
                labels = [self.app.catalogue.kind_label(kind).lower() for kind in self.publishers()]
                kinds = " or ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
                raise NotAllowedNow(f"Only an approved {kinds} publishes a fund; {funder.name} is not one now.")
            if closes_at <= now:
                was = f"{closes_at:%Y-%m-%d %H:%M} UTC"
                raise InvalidTime(f"A fund's closing date must be in the future (it was {was}).")
            audience = self.app.access_rules.fund_audience(session, now)
            told = sorted(str(member) for member, found in audience.items() if fits(wanted, found))
            least = self.rules.live_rule("min-cell-size").value
            if len(told) < least:
                raise NotAllowedNow(
                    f"Fewer than {least} of the members who asked to hear of funds fit these criteria, so telling "
                    "them would single them out; nothing was recorded. Widen the criteria."
                )
            self._no_differencing(session, organisation_id, set(told), least)
            text = told_text(title, funder.name, low, high, closes_at)
            fund = Fund(
                organisation_id=organisation_id,
                title=title,
                amount_min_pence=low,
                amount_max_pence=high,
                criteria=wanted.as_dict(),
                closes_at=closes_at,
                told=told,
                actor=str(actor),
            )
            told_ids, action = [UUID(member) for member in told], {"fund": str(fund.id)}  # a button to share the pack
            announcement = self.announcements.new_announcement(session, now, text, actor, told_ids, action)
            self.app.save(fund, announcement)
        return fund.id

    def share_pack(self, fund_id: UUID, member_id: UUID, actor: Actor, collected_via: str = "portal") -> UUID:
        """The member's reply: its application pack shared with the fund's funder, recorded as a
        funding-applications consent naming it (returned). Refused unless the member was told of the
        fund, has not replied, the fund is open and the funder still approved."""
        may_act_for_members(actor, "share a member's application pack")
        applications = self.app.catalogue.purpose(APPLICATIONS)
        assert applications.offer is not None, "the catalogue offers funding applications"
        with self.app.command() as (_session, now):
            fund = self.fund(fund_id)
            fund.check_can_share(member_id, now)
            funder = self.organisations.organisation(fund.organisation_id)
            if not funder.is_approved:
                raise NotAllowedNow(f"{funder.name} is {funder.status} now, so it cannot receive your pack.")
            ticked = Ticked(APPLICATIONS, applications.offer.categories, Audience(organisation_id=funder.id))
            asked = self.consents.checked(ticked, collected_via, None)
            consent = self.consents.new_consent(asked, self.members.member_for_consent(member_id), actor, now, None)
            fund.share_pack(member_id, consent.id, now, str(actor))
            self.app.save(consent, fund)
        return consent.id

    def _no_differencing(self, session: Session, organisation_id: UUID, told: set[str], least: int) -> None:
        """A funder sees how many members each of its funds reached. Two funds whose members differ by a
        few (one reaches 14, the other the same 14 and 2 more) would tell it how many fit the difference,
        a group too small to show: refused as a breakdown below the minimum cell size is."""
        assert self.app.access_rules is not None
        for fund_id in self.app.access_rules.funds_published_by(session, organisation_id):
            earlier = self.fund(fund_id)
            more, fewer = len(told - set(earlier.told)), len(set(earlier.told) - told)
            if 0 < more < least or 0 < fewer < least:
                raise NotAllowedNow(
                    f"These criteria reach almost the members your fund “{earlier.title}” reached: the two differ "
                    f"by fewer than {least}, so comparing how many each reached would single those members out. "
                    "Nothing was recorded. Change the criteria so that they differ more, or reach the same members."
                )

    def fund(self, fund_id: UUID) -> Fund:
        return self.app.load(fund_id, Fund, UnknownFund)
