"""How the trust reaches a member: the channels they use, best first, and when they last
wrote on each. The outbox asks ``channels_for`` whom to send by; the webhooks tell
``heard_from`` every time a member writes (WhatsApp's 24-hour window starts there).

A member's preferred channel is their own choice, recorded as an event (ChannelPreferred)
and shown in their history; it may be only a channel where the member has an address. A
member who never chose is reached first on the channel they joined or were linked on most
recently (see Member.channels_by_preference for why)."""

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, project_aggregate
from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, UnknownMember
from domain.membership.addresses import ADDRESS_FIELDS
from domain.membership.chat import ChatCommands
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
        member, events = self._member_and_events(member_id)
        if member.status == LEFT:
            return []
        with self.app.reading() as session:  # the same events, opened: one read of the log for both
            personal = self.members.personal_in(session, member_id, events) or {}
        reachable = []
        for network in member.channels_by_preference:
            address = personal.get(ADDRESS_FIELDS[network][0])
            if address is None or network in member.messages_stopped:
                continue
            if self.chats.member_for_address(network, address) == member_id:  # still theirs
                reachable.append((network, address))
        return reachable

    def _member_and_events(self, member_id: UUID) -> tuple[Member, list]:
        """The member, and the events they were made from (the outbox asks for thousands at a time)."""
        events: list = []

        def keeping(aggregate, new_events):  # type: ignore[no-untyped-def]
            new_events = list(new_events)
            events.extend(new_events)
            return project_aggregate(aggregate, new_events)

        try:
            member = self.app.repository.get(member_id, projector_func=keeping)
        except AggregateNotFoundError:
            raise UnknownMember(member_id) from None
        if not isinstance(member, Member) or self.app.repository.snapshot_store or self.app.repository.cache:
            return self.members.member(member_id), list(self.app.repository.event_store.get(member_id))
        return member, events

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
        with self.app.engine.connect() as conn:
            mine = and_(last_heard.c.member_id == member_id, last_heard.c.network == network)
            return conn.execute(select(last_heard.c.at).where(mine)).scalar()
