"""When the membership terms change: members who agreed to an older version are told, and their
agreement to the latest is recorded, in the chat or from a signed paper form.

Not agreeing yet blocks nothing: a member stays a member on the terms they agreed to, and every
right (their data, withdrawing consent, leaving, erasure, asking for a person, stopping messages,
voting) works as before. They are told at most once a day (Member.tell_terms_changed), and a
second "I agree" records nothing."""

from datetime import datetime
from uuid import UUID

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.kernel.references import reference
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.membership.model import ASK_AGAIN_AFTER, FULL_TEXT, NETWORKS, SUMMARY, SUMMARY_AND_FULL_TEXT
from domain.store.application import TrustApplication

__all__ = ["ASK_AGAIN_AFTER", "FULL_TEXT", "SUMMARY", "SUMMARY_AND_FULL_TEXT", "TermsCommands"]  # (for the chat)
ON_PAPER = ("caseworker", "trustee", "operator")  # who records an agreement from a signed paper form


class TermsCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands) -> None:
        self.app = app
        self.members = members

    def agree_to_terms(
        self,
        member_id: UUID,
        version: str,
        actor: Actor,
        sent: str = FULL_TEXT,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> bool:
        """The member agrees to ``version`` of the membership terms, which must be the latest. By
        themself (in the chat: ``sent`` says what of the text they were sent), or from a signed paper
        form recorded by the trust's staff (the form's reference and when it was signed). False,
        and nothing recorded, when the latest version is the one they last agreed to already."""
        may_act_for_members(actor, "record a member's agreement to the terms")
        latest = self.app.catalogue.latest_terms
        if version != latest:
            raise NotAllowedNow(
                f"Version {version} is not the latest membership terms; a member agrees now to version {latest}."
            )
        terms_hash = self.app.catalogue.terms_hash(version)
        on_paper = actor.role in ON_PAPER
        if on_paper and not (evidence_ref and evidence_ref.strip()):
            raise InvalidRequest("An agreement on paper needs the signed form's reference as evidence.")
        if not on_paper and actor.role != "member":
            raise NotAllowedNow(f"A {actor.role} cannot agree to the membership terms for a member.")
        evidence = reference(evidence_ref) if on_paper else None
        with self.app.command() as (_session, now):
            member = self.members.member(member_id)
            member.require_current("record the terms accepted by")
            when = self.app.effective(effective_at, now, member.registered_effective_at, "An agreement")
            if member.agreed_terms == version:
                return False
            member.accept_terms(
                version,
                terms_hash,
                str(actor),
                sent,
                effective_at=when if on_paper else None,
                evidence_ref=evidence,
            )
            self.app.save(member)
        return True

    def tell_terms_changed(self, member_id: UUID, network: str, sent: str, actor: Actor) -> bool:
        """The chat tells the member on ``network`` that the terms changed, sending the latest
        version's text (or its summary): recorded, so the trust can show who was told what and when.
        False (nothing recorded) when they agreed to it already or were told of it within the day."""
        may_act_for_members(actor, "tell members of new terms")
        if network not in NETWORKS:
            raise InvalidRequest(f"Unknown channel {network!r}; use one of: {', '.join(NETWORKS)}.")
        version = self.app.catalogue.latest_terms
        with self.app.command() as (_session, now):
            member = self.members.member(member_id)
            if member.agreed_terms is None:
                return False  # no agreement recorded (registered on paper or by staff): a caseworker records one
            told = member.tell_terms_changed(version, network, sent, str(actor), now)
            if told:
                self.app.save(member)
        return told
