"""(8) Announcing to N members through the one outbound sender (adapters/bot/sender.py):
the real PTB Bot against the fake Telegram with Telegram's flood limits (30 messages
in any second, about one a second per chat, 429 with retry-after beyond them).
Telegram's overall limit sets a floor of N/30 s; the ratio is the time taken over it.
Every member is checked to have got exactly one message, and the 429s the fake gave
are counted (the sender aims for none).

Then the sender's own capacity: the same delivery with pacing off against a fake
with no limits, against plain PTB sends of the same messages (no trust records,
the same number in flight) measured in the same run: what the trust's claim and
record per member cost on top of HTTP and PTB."""

import asyncio
import time

from telegram import Bot

from adapters.bot.pacing import Pacing
from adapters.bot.sender import MAX_IN_FLIGHT, Outbox, announcement_message
from benchmarks.common import Result, open_services, scratch_database, standalone
from domain.kernel.actors import Actor
from tests.fake_telegram import FakeTelegram, FloodLimits

MEMBER, TRUSTEE = Actor("member", "via bot"), Actor("trustee", "bench")
TELEGRAM_OVERALL = 30  # messages a second a bot may send
UNLIMITED = FloodLimits(overall_max=None, chat_capacity=None)


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument(
        "--announce-to", type=int, action="append", help="members to announce to (repeatable; default 300)"
    )


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    results = []
    for count in args.announce_to or [300]:
        with scratch_database(database, args) as url:
            services = open_services(url)
            try:
                results += measure(services, count)
            finally:
                services.close()
    return results


def measure(services, count: int) -> list[Result]:  # type: ignore[no-untyped-def]
    with FakeTelegram() as fake:
        users = join(services, fake, count)
        seconds = deliver(services, fake, users, "The annual meeting is on Friday.", Pacing())
        refused = fake.given_429
    with FakeTelegram(limits=UNLIMITED) as fake:
        users = [fake.user(f"Member {n}") for n in range(count)]  # the same chats (ids are given in order)
        unpaced = count / deliver(services, fake, users, "Unpaced.", Pacing(per_second=1_000_000))
        plain = count / plain_sends(fake, users, "Plain.")
    floor = count / TELEGRAM_OVERALL
    return [
        Result(
            f"announce to {count:,}, paced",
            seconds,
            floor,
            "s",
            "429s = 0",
            refused == 0,
            f"baseline: the N/30 s floor; 429s received: {refused}; exactly one message each (checked)",
        ),
        Result(
            f"announce to {count:,}, unpaced",
            unpaced,
            plain,
            "/s",
            "",
            None,
            "no flood limits; baseline: plain PTB sends, no trust records, same in flight",
        ),
    ]


def join(services, fake, count: int):  # type: ignore[no-untyped-def]
    terms = services.catalogue.latest_terms
    users = [fake.user(f"Member {n}") for n in range(count)]
    for n, user in enumerate(users):
        services.trust.join_by_chat(user.chat_id, f"Member {n}", {}, terms, MEMBER)
    return users


def deliver(services, fake, users, text: str, pacing: Pacing) -> float:  # type: ignore[no-untyped-def]
    """Seconds to deliver a new announcement (to everyone with a chat, ``users`` among them)."""
    announcement = services.trust.announce(text, TRUSTEE)

    async def send() -> float:
        async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
            started = time.perf_counter()
            await Outbox(services, bot, pacing).deliver(announcement)
            return time.perf_counter() - started

    seconds = asyncio.run(send())
    expected = announcement_message(text)
    if any([m.text for m in fake.messages_to(user)] != [expected] for user in users):
        raise RuntimeError("a member did not get exactly one message")
    return seconds


def plain_sends(fake, users, text: str) -> float:  # type: ignore[no-untyped-def]
    async def send() -> float:
        async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
            free = asyncio.Semaphore(MAX_IN_FLIGHT)

            async def one(chat_id: int) -> None:
                async with free:
                    await bot.send_message(chat_id, text)

            started = time.perf_counter()
            await asyncio.gather(*(one(user.chat_id) for user in users))
            return time.perf_counter() - started

    return asyncio.run(send())


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
