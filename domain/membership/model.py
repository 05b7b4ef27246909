"""A member of the trust: an individual or an organisation-member (e.g. a social
business). Personal data is only ever carried sealed (see domain.sealing.vault)."""

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import NotAllowedNow

UNCONFIRMED, ACTIVE, LEFT, ERASED = "unconfirmed", "active", "left", "erased"
HOUSEHOLD = "household"  # the field of a member's sealed record holding their household's key (or None)
KINDS = ("individual", "organisation-member")
CHANNELS = ("bot", "web", "paper", "sms", "whatsapp")  # how a registration was collected ("bot": Telegram)
CONFIRMATION_WAYS = ("reference code in the bot", "in person with a second caseworker")
# The channels a member talks to the trust on, and how a member stops messages on one. Stopping
# messages is never withdrawing consent: it only ends what the trust sends on that channel.
NETWORKS = ("telegram", "sms", "whatsapp")
# The contact channel a linked address adds (domain.membership.addresses) -> the network messages go out on.
NETWORK_OF_CONTACT = {"bot": "telegram", "sms": "sms", "whatsapp": "whatsapp"}
STOP_WAYS = {
    "stop-word": "replied STOP",
    "blocked": "blocked the trust's messages",
    "asked": "asked for no more messages",
}
# What of the membership terms a member was sent before agreeing (recorded with the agreement):
# the whole text (Telegram, WhatsApp), or on SMS the catalogue's short summary, with or without
# the whole text they asked for by replying TERMS.
FULL_TEXT, SUMMARY, SUMMARY_AND_FULL_TEXT = "full text", "summary", "summary and full text"
TERMS_SENT = (FULL_TEXT, SUMMARY, SUMMARY_AND_FULL_TEXT)
# A member who has not yet agreed to new membership terms is told of them at most this often.
ASK_AGAIN_AFTER = timedelta(days=1)


class Member(TrustAggregate):
    @event("Registered")
    def __init__(
        self,
        id: UUID,  # chosen beforehand: the member's key is made before the first event
        reference_code: str,  # printed on paper forms; see domain.membership.codes
        kind: str,
        channel: str,
        personal: str,
        questions: list[str],
        has_contact: bool,
        confirmed: bool,
        effective_at: datetime,
        actor: str,
        evidence_ref: str | None,
    ):
        self.kind = kind
        self.reference_code = reference_code
        self.channel = channel
        self.status = ACTIVE if confirmed else UNCONFIRMED
        self.registered_by = actor
        self.registered_effective_at = effective_at
        self.confirmed_effective_at: datetime | None = effective_at if confirmed else None
        self.ended_effective_at: datetime | None = None
        self.messages_stopped: list[str] = []  # networks on which nothing is sent until they start again
        self.linked_networks: list[str] = []  # networks an address was linked on, the most recent last
        self.preferred_network: str | None = None  # chosen by the member (or for them); None: never chosen

    # Commands check the rules, then trigger the event (whose body only mutates).

    def confirm(self, effective_at: datetime, actor: str, how: str) -> None:
        if self.status != UNCONFIRMED:
            raise NotAllowedNow(f"This member is {self.status}; only an unconfirmed member can confirm.")
        self._confirmed(effective_at=effective_at, actor=actor, how=how)

    def update_profile(
        self,
        personal: str,
        questions: list[str],
        effective_at: datetime,
        actor: str,
        evidence_ref: str | None = None,
        channel: str | None = None,
    ) -> None:
        self.require_current("update the profile of")
        if channel is None:  # as recorded before channels were (older events have no channel)
            self._profile_updated(
                personal=personal,
                questions=questions,
                effective_at=effective_at,
                actor=actor,
                evidence_ref=evidence_ref,
            )
            return
        self._profile_updated(
            personal=personal,
            questions=questions,
            effective_at=effective_at,
            actor=actor,
            evidence_ref=evidence_ref,
            channel=channel,
        )

    def link_contact(self, personal: str, channel: str, actor: str) -> None:
        self.require_current("link a contact to")
        self._contact_linked(personal=personal, channel=channel, actor=actor)

    def record_household(self, personal: str, actor: str) -> None:
        """``personal``: the member's household key sealed under their key (see commands.record_household)."""
        self.require_current("record the household of")
        self._household_recorded(personal=personal, actor=actor)

    def accept_terms(
        self,
        version: str,
        terms_hash: str,
        actor: str,
        sent: str = FULL_TEXT,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> None:
        """The member agreed to this version of the membership terms (the hash is of its whole text;
        ``sent`` says whether they were sent that, or on SMS its summary: see TERMS_SENT). On a signed
        paper form: when it was signed and the form's reference."""
        self.require_current("record the terms accepted by")
        if sent not in TERMS_SENT:
            raise NotAllowedNow(f"Say what of the terms the member was sent: one of {', '.join(TERMS_SENT)}.")
        if evidence_ref is None:  # as recorded before paper agreements (older events have neither)
            self._terms_accepted(version=version, terms_hash=terms_hash, actor=actor, sent=sent)
            return
        self._terms_accepted(
            version=version,
            terms_hash=terms_hash,
            actor=actor,
            sent=sent,
            effective_at=effective_at,
            evidence_ref=evidence_ref,
        )

    @property
    def agreed_terms(self) -> str | None:
        """The version of the membership terms the member last agreed to (None: none recorded)."""
        return getattr(self, "terms_version", None)

    def tell_terms_changed(self, version: str, network: str, sent: str, actor: str, now: datetime) -> bool:
        """The trust tells the member, on ``network``, that the membership terms changed to ``version``
        and sends them its text (``sent``: see TERMS_SENT), asking them to agree. At most once a day
        while they have not agreed: False (nothing recorded) if they agreed to it, or were told of
        it less than a day before ``now``."""
        self.require_current("tell the new terms to")
        if sent not in TERMS_SENT:
            raise NotAllowedNow(f"Say what of the terms the member was sent: one of {', '.join(TERMS_SENT)}.")
        told_at = getattr(self, "terms_told_at", None)
        if self.agreed_terms == version:
            return False
        if getattr(self, "terms_told", None) == version and told_at is not None and now - told_at < ASK_AGAIN_AFTER:
            return False
        self._terms_change_told(version=version, network=network, sent=sent, actor=actor, told_at=now)
        return True

    def leave(self, effective_at: datetime, actor: str, evidence_ref: str | None) -> None:
        self.require_current("record leaving for")
        self._left(effective_at=effective_at, actor=actor, evidence_ref=evidence_ref)

    def erase(self, effective_at: datetime, actor: str) -> None:
        if self.status == ERASED:
            raise NotAllowedNow("This member's personal data is already erased.")
        self._erased(effective_at=effective_at, actor=actor)

    def stop_messages(self, network: str, how: str, actor: str) -> bool:
        """Nothing more is sent to the member on ``network``; their consents stay as they are.
        False (and nothing recorded) when messages there are stopped already."""
        if network in self.messages_stopped:
            return False
        self._messages_stopped(network=network, how=how, actor=actor)
        return True

    def start_messages(self, network: str, actor: str) -> bool:
        """The member takes messages on ``network`` again. False when they were not stopped."""
        if network not in self.messages_stopped:
            return False
        self._messages_started(network=network, actor=actor)
        return True

    def prefer_channel(self, network: str, actor: str) -> bool:
        """The member wants the trust's messages on ``network`` first. False (nothing recorded)
        when it is their preferred channel already. The caller checks they have an address there."""
        self.require_current("choose the channel of")
        if self.preferred_network == network:
            return False
        self._channel_preferred(network=network, actor=actor)
        return True

    @property
    def channels_by_preference(self) -> list[str]:
        """The networks to try, best first: the one the member chose, then the one they joined or
        were linked on most recently, and so on back to the first. Without a choice, the most recent
        link comes first because it is the channel they last showed they use (a member who joined on
        Telegram and later gave a caseworker their WhatsApp number most likely reads WhatsApp now)."""
        networks = getattr(self, "linked_networks", [])
        ordered = list(dict.fromkeys(reversed(networks)))
        preferred = getattr(self, "preferred_network", None)
        if preferred is not None and preferred in ordered:
            ordered.remove(preferred)
            ordered.insert(0, preferred)
        return ordered

    def require_current(self, doing: str) -> None:
        if self.status in (LEFT, ERASED):
            raise NotAllowedNow(f"Cannot {doing} a member who has {self.status.replace('erased', 'been erased')}.")

    @event("Confirmed")
    def _confirmed(self, effective_at: datetime, actor: str, how: str) -> None:
        self.status = ACTIVE
        self.confirmed_effective_at = effective_at

    @event("ProfileUpdated")
    def _profile_updated(
        self,
        personal: str,
        questions: list[str],
        effective_at: datetime,
        actor: str,
        evidence_ref: str | None = None,
        channel: str | None = None,
    ) -> None:
        pass

    @event("TermsAccepted")
    def _terms_accepted(
        self,
        version: str,
        terms_hash: str,
        actor: str,
        sent: str = FULL_TEXT,
        effective_at: datetime | None = None,
        evidence_ref: str | None = None,
    ) -> None:
        self.terms_version = version

    @event("TermsChangeTold")
    def _terms_change_told(self, version: str, network: str, sent: str, actor: str, told_at: datetime) -> None:
        self.terms_told = version
        self.terms_told_at = told_at

    @event("ContactLinked")
    def _contact_linked(self, personal: str, channel: str, actor: str) -> None:
        network = NETWORK_OF_CONTACT.get(channel)
        if network is not None:
            earlier = [n for n in getattr(self, "linked_networks", []) if n != network]
            self.linked_networks = [*earlier, network]

    @event("HouseholdRecorded")
    def _household_recorded(self, personal: str, actor: str) -> None:
        pass  # the household is personal: it lives only in the sealed ``personal``

    @event("ChannelPreferred")
    def _channel_preferred(self, network: str, actor: str) -> None:
        self.preferred_network = network

    @event("MessagesStopped")
    def _messages_stopped(self, network: str, how: str, actor: str) -> None:
        self.messages_stopped = [*self.messages_stopped, network]

    @event("MessagesStarted")
    def _messages_started(self, network: str, actor: str) -> None:
        self.messages_stopped = [n for n in self.messages_stopped if n != network]

    @event("Left")
    def _left(self, effective_at: datetime, actor: str, evidence_ref: str | None) -> None:
        self.status = LEFT
        self.ended_effective_at = effective_at

    @event("Erased")
    def _erased(self, effective_at: datetime, actor: str) -> None:
        if self.ended_effective_at is None:
            self.ended_effective_at = effective_at
        self.status = ERASED
