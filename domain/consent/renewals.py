"""A consent's end and its renewal: the member is offered a one-tap renewal before a
consent with an expiry ends, may renew it for the same term again, and is told when
it has ended. The member's words are the trust's (no personal data in them)."""

from datetime import datetime, timedelta
from uuid import UUID

from domain.announcements.commands import AnnouncementCommands
from domain.consent.commands import ConsentCommands
from domain.consent.model import Consent
from domain.kernel.actors import Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import InvalidRequest, UnknownConsent
from domain.membership.commands import MembershipCommands
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

DAY = timedelta(days=1)


def term_in_words(term: timedelta) -> str:
    """A consent's term as a member would say it: "12 months", "90 days", "6 hours"."""
    days = round(term / DAY)
    if days < 1:
        hours = max(1, round(term / timedelta(hours=1)))
        return "1 hour" if hours == 1 else f"{hours} hours"
    months = round(days / 30.44)
    if months >= 1 and abs(days - months * 30.44) <= 3:
        if months % 12 == 0:
            return "1 year" if months == 12 else f"{months // 12} years"
        return "1 month" if months == 1 else f"{months} months"
    return "1 day" if days == 1 else f"{days} days"


def time_left_in_words(left: timedelta) -> str:
    days = round(left / DAY)
    if days < 1:
        return "in less than a day"
    return "tomorrow" if days == 1 else f"in {days} days"


class RenewalCommands:
    def __init__(
        self,
        app: TrustApplication,
        organisations: "OrganisationCommands",
        announcements: "AnnouncementCommands",
        members: "MembershipCommands",
        consents: "ConsentCommands",
    ) -> None:
        self.app = app
        self.organisations = organisations
        self.announcements = announcements
        self.members = members
        self.consents = consents

    def renew_consent(self, consent_id: UUID, member_id: UUID, actor: Actor) -> datetime:
        """The member keeps their consent for the same term again, on the purpose's
        current notice; returns the new expiry. Only the consent's own member can."""
        with self.app.command() as (_session, now):
            consent = self._members_consent(consent_id, member_id)
            self.members.member(member_id).require_current("renew a consent of")
            purpose = self.app.catalogue.purpose(consent.purpose)
            notice_version = purpose.latest_notice
            self._check_audience(consent, purpose, notice_version)  # the current notice must still cover it
            expires_at = consent.renew(now, notice_version, purpose.notice_hash(notice_version), str(actor))
            self.app.save(consent)
        return expires_at

    def _check_audience(self, consent, purpose, version: str) -> None:  # type: ignore[no-untyped-def]
        if consent.audience_organisation_id is None:
            self.app.catalogue.check_audience_kind(purpose, version, consent.audience_kind)
            return
        named = self.consents.organisation_for_access(consent.audience_organisation_id)
        self.app.catalogue.check_audience_kind(purpose, version, named.kind, who=named.name)

    def record_expiry(self, consent_id: UUID, actor: Actor) -> None:
        """Record that the consent ended at its expiry, and tell the member (unless they
        have left or been erased)."""
        with self.app.command() as (session, now):
            consent = self.consents.consent(consent_id)
            consent.expire(now=now, actor=str(actor))
            told = []
            if self.members.current_member(consent.member_id) is not None:
                text = (
                    f"Your consent for {self._audience_words(consent)} ended at {uk_time(consent.expires_at)}. "
                    f"{self._who_words(consent)} can no longer see that data. "
                    "You can give it again with /consents."
                )
                told.append(self.announcements.new_announcement(session, now, text, actor, [consent.member_id]))
            self.app.save(consent, *told)

    def offer_renewal(self, consent_id: UUID, days_before: int, actor: Actor) -> UUID:
        """Offer the member a one-tap renewal of a consent that ends soon; returns the
        announcement that carries it. Refused (nothing recorded) for a consent that has
        ended or has no expiry, and for a member who has left or been erased."""
        if isinstance(days_before, bool) or not isinstance(days_before, int) or days_before < 1:
            raise InvalidRequest("A renewal is offered a whole number of days (1 or more) before the expiry.")
        with self.app.command() as (session, now):
            consent = self.consents.consent(consent_id)
            expires_at = consent.check_renewable(now)
            self.members.member(consent.member_id).require_current("offer a renewal to")
            text = (
                f"Your consent for {self._audience_words(consent)} ends on {uk_time(expires_at)}, "
                f"{time_left_in_words(expires_at - now)}. Tap Renew to keep it for another "
                f"{term_in_words(consent.term)}, or do nothing and it ends then."
            )
            action = {"renew": str(consent.id), "expires_at": expires_at.isoformat()}
            offer = self.announcements.new_announcement(session, now, text, actor, [consent.member_id], action)
            self.app.save(offer)
        return offer.id

    def _members_consent(self, consent_id: UUID, member_id: UUID) -> Consent:
        consent = self.consents.consent(consent_id)
        if consent.member_id != member_id:
            raise UnknownConsent(consent_id)  # another member's consent is not theirs to know of
        return consent

    def _audience_words(self, consent: Consent) -> str:
        """ "Affordable credit to Eden Valley Credit Union" or "... to approved social lender organisations"."""
        purpose = self.app.catalogue.purposes.get(consent.purpose)
        title = purpose.title if purpose is not None else consent.purpose
        if consent.audience_organisation_id is not None:
            return f"{title} to {self.organisations.organisation(consent.audience_organisation_id).name}"
        kind = self.app.catalogue.organisation_kinds.get(consent.audience_kind or "", consent.audience_kind)
        return f"{title} to approved {str(kind).lower()} organisations"

    def _who_words(self, consent: Consent) -> str:
        if consent.audience_organisation_id is not None:
            return self.organisations.organisation(consent.audience_organisation_id).name
        return "Those organisations"
