"""Commands about consent: giving, withdrawing, and recording reads (expiry and
renewal are in domain.consent.renewals)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.consent.access import AccessAttempt
from domain.consent.model import COLLECTED_VIA, Consent
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, InvalidTime, UnknownConsent, UnknownOrganisation
from domain.kernel.references import reference
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.organisations.commands import OrganisationCommands
from domain.store.application import TrustApplication

if TYPE_CHECKING:
    from domain.membership.model import Member
    from domain.organisations.model import Organisation


@dataclass(frozen=True)
class Audience:
    """One named organisation, or every approved organisation of a kind."""

    organisation_id: UUID | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        if (self.organisation_id is None) == (self.kind is None):
            raise InvalidRequest("A consent is for one named organisation or for one kind of organisation.")


@dataclass(frozen=True)
class Ticked:
    """One consent as a member asked for it (ticked on a form, say): purpose, categories, audience."""

    purpose: str
    categories: tuple[str, ...]
    audience: Audience


@dataclass(frozen=True)
class Asked:
    """A consent checked against the catalogue, ready to record."""

    purpose: str
    categories: tuple[str, ...]
    audience: Audience
    notice_version: str
    notice_hash: str
    collected_via: str
    evidence_ref: str | None
    expires_at: datetime | None


@dataclass(frozen=True)
class AccessOutcome:
    attempt_id: UUID
    granted: dict[str, UUID]
    refused: tuple[str, ...]


class ConsentCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands, organisations: OrganisationCommands) -> None:
        self.app = app
        self.members = members
        self.organisations = organisations

    def grant_consent(
        self,
        member_id: UUID,
        purpose: str,
        categories: Sequence[str],
        audience: Audience,
        actor: Actor,
        collected_via: str = "web",
        evidence_ref: str | None = None,
        notice_version: str | None = None,
        expires_at: datetime | None = None,
        effective_at: datetime | None = None,
    ) -> UUID:
        may_act_for_members(actor, "record a consent on a member's behalf")
        asked = self.checked(
            Ticked(purpose, tuple(categories), audience), collected_via, evidence_ref, notice_version, expires_at
        )
        with self.app.command() as (_session, now):
            member, named = self.member_and_named(member_id, asked.audience)
            consent = self.new_consent(asked, member, actor, now, effective_at, named)
            self.app.save(consent)
        return consent.id

    def member_and_named(self, member_id: UUID, audience: Audience) -> "tuple[Member, Organisation | None]":
        """The member a consent is for and the organisation it names, if it names one: read together."""
        named_id = audience.organisation_id
        if named_id is None or named_id == member_id:
            return self.members.member_for_consent(member_id), None
        loaded = self.app.load_each({member_id: self.members.loaded_as(), named_id: self.organisations.loaded_as()})
        return self.members.may_consent(loaded[member_id]), loaded[named_id]

    def checked(
        self,
        ticked: "Ticked",
        collected_via: str,
        evidence_ref: str | None,
        notice_version: str | None = None,
        expires_at: datetime | None = None,
    ) -> "Asked":
        """Everything about a consent that can be checked before the writer lock: the purpose,
        categories and notice in the catalogue, the way it was collected, a kind of audience."""
        chosen = self.app.catalogue.purpose(ticked.purpose)
        categories = self.app.catalogue.check_categories(list(ticked.categories))
        notice_version = notice_version or chosen.latest_notice
        notice_hash = chosen.notice_hash(notice_version)
        if collected_via not in COLLECTED_VIA:
            raise InvalidRequest(
                f"Unknown way of collecting {collected_via!r}; use one of: {', '.join(COLLECTED_VIA)}."
            )
        if collected_via == "paper" and not evidence_ref:
            raise InvalidRequest("A consent given on paper needs the form's reference as evidence.")
        if expires_at is not None and expires_at.tzinfo is None:
            raise InvalidTime("An expiry needs a time zone.")
        if ticked.audience.kind is not None:
            self.app.catalogue.check_audience(chosen, notice_version, ticked.audience.kind)
        elif chosen.within_trust:  # a named organisation
            self.app.catalogue.check_audience(chosen, notice_version, "")
        return Asked(
            ticked.purpose,
            tuple(categories),
            ticked.audience,
            notice_version,
            notice_hash,
            collected_via,
            reference(evidence_ref),
            expires_at,
        )

    def new_consent(
        self,
        asked: "Asked",
        member: "Member",
        actor: Actor,
        now: datetime,
        effective_at: datetime | None,
        named: "Organisation | None" = None,
    ) -> Consent:
        """Inside a command: the consent, once its named audience and its times are checked (``named``: the
        organisation it names, if the caller has loaded it). The caller saves it."""
        self.app.catalogue.check_purpose_for(self.app.catalogue.purpose(asked.purpose), member.kind)
        if asked.audience.organisation_id is not None:
            if named is None or named.id != asked.audience.organisation_id:
                named = self.organisations.organisation(asked.audience.organisation_id)
            chosen = self.app.catalogue.purpose(asked.purpose)
            self.app.catalogue.check_audience_kind(chosen, asked.notice_version, named.kind, who=named.name)
        effective_at = self.app.effective(effective_at, now, member.registered_effective_at, "A consent")
        if asked.expires_at is not None and asked.expires_at <= max(effective_at, now):
            raise InvalidTime("A consent's expiry must be later than now and than when it takes effect.")
        return Consent(
            member_id=member.id,
            purpose=asked.purpose,
            categories=list(asked.categories),
            audience_organisation_id=asked.audience.organisation_id,
            audience_kind=asked.audience.kind,
            expires_at=asked.expires_at,
            notice_version=asked.notice_version,
            notice_hash=asked.notice_hash,
            collected_via=asked.collected_via,
            evidence_ref=asked.evidence_ref,
            effective_at=effective_at,
            actor=str(actor),
        )

    def revoke_consent(
        self,
        consent_id: UUID,
        actor: Actor,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> None:
        """Withdraw a consent. Once this returns, no read relies on it any more."""
        with self.app.command() as (_session, now):
            consent = self.consent(consent_id)
            effective_at = self.app.effective(effective_at, now, what="A withdrawal")
            consent.revoke(effective_at=effective_at, actor=str(actor), evidence_ref=reference(evidence_ref))
            self.app.save(consent)

    def record_access(
        self, organisation_id: UUID, member_id: UUID, purpose: str, categories: Sequence[str], actor: Actor
    ) -> AccessOutcome:
        """An organisation reads member data: record what it was allowed to see and why.
        A panels purpose is refused before anything is read (see Catalogue.readable_purpose)."""
        self.app.catalogue.readable_purpose(purpose)
        categories = self.app.catalogue.check_categories(list(categories))
        assert self.app.access_rules is not None, "the access rules are wired by the composition root"
        with self.app.command() as (session, now):
            if organisation_id == member_id:
                raise UnknownOrganisation(organisation_id)
            allowing = self.app.access_rules.allowing_consents(
                session, organisation_id, member_id, purpose, categories, now
            )
            if not allowing:  # a consent that allows the read names them both, so they exist; else check
                wanted = {organisation_id: self.organisations.registered(), member_id: self.members.registered()}
                self.app.require_each(session, wanted)  # their first events, in one query
            refused = tuple(c for c in categories if c not in allowing)
            reason = "allowed by consent" if not refused else "no active consent for " + ", ".join(refused)
            attempt = AccessAttempt(
                organisation_id=organisation_id,
                member_id=member_id,
                purpose=purpose,
                granted={c: str(cid) for c, cid in allowing.items()},
                refused=list(refused),
                reason=reason,
                actor=str(actor),
            )
            self.app.save(attempt)
        return AccessOutcome(attempt.id, dict(allowing), refused)

    def organisation_for_access(self, organisation_id: UUID) -> "Organisation":
        return self.organisations.organisation(organisation_id)

    def consent(self, consent_id: UUID) -> Consent:
        return self.app.load(consent_id, Consent, UnknownConsent)
