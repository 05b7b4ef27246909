"""The one outbox: every announcement goes to each member it is for once, on one channel.

Members are routed first (a read: which channel, choosing.py), several at a time, into one
queue per channel; each channel then claims each member's delivery in the trust's record a
moment (at most CLAIMED_AHEAD) before that member's turn on it, sends, and marks it sent or
undeliverable once the provider answers. One claim per member whatever the channel, so a
resumed run, another process's run or a second channel never sends anyone a second copy. The
channels run side by side, each at its own provider's pace, so the run takes about as long as
its slowest channel needs.

A rate refusal means "not sent": everyone on that channel pauses for as long as the provider
asks and the same message is tried again. A block is undeliverable and recorded as the member
stopping messages on that channel (their consents stay as they are). A request with no answer
may or may not have arrived: its claim stays "sending", counted uncertain, never sent again.
Several unanswered in a row, or a refusal that would refuse everyone (a token), and that
channel stops claiming for this run: its members are left for a later run (their preferred
channel is down, not stopped, so they are not sent elsewhere)."""

import asyncio
import collections
import itertools
import logging
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from adapters.bootstrap import Services
from adapters.conversation.announcement_buttons import announcement_buttons
from adapters.conversation.texts import translator
from adapters.outbox.channels import BLOCKED, SENT, UNDELIVERABLE, WAIT, Channel, NotSent, Outcome, Outgoing
from adapters.outbox.choosing import NO_TEMPLATE, Route, routes_for
from adapters.outbox.commits import GroupCommits
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError

MAX_ATTEMPTS = 10  # rate refusals for one message before it is given back for a later run
MAX_UNANSWERED_IN_A_ROW = 5  # then the channel is taken to be unreachable and stops claiming
GRACE_ON_STOP = 5.0  # seconds a stopped run waits for the answers to messages already asked for
ROUTED_TOGETHER = 100  # members routed in one worker-thread call (their reads together)
ROUTED_AHEAD = 2.0  # seconds of a channel's turns routed ahead of it
CLAIMED_AHEAD = 0.25  # seconds of a channel's turns whose claims are asked for together
PHONES = ("sms", "whatsapp")  # where a reply to an announcement is read by the conversation
STOPPED_BY = {"telegram": Actor("member", "via bot"), "sms": Actor("member", "via sms")}
log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one run did. ``already_done`` were claimed by an earlier run (whatever came of it)."""

    sent: int = 0
    undeliverable: int = 0  # blocked, the number or chat is gone, or the provider refused it
    uncertain: int = 0  # asked, no answer: may have arrived; never sent again
    already_done: int = 0
    without_chat: int = 0  # no channel to reach them by (none linked, all stopped, none this outbox has)
    no_template: int = 0  # only WhatsApp, outside its 24 hours, and no announcement template
    left_for_later: int = 0  # neither sent nor claimed: a later run sends these
    by_channel: Counter = field(default_factory=Counter)  # sent, by network

    @property
    def finished(self) -> bool:
        return self.left_for_later == 0


@dataclass
class _Run:
    """One delivery run of one announcement."""

    announcement_id: UUID
    outgoing: Outgoing
    queues: dict[str, asyncio.Queue]
    report: DeliveryReport = field(default_factory=DeliveryReport)
    unanswered: Counter = field(default_factory=Counter)  # in a row, by network
    down: set[str] = field(default_factory=set)  # channels that stopped claiming in this run
    sending: set[asyncio.Task] = field(default_factory=set)
    wanted: asyncio.Event = field(default_factory=asyncio.Event)  # a channel is running short of routed members
    answered: dict[str, asyncio.Event] = field(default_factory=dict)  # each channel's first send answered


class Outbox:
    """Sends to many members on ``channels`` (by network). Share one Outbox per process, so all
    bulk sending there is paced together, each channel by its own ``Pacing``."""

    def __init__(self, services: Services, channels: dict[str, Channel]):
        self.services = services
        self.trust, self.views = services.trust, services.views
        self.channels = channels
        self.commits = GroupCommits(services)  # claims and records, committed in groups
        self.words = translator(services.settings.bot_language)

    async def deliver(self, announcement_id: UUID) -> DeliveryReport:
        """Send the announcement to each member it is for who has not been claimed yet.
        Raises UnknownAnnouncement (a TrustError) for an id the trust does not know."""
        text, announced_at, chosen = await asyncio.to_thread(self.trust.announcement, announcement_id)
        action = await asyncio.to_thread(self.trust.announcement_action, announcement_id)
        members = await asyncio.to_thread(self.views.members_to_announce, announced_at)
        if chosen is not None:
            members = [member_id for member_id in members if member_id in chosen]
        done = await asyncio.to_thread(self.trust.delivered_to, announcement_id)
        queues: dict[str, asyncio.Queue] = {network: asyncio.Queue() for network in self.channels}
        choices = tuple(button for row in announcement_buttons(self.words, action) for button in row)
        run = _Run(announcement_id, Outgoing(text, action, choices), queues)
        workers = [asyncio.create_task(self._channel_turns(run, network)) for network in self.channels]
        workers.append(asyncio.create_task(self._route_all(run, members, done)))  # (a worker that fails stops it)
        try:
            await asyncio.gather(*workers)
            if run.sending:
                await asyncio.wait(run.sending)  # (unlike gather, a stop does not cancel them at once)
        except BaseException:
            await self._stop(run, workers)
            raise
        for task in run.sending:
            if (error := task.exception()) is not None:
                raise error  # the trust's record failed (e.g. the database): the run stops here
        if run.report.finished:
            await asyncio.to_thread(self.trust.finish_announcement, announcement_id)
        log.info("Announcement %s: %s", announcement_id, run.report)
        return run.report

    async def deliver_unfinished(self) -> dict[UUID, DeliveryReport]:
        """Resume every announcement a stopped run left unfinished (e.g. when the bot starts)."""
        unfinished = await asyncio.to_thread(self.trust.unfinished_announcements)
        return {announcement_id: await self.deliver(announcement_id) for announcement_id in unfinished}

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()

    async def _route_all(self, run: _Run, members: list[UUID], done: set[UUID]) -> None:
        """Route the members into their channels' queues, ROUTED_TOGETHER at a time in a worker thread,
        while some channel has less than ROUTED_AHEAD seconds of turns waiting (routing everyone at the
        start would take the process from the channels just when they begin); then end each queue."""
        waiting = iter(members)
        ahead = {network: ROUTED_AHEAD / channel.pacing.interval for network, channel in self.channels.items()}
        while chunk := list(itertools.islice(waiting, ROUTED_TOGETHER)):
            while all(run.queues[network].qsize() >= enough for network, enough in ahead.items()):
                run.wanted.clear()
                await run.wanted.wait()
            run.report.already_done += sum(member_id in done for member_id in chunk)
            chunk = [member_id for member_id in chunk if member_id not in done]
            for member_id, route in zip(chunk, await asyncio.to_thread(self._routes, chunk), strict=True):
                if isinstance(route, Route):
                    run.queues[route.network].put_nowait((member_id, route))
                elif route == NO_TEMPLATE:
                    run.report.no_template += 1
                else:
                    run.report.without_chat += 1
        for queue in run.queues.values():
            queue.put_nowait(None)

    def _routes(self, members: list[UUID]) -> list[Route | str]:
        """(In a worker thread.) Several members' routes, read together (see choosing.routes_for)."""
        return routes_for(self.services, self.channels, members)

    async def _channel_turns(self, run: _Run, network: str) -> None:
        """One channel's members in turn. Each is claimed a moment before their turn: the claims of
        the next CLAIMED_AHEAD seconds' turns are asked for together, so that waiting for a commit
        (grouped with every channel's, commits.py) overlaps the turns before it instead of delaying
        each one. A run that stops gives back every claim whose message was not asked for."""
        channel, queue = self.channels[network], run.queues[network]
        most_ahead = max(1, round(CLAIMED_AHEAD / channel.pacing.interval))
        ahead: collections.deque[tuple[UUID, Route, asyncio.Future]] = collections.deque()
        ended = holding = False
        try:
            while True:
                while not ended and len(ahead) < most_ahead and (not ahead or not queue.empty()):
                    item = await queue.get()  # (waits only when no claim is ahead)
                    run.wanted.set()
                    if item is None:
                        ended = True
                    elif network in run.down:
                        run.report.left_for_later += 1
                    else:
                        member_id, route = item
                        claiming = asyncio.ensure_future(self.commits.claim(run.announcement_id, member_id, network))
                        ahead.append((member_id, route, claiming))
                if not ahead:
                    return
                member_id, route, claiming = ahead[0]
                if not await asyncio.shield(claiming):  # another run claimed them, or they stopped messages here
                    ahead.popleft()
                    run.report.already_done += 1
                    continue
                await channel.in_flight.acquire()
                holding = True
                if network not in run.down:
                    await channel.turn(route.address, run.outgoing)
                ahead.popleft()
                holding = False
                if network in run.down:  # the channel went down while this claim was ahead
                    channel.in_flight.release()
                    await self._give_back(run, member_id)
                    run.report.left_for_later += 1
                    continue
                first = network not in run.answered
                answered = run.answered.setdefault(network, asyncio.Event())
                task = asyncio.create_task(self._deliver_one(run, channel, member_id, route))
                task.add_done_callback(lambda _task: channel.in_flight.release())
                task.add_done_callback(lambda _task, answered=answered: answered.set())  # (also if it failed)
                run.sending.add(task)
                if first:  # the first request opens the connection and may reach the provider late: the
                    await answered.wait()  # next waits for its answer, not to arrive with it together
        except BaseException:  # stopped, or the trust's record failed: the claims ahead were not sent
            if holding:
                channel.in_flight.release()
            for member_id, _route, claiming in ahead:
                if await _claimed(claiming):  # (its commit finishes regardless)
                    await self._give_back(run, member_id)
            raise

    async def _give_back(self, run: _Run, member_id: UUID) -> None:
        """Release a claim whose message was not asked for, so a later run sends it."""
        try:
            await asyncio.to_thread(self.trust.release_delivery, run.announcement_id, member_id)
        except Exception as error:  # noqa: BLE001 - e.g. the database gone: it stays claimed, counted uncertain
            log.warning("A claim for member %s was not given back: %s", member_id, type(error).__name__)

    async def _stop(self, run: _Run, workers: list[asyncio.Task]) -> None:
        """Stopping (e.g. the process shuts down): unclaimed members stay for a later run, and the
        messages already asked for get a moment for their answers; still unanswered, they stay claimed."""
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if pending := {task for task in run.sending if not task.done()}:
            await asyncio.wait(pending, timeout=GRACE_ON_STOP)
        for task in run.sending:
            task.cancel()

    async def _deliver_one(self, run: _Run, channel: Channel, member_id: UUID, route: Route) -> None:
        report, network = run.report, channel.network
        try:
            try:
                outcome = await self._send_in_turns(channel, route, run.outgoing)
            finally:
                run.answered[network].set()
        except NotSent as refusal:
            log.warning("Not sent on %s to member %s, left for a later run: %s", network, member_id, refusal)
            await asyncio.to_thread(self.trust.release_delivery, run.announcement_id, member_id)
            report.left_for_later += 1
            run.down.add(network)  # the same would happen to everyone on this channel
            return
        except Exception as error:  # noqa: BLE001 - no answer: it may have arrived, so it stays claimed
            log.warning("No answer from %s for member %s: %s", network, member_id, type(error).__name__)
            report.uncertain += 1
            run.unanswered[network] += 1
            if run.unanswered[network] >= MAX_UNANSWERED_IN_A_ROW:
                run.down.add(network)
            return
        run.unanswered[network] = 0
        state = SENT if outcome.state == SENT else UNDELIVERABLE
        if state == SENT and network in PHONES and run.outgoing.action:
            await asyncio.to_thread(self._offer_in_conversation, channel, route, member_id, run.outgoing)
        await self.commits.record(run.announcement_id, member_id, state, outcome.provider_id)  # with others at once
        if outcome.state == BLOCKED:  # the member stopped messages here: recorded, their consents unchanged
            await self._record_stop(member_id, network, outcome.stop_how)
        if state == SENT:
            report.sent += 1
            report.by_channel[network] += 1
        else:
            report.undeliverable += 1

    def _offer_in_conversation(self, channel: Channel, route: Route, member_id: UUID, outgoing: Outgoing) -> None:
        """(In a worker thread.) By SMS or WhatsApp a reply to the announcement ("1", "Renew") is read by
        the members' conversation: it is told which choices the announcement offered, as if it had sent them."""
        choices = [[label, value] for label, value in outgoing.choices]
        try:
            draft = self.trust.draft(channel.network, route.address)
            self.trust.keep_draft(channel.network, route.address, {**draft, "choices": choices}, member_id)
        except TrustError as refusal:  # the announcement went; only a typed "1" will not find its choice
            log.warning("The announcement's choice was not kept for member %s: %s", member_id, type(refusal).__name__)

    async def _send_in_turns(self, channel: Channel, route: Route, outgoing: Outgoing) -> Outcome:
        """The message, tried again after each rate refusal, in the channel's turns."""
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                await channel.turn(route.address, outgoing)
            outcome = await channel.send(route.address, outgoing, route.form)
            if outcome.state != WAIT:
                return outcome
            channel.pacing.refused(route.address)  # not sent: its retry is not held back as if it had been
            if outcome.chat_only:
                channel.pacing.hold(route.address, outcome.wait)
            else:
                channel.pacing.pause(outcome.wait)
        raise NotSent(f"still refused for its rate after {MAX_ATTEMPTS} attempts")

    async def _record_stop(self, member_id: UUID, network: str, how: str) -> None:
        actor = STOPPED_BY.get(network, Actor("member", f"via {network}"))
        try:
            await asyncio.to_thread(self.trust.stop_messages, member_id, network, how, actor)
        except TrustError as refusal:  # e.g. the store busy: the next announcement finds the block again
            log.warning("The stop of member %s was not recorded: %s", member_id, type(refusal).__name__)


async def _claimed(claiming: asyncio.Future) -> bool:
    """Whether a claim asked for was made (a commit that failed made none; the run reports its error)."""
    try:
        return bool(await claiming)
    except Exception:  # noqa: BLE001
        return False
