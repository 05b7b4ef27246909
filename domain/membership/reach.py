"""How the trust reaches a member: the channels they use, best first, and when they last
wrote on each. The outbox asks ``channels_for`` whom to send by; the webhooks tell
``heard_from`` every time a member writes (WhatsApp's 24-hour window starts there).

A member's preferred channel is their own choice, recorded as an event (ChannelPreferred)
and shown in their history; it may be only a channel where the member has an address. A
member who never chose is reached first on the channel they joined or were linked on most
recently (see Member.channels_by_preference for why)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import project_aggregate
from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.kernel.actors import Actor
from domain.kernel.batches import batches
from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownMember
from domain.membership.addresses import ADDRESS_FIELDS
from domain.membership.chat import ChatCommands
from domain.membership.chat_links import ChatLink
from domain.membership.commands import MembershipCommands
from domain.membership.model import LEFT, NETWORKS, Member
from domain.store.application import TrustApplication
from domain.store.heard import last_heard

CHANNEL_NAMES = {"telegram": "Telegram", "sms": "SMS", "whatsapp": "WhatsApp"}


class ReachCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands, chats: ChatCommands) -> None:
        self.app = app
        self.members = members
        self.chats = chats

    def prefer_channel(self, member_id: UUID, network: str, actor: Actor) -> bool:
        """The member wants the trust's messages on ``network`` first (an announcement falls back
        to their other channels only when this one is stopped or no longer linked). Refused when
        the member has no address there. False (nothing recorded) when it is their choice already."""
        if network not in NETWORKS:
            raise InvalidRequest(f"Unknown channel {network!r}; members talk to the trust on: {', '.join(NETWORKS)}.")
        with self.app.command() as (session, _now):
            member = self.members.member(member_id)
            member.require_current("choose the channel of")
            field, _channel = ADDRESS_FIELDS[network]
            address = (self.members.personal_in(session, member_id) or {}).get(field)
            if address is None or self.chats.member_for_address(network, address) != member_id:
                raise NotAllowedNow(
                    f"This member has no {CHANNEL_NAMES[network]} address linked, so it cannot be their "
                    f"preferred channel; link one first."
                )
            if not member.prefer_channel(network, str(actor)):
                return False
            self.app.save(member)
        return True

    def channels_for(self, member_id: UUID) -> list[tuple[str, int | str]]:
        """The member's channels to send on, best first: (network, address) for each that is linked to
        them and where they have not stopped messages. Empty for a member who left or was erased."""
        return self.channels_of([member_id])[member_id]

    def channels_of(self, member_ids: Iterable[UUID]) -> dict[UUID, list[tuple[str, int | str]]]:
        """``channels_for`` of many members (an announcement routes thousands), read together: their
        events, their keys and their addresses' links in one query each per thousand, not per member."""
        wanted = list(dict.fromkeys(member_ids))
        with self.app.reading() as session:
            histories = self.app.histories(session, wanted)
            keys = self.app.vault.keys_for(session, wanted)
            candidates: dict[UUID, list[tuple[str, int | str, UUID]]] = {}
            for member_id in wanted:
                member = project_aggregate(None, histories.get(member_id, []))
                if not isinstance(member, Member):
                    raise UnknownMember(member_id)
                key = keys.get(member_id)  # none once erased: no address left to open
                if member.status == LEFT or key is None:
                    candidates[member_id] = []
                    continue
                personal = self.members.opened(key, member_id, histories[member_id])
                candidates[member_id] = [
                    (network, address, ChatLink.create_id(self.members.address_digest(network, address)))
                    for network in member.channels_by_preference
                    if network not in member.messages_stopped
                    and (address := personal.get(ADDRESS_FIELDS[network][0])) is not None
                ]
            links = self.app.histories(session, [link for mine in candidates.values() for *_, link in mine])
        holders = {link_id: project_aggregate(None, events).member_id for link_id, events in links.items()}
        return {
            member_id: [(network, address) for network, address, link in mine if holders.get(link) == member_id]
            for member_id, mine in candidates.items()  # (an address still theirs: a number changes hands)
        }

    def heard_from(self, member_id: UUID, network: str, at: datetime | None = None) -> None:
        """The member wrote to the trust on ``network`` (called by the webhooks), just now or at ``at``:
        the provider's time for the message, so a redelivery days later does not reopen a window.
        Only ever moves forward; a time in the future is taken as now."""
        if network not in NETWORKS:
            raise InvalidRequest(f"Unknown channel {network!r}; members talk to the trust on: {', '.join(NETWORKS)}.")
        now = self.app.clock().astimezone(UTC)
        if at is not None:
            if at.tzinfo is None:
                raise InvalidRequest("When a member wrote needs a time zone.")
            now = min(now, at.astimezone(UTC))
        now = now.replace(tzinfo=None)
        mine = and_(last_heard.c.member_id == member_id, last_heard.c.network == network)
        with self.app.engine.begin() as conn:
            if not conn.execute(update(last_heard).where(mine, last_heard.c.at < now).values(at=now)).rowcount:
                if conn.execute(select(last_heard.c.at).where(mine)).first() is None:
                    try:
                        with conn.begin_nested():
                            conn.execute(insert(last_heard).values(member_id=member_id, network=network, at=now))
                    except IntegrityError:  # another webhook recorded it meanwhile: as recent
                        pass

    def last_heard_from(self, member_id: UUID, network: str) -> datetime | None:
        """When the member last wrote on ``network`` (UTC, naive), or None if never since this was kept."""
        return self.last_heard_of([member_id]).get((member_id, network))

    def last_heard_of(self, member_ids: Iterable[UUID]) -> dict[tuple[UUID, str], datetime]:
        """When each of these members last wrote on each channel, by (member, network), in one
        query per thousand; a channel they never wrote on is absent."""
        heard: dict[tuple[UUID, str], datetime] = {}
        with self.app.engine.connect() as conn:
            for chunk in batches(member_ids):
                query = select(last_heard.c.member_id, last_heard.c.network, last_heard.c.at)
                for member_id, network, at in conn.execute(query.where(last_heard.c.member_id.in_(chunk))):
                    heard[(member_id, network)] = at
        return heard
