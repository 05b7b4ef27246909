"""The one outbound sender: every message to many members (announcements now,
votes and panels later) goes out through an ``Outbox``, in evenly spaced turns
below Telegram's flood limits (see pacing.py).

Each member's delivery is claimed in the trust's record just before their turn
and marked once Telegram answers, so a resumed run never sends anyone a second
copy. A 429 means "not delivered": everyone pauses for its retry-after and the
same message is tried again. A member who blocked the bot (403), or whose chat
is gone (400), is marked undeliverable; a block is also recorded as the member
stopping messages on Telegram (their consents stay as they are). A request with no answer (a timeout, a
dropped connection) may or may not have arrived: its claim stays "sending" and it
is counted uncertain, never sent again. Several unanswered in a row and the run
stops claiming, so an outage does not use up the rest of the announcement."""

import asyncio
import logging
from dataclasses import dataclass, field
from uuid import UUID

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from adapters.bootstrap import Services
from adapters.bot.pacing import Pacing, retry_seconds
from adapters.bot.talk import MEMBER_VIA_BOT, TELEGRAM, keyboard
from adapters.conversation.renewal_replies import renew_buttons
from adapters.conversation.replies import Reply
from adapters.conversation.texts import Translate, translator
from domain.kernel.errors import TrustError
from domain.store.deliveries import SENT, UNDELIVERABLE

BLOCKED = "blocked"  # Telegram's 403: the member blocked the bot (recorded as undeliverable, and a stop)
MAX_IN_FLIGHT = 30  # requests awaiting an answer: 28/s at 300 ms needs ~9; an outage leaves at most ~30 uncertain
MAX_ATTEMPTS = 10  # 429s for one message before it is given back for a later run
MAX_UNANSWERED_IN_A_ROW = 5  # then Telegram is taken to be unreachable and the run stops claiming
GRACE_ON_STOP = 5.0  # seconds a stopped run waits for the answers to messages already asked for
log = logging.getLogger(__name__)


def announcement_message(text: str, _: Translate = translator("en")) -> str:
    return _("From the trust:") + "\n\n" + text


class NotSent(Exception):
    """Telegram refused the message (429 to every attempt, or the token): it certainly was not sent."""


@dataclass
class DeliveryReport:
    """What one run did. ``already_done`` were claimed by an earlier run (whatever came of it)."""

    sent: int = 0
    undeliverable: int = 0  # blocked the bot, or the chat is gone
    uncertain: int = 0  # asked, no answer: may have arrived; never sent again
    already_done: int = 0
    without_chat: int = 0  # their chat is no longer linked to them
    left_for_later: int = 0  # neither sent nor claimed: a later run sends these
    unanswered_in_a_row: int = field(default=0, repr=False)  # MAX_UNANSWERED_IN_A_ROW or more: stop claiming

    @property
    def finished(self) -> bool:
        return self.left_for_later == 0


@dataclass
class _Run:
    """One delivery run of one announcement."""

    announcement_id: UUID
    message: str
    free: asyncio.Semaphore  # places for requests in flight
    buttons: InlineKeyboardMarkup | None = None  # e.g. "Renew" on an offer to renew a consent
    report: DeliveryReport = field(default_factory=DeliveryReport)
    sending: set[asyncio.Task] = field(default_factory=set)


class Outbox:
    """Sends to many members through one ``Pacing`` (share one Outbox per bot, so all
    bulk sending in the process is paced together). ``bot`` is an initialised PTB Bot."""

    def __init__(self, services: Services, bot: Bot, pacing: Pacing | None = None, in_flight: int = MAX_IN_FLIGHT):
        self.trust, self.views, self.bot = services.trust, services.views, bot
        self.words = translator(services.settings.bot_language)
        self.pacing = pacing or Pacing()
        self.in_flight = in_flight

    async def deliver(self, announcement_id: UUID) -> DeliveryReport:
        """Send the announcement to each member it is for who has not been claimed yet.
        Raises UnknownAnnouncement (a TrustError) for an id the trust does not know."""
        text, announced_at, chosen = await asyncio.to_thread(self.trust.announcement, announcement_id)
        action = await asyncio.to_thread(self.trust.announcement_action, announcement_id)
        members = await asyncio.to_thread(self.views.members_with_chat, announced_at)
        if chosen is not None:
            members = [member_id for member_id in members if member_id in chosen]
        done = await asyncio.to_thread(self.trust.delivered_to, announcement_id)
        run = _Run(
            announcement_id,
            announcement_message(text, self.words),
            asyncio.Semaphore(self.in_flight),
            keyboard(Reply(text, renew_buttons(self.words, action))),
        )
        try:
            for member_id in members:
                if member_id in done:
                    run.report.already_done += 1
                elif run.report.unanswered_in_a_row >= MAX_UNANSWERED_IN_A_ROW:
                    run.report.left_for_later += 1
                else:
                    await self._dispatch(run, member_id)
            if run.sending:
                await asyncio.wait(run.sending)  # (unlike gather, a stop does not cancel them at once)
        except asyncio.CancelledError:
            # Stopping (e.g. the bot shuts down): let the messages already asked for get their answers.
            if pending := {task for task in run.sending if not task.done()}:
                await asyncio.wait(pending, timeout=GRACE_ON_STOP)
            for task in run.sending:
                task.cancel()  # still unanswered: their claims stay "sending" (uncertain)
            raise
        for task in run.sending:
            if (error := task.exception()) is not None:
                raise error  # the trust's record failed (e.g. the database): the run stops here
        if run.report.finished:
            await asyncio.to_thread(self.trust.finish_announcement, announcement_id)
        log.info("Announcement %s: %s", announcement_id, run.report)
        return run.report

    async def _dispatch(self, run: "_Run", member_id: UUID) -> None:
        """Claim the member's delivery, wait for its turn, and start sending it."""
        await run.free.acquire()
        claiming = asyncio.ensure_future(asyncio.to_thread(self._claim, run.announcement_id, member_id))
        try:
            chat_id, claimed = await asyncio.shield(claiming)
            if chat_id is not None and claimed:
                await self.pacing.turn(chat_id)
        except asyncio.CancelledError:  # stopped before it was sent: give the claim back
            chat_id, claimed = await claiming  # (its thread finishes regardless)
            if claimed:
                self.trust.release_delivery(run.announcement_id, member_id)
            run.free.release()
            raise
        if chat_id is None or not claimed:
            run.report.without_chat += chat_id is None
            run.report.already_done += chat_id is not None
            run.free.release()
            return
        task = asyncio.create_task(self._deliver_one(run, member_id, chat_id))
        task.add_done_callback(lambda _task: run.free.release())
        run.sending.add(task)

    async def deliver_unfinished(self) -> dict[UUID, DeliveryReport]:
        """Resume every announcement a stopped run left unfinished (e.g. when the bot starts)."""
        unfinished = await asyncio.to_thread(self.trust.unfinished_announcements)
        return {announcement_id: await self.deliver(announcement_id) for announcement_id in unfinished}

    async def send(self, chat_id: int, text: str, buttons: InlineKeyboardMarkup | None = None) -> str:
        """One message in its turn, 429s waited out: SENT or UNDELIVERABLE. Raises NotSent,
        or PTB's error when Telegram gave no answer (the message may have arrived)."""
        await self.pacing.turn(chat_id)
        state = await self._send_in_turn(chat_id, text, buttons)
        return UNDELIVERABLE if state == BLOCKED else state

    async def _send_in_turn(self, chat_id: int, text: str, buttons: InlineKeyboardMarkup | None = None) -> str:
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                await self.pacing.turn(chat_id)
            try:
                await self.bot.send_message(chat_id, text, reply_markup=buttons)
                return SENT
            except RetryAfter as error:
                self.pacing.pause(retry_seconds(error))
            except Forbidden as error:  # the member blocked the bot
                log.info("Not deliverable: %s", error.message)
                return BLOCKED
            except BadRequest as error:  # e.g. the chat is gone
                log.info("Not deliverable: %s", error.message)
                return UNDELIVERABLE
            except InvalidToken as error:
                raise NotSent(error.message) from error
        raise NotSent(f"Telegram still refused it for flooding after {MAX_ATTEMPTS} attempts")

    async def _deliver_one(self, run: "_Run", member_id: UUID, chat_id: int) -> None:
        announcement_id, report = run.announcement_id, run.report
        try:
            state = await self._send_in_turn(chat_id, run.message, run.buttons)
        except NotSent as refusal:
            log.warning("Not sent to member %s, left for a later run: %s", member_id, refusal)
            await asyncio.to_thread(self.trust.release_delivery, announcement_id, member_id)
            report.left_for_later += 1
            report.unanswered_in_a_row = MAX_UNANSWERED_IN_A_ROW  # the same would happen to everyone: stop
            return
        except Exception as error:  # noqa: BLE001 - no answer: it may have arrived, so it stays claimed
            log.warning("No answer from Telegram for member %s: %r", member_id, error)
            report.uncertain += 1
            report.unanswered_in_a_row += 1
            return
        report.unanswered_in_a_row = 0
        blocked, state = state == BLOCKED, UNDELIVERABLE if state == BLOCKED else state
        await asyncio.to_thread(self.trust.record_delivery, announcement_id, member_id, state)
        if blocked:  # the member stopped messages here: recorded, and their consents left as they are
            try:
                await asyncio.to_thread(self.trust.stop_messages, member_id, TELEGRAM, "blocked", MEMBER_VIA_BOT)
            except TrustError as refusal:  # e.g. the store busy: the next announcement finds the block again
                log.warning("The block of member %s was not recorded: %s", member_id, type(refusal).__name__)
        if state == SENT:
            report.sent += 1
        else:
            report.undeliverable += 1

    def _claim(self, announcement_id: UUID, member_id: UUID) -> tuple[int | None, bool]:
        """(In a worker thread.) The member's chat, if it is still linked to them, and whether
        this run claimed their delivery (False: no chat, or another run got there first)."""
        chat_id = self.trust.chat_of(member_id)
        if chat_id is None or self.trust.member_for_chat(chat_id) != member_id:
            return None, False
        if self.views.messages_stopped_on(member_id, TELEGRAM):  # stopped since this run began
            return None, False
        return chat_id, self.trust.claim_delivery(announcement_id, member_id)
