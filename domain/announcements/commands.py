"""Announcements from the trust to its members in their chats, and the record of
who has been sent each one, so an announcement reaches every member at most once
and a stopped delivery resumes where it stopped.

A delivery is claimed ("sending") before the message goes out and marked "sent"
(or "undeliverable": the member blocked the bot) once Telegram answers. A claim
left "sending" by a crash is never sent again (that could be a second copy); it is
counted as uncertain instead, so nothing is lost silently either. A claim whose
message certainly did not go (Telegram refused it every time) is released, so a
later run sends it.

An announcement is for the members of the trust when it was made; it stays
"unfinished" until a delivery run has claimed every one of them, so a stopped run
can be found and resumed (by the operator or when the bot starts)."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.announcements.model import Announcement, announcement_text
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, UnknownAnnouncement
from domain.store.application import TrustApplication
from domain.store.deliveries import (
    SENDING,
    SENT,
    UNDELIVERABLE,
    WAYS_OUT,
    announcement_deliveries,
    delivery_channels,
    unfinished_announcements,
)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


class AnnouncementCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def announce(self, text: str, actor: Actor, recipients: Iterable[UUID] | None = None) -> UUID:
        """Record an announcement to every member with a linked chat, or only to the
        given members (e.g. a proposal's electorate, a panel); the text is the trust's,
        not personal."""
        text = announcement_text(text)
        with self.app.command() as (session, now):
            announcement = self.new_announcement(session, now, text, actor, recipients)
            self.app.save(announcement)
        return announcement.id

    def new_announcement(
        self,
        session: Session,
        now: datetime,
        text: str,
        actor: Actor,
        recipients: Iterable[UUID] | None = None,
        action: dict[str, str] | None = None,
    ) -> Announcement:
        """Within a command (e.g. closing a vote): an announcement for the bot to deliver,
        recorded with the command's other events, with an action the member can take with
        one tap (e.g. renewing a consent). The caller saves it."""
        text = announcement_text(text)
        chosen = None if recipients is None else sorted({str(member_id) for member_id in recipients})
        announcement = Announcement(text=text, actor=str(actor), recipients=chosen, action=action)
        session.execute(
            insert(unfinished_announcements).values(announcement_id=announcement.id, announced_at=_naive(now))
        )
        return announcement

    def announcement_text(self, announcement_id: UUID) -> str:
        return self.app.load(announcement_id, Announcement, UnknownAnnouncement).text

    def announcement(self, announcement_id: UUID) -> tuple[str, datetime, frozenset[UUID] | None]:
        """The announcement's text, when it was recorded (it is for the members of that
        moment) and the members it is for (None: every member with a chat)."""
        announcement = self.app.load(announcement_id, Announcement, UnknownAnnouncement)
        recipients = announcement.recipients
        chosen = None if recipients is None else frozenset(UUID(member_id) for member_id in recipients)
        return announcement.text, announcement.created_on, chosen

    def announcement_recipients(self, announcement_id: UUID) -> frozenset[UUID] | None:
        return self.announcement(announcement_id)[2]

    def announcement_action(self, announcement_id: UUID) -> dict[str, str] | None:
        """What a member can do from the announcement with one tap (None: only read it)."""
        return self.app.load(announcement_id, Announcement, UnknownAnnouncement).action

    def unfinished_announcements(self) -> list[UUID]:
        """Announcements not yet claimed for everyone they were for, oldest first."""
        with self.app.engine.connect() as conn:
            rows = conn.execute(
                select(unfinished_announcements.c.announcement_id).order_by(unfinished_announcements.c.announced_at)
            )
            return [row.announcement_id for row in rows]

    def finish_announcement(self, announcement_id: UUID) -> None:
        """Every member it was for has been claimed: nothing is left to resume."""
        with self.app.engine.begin() as conn:
            conn.execute(
                delete(unfinished_announcements).where(unfinished_announcements.c.announcement_id == announcement_id)
            )

    def claim_delivery(self, announcement_id: UUID, member_id: UUID, network: str | None = None) -> bool:
        """True if this member had not been claimed for this announcement (and now is), on
        whichever channel: one claim per member, so nobody gets it twice by two channels. With
        ``network``, the channel it goes by is recorded with the claim."""
        if network is not None and network not in WAYS_OUT:
            raise InvalidRequest(f"Unknown channel {network!r}; announcements go by: {', '.join(WAYS_OUT)}.")
        row = dict(announcement_id=announcement_id, member_id=member_id)
        try:
            with self.app.engine.begin() as conn:
                conn.execute(insert(announcement_deliveries), dict(row, state=SENDING, at=_naive(self.app.clock())))
                if network is not None:
                    conn.execute(insert(delivery_channels), dict(row, network=network))
        except IntegrityError:
            return False
        return True

    def claim_deliveries(self, claims: list[tuple[UUID, UUID, str | None]]) -> list[bool]:
        """Several claims (announcement, member, channel), each as ``claim_delivery``, committed together:
        the outbox groups the claims its channels make at the same moment into one transaction, so a
        busy outbox commits a few times a second rather than once a message. A member claimed already
        (or twice in ``claims``: the first wins) is refused and leaves the others standing."""
        for _announcement_id, _member_id, network in claims:
            if network is not None and network not in WAYS_OUT:
                raise InvalidRequest(f"Unknown channel {network!r}; announcements go by: {', '.join(WAYS_OUT)}.")
        at = _naive(self.app.clock())
        wanted = list(dict.fromkeys((announcement_id, member_id) for announcement_id, member_id, _network in claims))
        taken: set[tuple[UUID, UUID]] = set()
        with self.app.engine.begin() as conn:
            insert_new = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            keys = (announcement_deliveries.c.announcement_id, announcement_deliveries.c.member_id)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = [dict(announcement_id=a, member_id=m, state=SENDING, at=at) for a, m in chunk]
                claiming = insert_new(announcement_deliveries).values(rows).on_conflict_do_nothing().returning(*keys)
                taken.update((a, m) for a, m in conn.execute(claiming))
            claimed = []
            for announcement_id, member_id, _network in claims:
                claimed.append((announcement_id, member_id) in taken)
                taken.discard((announcement_id, member_id))  # (a second claim of the same member is refused)
            channels = [
                dict(announcement_id=a, member_id=m, network=network)
                for (a, m, network), mine in zip(claims, claimed, strict=True)
                if mine and network is not None
            ]
            if channels:
                conn.execute(insert(delivery_channels), channels)
        return claimed

    def record_deliveries(self, records: list[tuple[UUID, UUID, str, str | None]]) -> None:
        """Several answers (announcement, member, state, provider id), each as ``record_delivery``, in one commit."""
        for record in records:
            if record[2] not in (SENT, UNDELIVERABLE):
                raise InvalidRequest(f"A delivery ends {SENT} or {UNDELIVERABLE}, not {record[2]!r}.")
        if not records:
            return
        at = _naive(self.app.clock())
        answers = [dict(a=a, m=m, state_=state, at_=at, provider=provider) for a, m, state, provider in records]
        ended = update(announcement_deliveries).where(
            announcement_deliveries.c.announcement_id == bindparam("a"),
            announcement_deliveries.c.member_id == bindparam("m"),
        )
        named = update(delivery_channels).where(
            delivery_channels.c.announcement_id == bindparam("a"), delivery_channels.c.member_id == bindparam("m")
        )
        with self.app.engine.begin() as conn:
            if with_id := [answer for answer in answers if answer["provider"] is not None]:
                conn.execute(named.values(provider_id=bindparam("provider")), with_id)
            conn.execute(ended.values(state=bindparam("state_"), at=bindparam("at_")), answers)

    def record_delivery(
        self, announcement_id: UUID, member_id: UUID, state: str, provider_id: str | None = None
    ) -> None:
        """The provider answered: SENT (with its id for the message, when it gives one, so its
        later delivery report finds this delivery) or UNDELIVERABLE."""
        self.record_deliveries([(announcement_id, member_id, state, provider_id)])

    def release_delivery(self, announcement_id: UUID, member_id: UUID) -> None:
        """Give back a claim whose message certainly was not sent, so a later run sends it."""
        with self.app.engine.begin() as conn:
            released = conn.execute(
                delete(announcement_deliveries).where(
                    announcement_deliveries.c.announcement_id == announcement_id,
                    announcement_deliveries.c.member_id == member_id,
                    announcement_deliveries.c.state == SENDING,
                )
            )
            if released.rowcount:
                conn.execute(
                    delete(delivery_channels).where(
                        delivery_channels.c.announcement_id == announcement_id,
                        delivery_channels.c.member_id == member_id,
                    )
                )

    def delivered_to(self, announcement_id: UUID) -> set[UUID]:
        """The members already claimed for this announcement, whatever came of it."""
        with self.app.engine.connect() as conn:
            rows = conn.execute(
                select(announcement_deliveries.c.member_id).where(
                    announcement_deliveries.c.announcement_id == announcement_id
                )
            )
            return {row.member_id for row in rows}

    def delivery_counts(self, announcement_id: UUID) -> dict[str, int]:
        with self.app.engine.connect() as conn:
            rows = conn.execute(
                select(announcement_deliveries.c.state, func.count())
                .where(announcement_deliveries.c.announcement_id == announcement_id)
                .group_by(announcement_deliveries.c.state)
            )
            return {SENDING: 0, SENT: 0, UNDELIVERABLE: 0, **{state: count for state, count in rows}}
