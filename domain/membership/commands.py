"""Commands about members: joining, confirming, profile, contact, leaving, erasure."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownMember
from domain.kernel.references import reference
from domain.kernel.text import one_line
from domain.keys.commands import KeyCommands, PurgeUnfinished
from domain.membership.addresses import ADDRESS_FIELDS
from domain.membership.chat_links import DIGEST_KEY, ChatLink, chat_digest
from domain.membership.codes import MemberCode, new_code, normalise
from domain.membership.model import (
    ACTIVE,
    CHANNELS,
    CONFIRMATION_WAYS,
    ERASED,
    HOUSEHOLD,
    KINDS,
    LEFT,
    NETWORKS,
    STOP_WAYS,
    Member,
)
from domain.store.application import TrustApplication
from domain.store.drafts import drop_drafts_of

MAX_NAME = 200
log = logging.getLogger(__name__)


def registers_themself(actor: Actor, channel: str) -> bool:
    """Only a member joining by themself (the bot, the members' own portal: actor
    role ``member``) is confirmed at once. Anyone registered on their behalf (on
    paper, or by a caseworker, trustee, operator or the scheduler on any channel)
    stays unconfirmed until they confirm, and no consent gives access until then."""
    return channel != "paper" and actor.role == "member"


def may_act_for_members(actor: Actor, what: str) -> None:
    """An organisation reads under consent; it never registers members nor records
    consents on their behalf (it would be granting itself access)."""
    if actor.role == "organisation":
        raise NotAllowedNow(f"An organisation may not {what}; the member does it themself or through a caseworker.")


@dataclass(frozen=True)
class Registration:
    """A registration checked, ready to record: the personal data to seal, the evidence."""

    personal: dict
    evidence_ref: str | None


class MembershipCommands:
    def __init__(self, app: TrustApplication, keys: "KeyCommands") -> None:
        self.app = app
        self.keys = keys

    def register_member(
        self,
        name: str,
        actor: Actor,
        channel: str = "web",
        kind: str = "individual",
        profile: dict[str, str] | None = None,
        contact: str | None = None,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> UUID:
        """Record a new member. One registered on their behalf (on paper, or by anyone
        but themself) stays unconfirmed until they confirm; no consent gives access until then."""
        registration = self.checked_registration(name, actor, channel, kind, profile, contact, evidence_ref)
        with self.app.command() as (session, now):
            effective_at = self.app.effective(effective_at, now, what="A registration")
            member, index = self.new_member(
                session, registration.personal, kind, channel, actor, effective_at, registration.evidence_ref
            )
            self.app.save(member, index)
        return member.id

    def checked_registration(
        self,
        name: str,
        actor: Actor,
        channel: str,
        kind: str,
        profile: dict[str, str] | None,
        contact: str | None,
        evidence_ref: str | None,
    ) -> "Registration":
        """Everything about a registration that can be checked before the writer lock."""
        may_act_for_members(actor, "register members")
        name = one_line(name, "A member's name or nickname", MAX_NAME)
        if channel not in CHANNELS:
            raise InvalidRequest(f"Unknown channel {channel!r}; use one of: {', '.join(CHANNELS)}.")
        if kind not in KINDS:
            raise InvalidRequest(f"Unknown member kind {kind!r}; use one of: {', '.join(KINDS)}.")
        if channel == "paper" and not evidence_ref:
            raise InvalidRequest("A paper registration needs the form's reference as evidence.")
        answers = self.app.catalogue.clean_profile(profile or {})
        personal: dict = {"name": name, "profile": answers}
        if contact and contact.strip():
            personal["contact"] = one_line(contact, "How to reach the member", MAX_NAME)
        return Registration(personal, reference(evidence_ref))

    def new_member(
        self,
        session: Session,
        personal: dict,
        kind: str,
        channel: str,
        actor: Actor,
        effective_at: datetime,
        evidence_ref: str | None,
    ) -> tuple[Member, MemberCode]:
        """Inside a command: a new member (their key made, their personal data sealed) and their code's index."""
        member_id = uuid4()
        key = self.app.vault.create_key(session, member_id)
        code = self.unused_code()
        member = Member(
            id=member_id,
            reference_code=code,
            kind=kind,
            channel=channel,
            personal=self.app.vault.seal(key, member_id, personal),
            questions=sorted(personal.get("profile", {})),
            has_contact="contact" in personal,
            confirmed=registers_themself(actor, channel),
            effective_at=effective_at,
            actor=str(actor),
            evidence_ref=evidence_ref,
        )
        return member, MemberCode(code=code, member_id=member_id)

    def unused_code(self) -> str:
        """A fresh reference code (checked under the writer lock; the index
        aggregate makes a clash impossible even so)."""
        while True:
            code = new_code()
            try:
                self.app.repository.get(MemberCode.create_id(code))
            except AggregateNotFoundError:
                return code

    def member_for_code(self, text: str) -> UUID:
        code = normalise(text)
        if code is None:
            raise UnknownMember(text)
        try:
            index = self.app.repository.get(MemberCode.create_id(code))
        except AggregateNotFoundError:
            raise UnknownMember(text) from None
        return index.member_id

    def confirm_member(self, member_id: UUID, actor: Actor, how: str, effective_at: datetime | None = None) -> None:
        """``how`` is one of CONFIRMATION_WAYS (never free text: it outlives erasure)."""
        if how not in CONFIRMATION_WAYS:
            raise InvalidRequest(f"Say how the member confirmed: one of {', '.join(CONFIRMATION_WAYS)}.")
        with self.app.command() as (session, now):
            member = self.member(member_id)
            if str(actor) == member.registered_by and actor.role != "member":
                raise NotAllowedNow("A second caseworker, not the one who registered the member, must confirm.")
            effective_at = self.app.effective(effective_at, now, member.registered_effective_at, "A confirmation")
            member.confirm(effective_at=effective_at, actor=str(actor), how=how)
            self.app.save(member)

    def update_profile(
        self,
        member_id: UUID,
        answers: dict[str, str],
        actor: Actor,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
        channel: str | None = None,
    ) -> None:
        """Change some profile answers; ``channel``: where the member changed them themself (sms, bot...)."""
        cleaned = self.app.catalogue.clean_profile(answers)
        evidence_ref = reference(evidence_ref)
        if not cleaned:
            raise InvalidRequest("Give at least one profile answer to change.")
        with self.app.command() as (session, now):
            member = self.member(member_id)
            member.require_current("update the profile of")
            effective_at = self.app.effective(effective_at, now, member.registered_effective_at, "A profile change")
            key = self.app.vault.key_for(session, member_id)
            sealed = self.app.vault.seal(key, member_id, {"profile": cleaned})
            member.update_profile(sealed, sorted(cleaned), effective_at, str(actor), evidence_ref, channel)
            self.app.save(member)

    def link_contact(self, member_id: UUID, channel: str, handle: str, actor: Actor) -> None:
        if not handle or not handle.strip():
            raise InvalidRequest("A contact handle cannot be empty.")
        with self.app.command() as (session, _now):
            member = self.member(member_id)
            member.require_current("link a contact to")
            key = self.app.vault.key_for(session, member_id)
            sealed = self.app.vault.seal(key, member_id, {"contact": handle.strip()})
            member.link_contact(sealed, channel, str(actor))
            self.app.save(member)

    def record_household(self, member_id: UUID, housemate_id: UUID | None, actor: Actor) -> None:
        """Record that the member lives with ``housemate_id``, another member (so a panel takes at most
        one of them), or, with None, with no other member. Who lives with whom is personal: each member's
        record holds their household's key sealed under their own key, so it goes when they are erased.
        A housemate who had no household yet gets the new one too."""
        if actor.role not in ("caseworker", "trustee"):
            raise NotAllowedNow("Only a caseworker or a trustee may record who a member lives with.")
        if housemate_id == member_id:
            raise InvalidRequest("A member cannot share a household with themself: give the other member's code.")
        with self.app.command() as (session, _now):
            member = self.member(member_id)
            member.require_current("record the household of")
            changed, household = [member], None
            if housemate_id is not None:
                housemate = self.member(housemate_id)
                housemate.require_current("record the household of")
                household = (self.personal_in(session, housemate_id) or {}).get(HOUSEHOLD)
                if household is None:
                    household = uuid4().hex
                    self._seal_household(session, housemate, household, actor)
                    changed.append(housemate)
            self._seal_household(session, member, household, actor)
            self.app.save(*changed)

    def _seal_household(self, session: Session, member: Member, household: str | None, actor: Actor) -> None:
        key = self.app.vault.key_for(session, member.id)
        member.record_household(self.app.vault.seal(key, member.id, {HOUSEHOLD: household}), str(actor))

    def member_leaves(
        self, member_id: UUID, actor: Actor, effective_at: datetime | None = None, evidence_ref: str | None = None
    ) -> None:
        with self.app.command() as (session, now):
            member = self.member(member_id)
            chats = self.chat_links_of(member_id, session=session)  # under the lock: no link added meanwhile
            since = member.confirmed_effective_at or member.registered_effective_at
            effective_at = self.app.effective(effective_at, now, since, "Leaving")
            member.leave(effective_at=effective_at, actor=str(actor), evidence_ref=reference(evidence_ref))
            self.app.save(member, *self.unlinked(chats, member_id, actor))

    def erase_member(self, member_id: UUID, actor: Actor) -> None:
        """Destroy the member's key and scrub read models; non-personal facts stay."""
        with self.app.command() as (session, now):
            member = self.member(member_id)
            chats = self.chat_links_of(member_id, session=session)  # read while the key still opens them
            member.erase(effective_at=now, actor=str(actor))
            self.app.save(member, *self.unlinked(chats, member_id, actor))  # projected while the key opens the row
            self.app.vault.destroy_key(session, member_id)
            drop_drafts_of(session, member_id)  # a half-answered panel, say: it goes with the key
        try:  # the erasure has committed: a purge that cannot finish now is the scheduler's to retry
            self.keys.finish_purges()
        except Exception as error:  # noqa: BLE001 - recorded unfinished (key_erasures), shown to trustees
            why = "a reader holds the write-ahead log" if isinstance(error, PurgeUnfinished) else type(error).__name__
            log.warning("The erased member's old row copies are not purged yet (%s); the scheduler retries.", why)

    def address_digest(self, network: str, address: int | str) -> str:
        """The keyed digest an address on ``network`` is known by (see domain.membership.chat_links)."""
        return chat_digest(self.app.vault.derived_key(DIGEST_KEY), address, network)

    def chat_digest(self, chat_id: int) -> str:
        """The keyed digest a chat is known by (see domain.membership.chat_links)."""
        return chat_digest(self.app.vault.derived_key(DIGEST_KEY), chat_id)

    def chat_links_of(self, member_id: UUID, network: str | None = None, session: Session | None = None) -> list[UUID]:
        """The ids of the link index entries for the addresses in the member's sealed record
        (on every channel, or on one); inside a command, pass its session to read under its lock."""
        if session is None:
            personal = self.member_personal_data(member_id) or {}
        else:
            personal = self.personal_in(session, member_id) or {}
        links = []
        for on, (field, _channel) in ADDRESS_FIELDS.items():
            if personal.get(field) is not None and network in (None, on):
                links.append(ChatLink.create_id(self.address_digest(on, personal[field])))
        return links

    def unlinked(self, link_ids: list[UUID], member_id: UUID, actor: Actor) -> list[ChatLink]:
        """Those chat links, unlinked from the member (a leaver's chat is a stranger again)."""
        changed = []
        for link_id in link_ids:
            try:
                link = self.app.repository.get(link_id)
            except AggregateNotFoundError:
                continue
            if link.member_id == member_id:
                link.unlink(actor=str(actor))
                changed.append(link)
        return changed

    def member(self, member_id: UUID) -> Member:
        return self.app.load(member_id, Member, UnknownMember)

    @staticmethod
    def loaded_as() -> tuple[type, type[UnknownMember]]:
        """A member's class, and the error when an id is not one (TrustApplication.load_each)."""
        return Member, UnknownMember

    def stop_messages(self, member_id: UUID, network: str, how: str, actor: Actor) -> bool:
        """The member stopped messages on one channel (the carriers' STOP word, a block, or
        asking): nothing is sent there until they start again. Their consents are unchanged:
        stopping messages is not withdrawing consent. True if this recorded it; False (nothing
        recorded) if messages there were stopped already, or the member has left or been erased."""
        self._check_network(network)
        if how not in STOP_WAYS:
            raise InvalidRequest(f"Unknown way of stopping messages {how!r}; use one of: {', '.join(STOP_WAYS)}.")
        with self.app.command():
            member = self.member(member_id)
            if member.status in (LEFT, ERASED) or not member.stop_messages(network, how, str(actor)):
                return False
            self.app.save(member)
        return True

    def start_messages(self, member_id: UUID, network: str, actor: Actor) -> bool:
        """The member takes messages on one channel again (the carriers' START word, say).
        True if this recorded it; False if they were not stopped there."""
        self._check_network(network)
        with self.app.command():
            member = self.member(member_id)
            if member.status in (LEFT, ERASED) or not member.start_messages(network, str(actor)):
                return False
            self.app.save(member)
        return True

    @staticmethod
    def _check_network(network: str) -> None:
        if network not in NETWORKS:
            raise InvalidRequest(f"Unknown channel {network!r}; members talk to the trust on: {', '.join(NETWORKS)}.")

    def member_for_consent(self, member_id: UUID) -> Member:
        """The member, if a consent may be recorded for them (not once they have left or been erased)."""
        return self.may_consent(self.member(member_id))

    @staticmethod
    def may_consent(member: Member) -> Member:
        """The member, if a consent may be recorded for them; else NotAllowedNow."""
        if member.status == LEFT:
            raise NotAllowedNow("Cannot record a consent for a member who has left the trust.")
        if member.status == ERASED:
            raise NotAllowedNow("Cannot record a consent on behalf of an erased member.")
        return member

    def current_member(self, member_id: UUID) -> Member | None:
        """The member, unless they have left or been erased."""
        member = self.member(member_id)
        return None if member.status in (LEFT, ERASED) else member

    def is_active(self, member_id: UUID) -> bool:
        """A confirmed member who has not left (who may vote, say)."""
        return self.member(member_id).status == ACTIVE

    @staticmethod
    def registered() -> tuple[type, type[UnknownMember]]:
        """How a member's history begins, and the error when it does not (TrustApplication.require_each)."""
        return Member.Registered, UnknownMember

    def require_member(self, member_id: UUID) -> None:
        """The member exists (their first event only: no need to replay the rest)."""
        self.app.require(member_id, Member.Registered, UnknownMember)

    def member_personal_data(self, member_id: UUID) -> dict | None:
        """Everything personal the trust holds for a member, or None once erased."""
        with self.app.reading() as session:
            return self.personal_in(session, member_id)

    def personal_in(self, session: Session, member_id: UUID, events: list | None = None) -> dict | None:
        """The same, read in the given transaction (a command's, say), from ``events`` when the caller
        has read the member's events already."""
        key = self.app.vault.key_for(session, member_id)
        if key is None:
            self.member(member_id)  # unknown member -> error; known -> erased
            return None
        return self.opened(key, member_id, self.app.repository.event_store.get(member_id) if events is None else events)

    def opened(self, key: bytes, member_id: UUID, events: Iterable) -> dict:
        """Everything personal in the member's events, opened with their key (the latest of each field)."""
        merged: dict = {}
        for event in events:
            sealed = getattr(event, "personal", None)
            if sealed:
                data = self.app.vault.open(key, member_id, sealed) or {}
                merged.setdefault("profile", {}).update(data.pop("profile", {}))
                merged.update(data)
        return merged
