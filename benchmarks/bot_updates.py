"""(7) Updates the members' chat bot handles per second, in-process: the real
python-telegram-bot Application (the bot's own factory, polling) against the fake
Telegram on loopback, with its flood limits switched off so the bot itself is
measured. Each of N members sends /consents (a read), taps "Give: Research" (a
consent recorded, then the overview read again and edited) and taps "Withdraw:
Research". The baseline is the same trust work called directly in the same
process on the same store (find the member by chat, list consents, grant,
revoke), so the ratio is what Telegram's HTTP, PTB and the handlers cost on top.
Telegram itself lets a bot send about 30 messages a second overall, so the bot
only needs to handle that many updates a second (one reply each)."""

import asyncio
import threading
import time

from adapters.bot.app import TELEGRAM_REQUESTS_PER_SECOND, build_bot
from benchmarks.common import Result, open_services, scratch_database, standalone
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.fake_telegram import FakeTelegram, FloodLimits

MEMBER = Actor("member", "via bot")
TELEGRAM_OVERALL = 30  # messages a second a bot may send


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--bot-members", type=int, default=200, help="members tapping through the bot")


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with scratch_database(database, args) as url:
        services = open_services(url)
        try:
            return measure(services, args.bot_members)
        finally:
            services.close()


def measure(services, count: int) -> list[Result]:  # type: ignore[no-untyped-def]
    """The bot paced as in production (Telegram's 30 requests a second), then unpaced (its own capacity)."""
    with FakeTelegram(limits=FloodLimits(overall_max=None, chat_capacity=None)) as fake:
        direct = in_process(services, [fake.user(f"Direct {n}") for n in range(count)])
        paced = through_bot(services, fake, members(services, fake, count), TELEGRAM_REQUESTS_PER_SECOND)
        unpaced = through_bot(services, fake, members(services, fake, count), 0)
    note = f"{count} members x (/consents, give, withdraw); baseline: the same trust calls in-process"
    return [
        Result(
            "bot updates/s, paced for Telegram",
            paced,
            direct,
            "/s",
            f">= {TELEGRAM_OVERALL}/s",
            paced >= TELEGRAM_OVERALL,
            note,
        ),
        Result("bot updates/s, unpaced", unpaced, direct, "/s", "", None, "the bot's own capacity, pacing off"),
    ]


def members(services, fake, count):  # type: ignore[no-untyped-def]
    terms = services.catalogue.latest_terms
    users = [fake.user(f"Member {n}") for n in range(count)]
    for n, user in enumerate(users):
        services.trust.join_by_chat(user.chat_id, f"Member {n}", {"area": "CA1"}, terms, MEMBER)
    return users


def in_process(services, users) -> float:  # type: ignore[no-untyped-def]
    trust, views, terms = services.trust, services.views, services.catalogue.latest_terms
    research = services.catalogue.purpose("research").offer
    ids = [trust.join_by_chat(u.chat_id, f"Direct {n}", {}, terms, MEMBER) for n, u in enumerate(users)]
    started = time.perf_counter()
    for user, member_id in zip(users, ids, strict=True):
        assert trust.member_for_chat(user.chat_id) == member_id
        views.consents(member_id, services.clock())
        audience = Audience(kind=research.kind)
        consent = trust.grant_consent(member_id, "research", research.categories, audience, MEMBER, "bot")
        views.consents(member_id, services.clock())
        trust.revoke_consent(consent, MEMBER)
        views.consents(member_id, services.clock())
    return 3 * len(users) / (time.perf_counter() - started)


def through_bot(services, fake, users, requests_per_second: float) -> float:  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    application = build_bot(services, fake.token, base_url=fake.base_url, requests_per_second=requests_per_second)

    async def start() -> None:
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)

    async def stop() -> None:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    asyncio.run_coroutine_threadsafe(start(), loop).result(30)
    try:
        started = time.perf_counter()
        for user in users:
            fake.send_command(user, "/consents")
        wait_for(lambda: all(len(fake.messages_to(u)) == 1 for u in users))
        for user in users:
            fake.press(user, fake.messages_to(user)[0], "give:research")
        wait_for(lambda: all(fake.messages_to(u)[0].text.startswith("Given") for u in users))
        for user in users:
            overview = fake.messages_to(user)[0]
            [withdraw] = [d for label, d in overview.buttons if label == "Withdraw: Research"]
            fake.press(user, overview, withdraw)
        wait_for(lambda: all(fake.messages_to(u)[0].text.startswith("Withdrawn") for u in users))
        return 3 * len(users) / (time.perf_counter() - started)
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def wait_for(condition, timeout: float = 300) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the bot did not answer every member in time")
        time.sleep(0.02)


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
