"""(10) Announcing to N members (default 5,000) spread over Telegram, SMS and WhatsApp through the
one outbox (adapters/outbox): the real clients (PTB, twilio, pywa) against the three fakes on
loopback, each enforcing its provider's limit: Telegram 30 messages in any second (and ~1 a second
per chat), Twilio the trust number's rate in SEGMENTS a second (429 / 20429 beyond it), WhatsApp
80 messages in any second per business number (130429 beyond it) and its 24-hour window.

Each channel's floor is its members (SMS: their segments) over its rate; the channels run side by
side, so the whole run's floor is the slowest channel's. The SMS rate is set to 100 segments a second
here (--sms-rate; a real UK long code sends about 1) so the run takes well under a minute; the
members are spread so that each channel's floor is about the same. Half the WhatsApp members wrote
in the last 24 hours (free-form), the other half get the catalogue's approved template. Every member
is checked to have got exactly one message; the fakes' rate refusals are counted (target 0); the
SMS segments and their cost (--sms-price a segment, default UK £0.04) are printed.

The fakes run in a process of their own (benchmarks/fakes_apart.py, spawned), reached over
loopback as the real providers are over the network: in production the providers are not in the
trust's process, and in it their HTTP servers (a Python thread per connection) took a large share of
the one GIL and measured the fakes as much as the outbox. Their limits are the same. The CPU each
process used while sending (the trust's, the fakes') is printed beside the run's time.

Then the outbox's own capacity: the same members sent another announcement with pacing off
against fakes with no limits, beside plain sends by the same three clients (30 in flight on each,
no trust records) in the same run: whether the trust's work can keep up with the rates asked for."""

import asyncio
import time
from dataclasses import replace

from telegram import Bot

from adapters.bot.pacing import Pacing
from adapters.bot.sender import Outbox
from adapters.outbox.building import sms_channel, whatsapp_channel
from adapters.outbox.channels import FREE_FORM, Outgoing, announcement_message
from adapters.outbox.sms import sms_text
from adapters.settings import Settings
from benchmarks.common import Result, open_services, scratch_database, standalone
from benchmarks.fakes_apart import FakesApart
from domain.kernel.actors import Actor
from domain.kernel.catalogue import WhatsAppTemplate
from tests.fake_telegram import FloodLimits
from tests.fake_twilio import SenderRate
from tests.fake_whatsapp import ApprovedTemplate

MEMBER, TRUSTEE = Actor("member", "self"), Actor("trustee", "bench")
TELEGRAM_RATE, WHATSAPP_RATE = 30.0, 80.0  # Telegram's overall limit; Meta's default throughput
TRUST_NUMBER = "+447700900001"
TEMPLATE = WhatsAppTemplate("trust_news", "en_GB", ("text",))
TEXT = "The annual meeting is on Friday at 7pm."
SMS_BURST = 2  # segments the fake lets through at once: the network jitter Twilio's own queue absorbs


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--channel-members", type=int, default=5000, help="members over the 3 channels (5,000)")
    options.add_argument("--sms-rate", type=float, default=100.0, help="SMS segments a second for the benchmark")
    options.add_argument("--sms-price", type=float, default=0.04, help="price of one SMS segment (£, UK)")


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with scratch_database(database, args) as url:
        return measure(url, args.channel_members, args.sms_rate, args.sms_price)


def spread(count: int, sms_rate: float) -> dict[str, int]:
    """Members per channel in proportion to its rate, so every channel's floor is about the same."""
    total = TELEGRAM_RATE + sms_rate + WHATSAPP_RATE
    telegram, whatsapp = round(count * TELEGRAM_RATE / total), round(count * WHATSAPP_RATE / total)
    return {"telegram": telegram, "sms": count - telegram - whatsapp, "whatsapp": whatsapp}


def measure(url: str, count: int, sms_rate: float, price: float) -> list[Result]:
    rate = SenderRate(per_second=sms_rate, burst=SMS_BURST, per_segment=True)
    template = ApprovedTemplate(TEMPLATE.name, TEMPLATE.language, body_params=1)
    # The fakes' own defaults: Telegram 30 in any second (and its per-chat bucket), WhatsApp 80 in any second.
    with FakesApart(FloodLimits(), rate, int(WHATSAPP_RATE), [template]) as fakes:
        telegram, twilio, whatsapp = fakes.telegram, fakes.twilio, fakes.whatsapp
        services = open_services(url)
        services = replace(services, settings=channel_settings(services.settings, twilio, whatsapp, sms_rate))
        try:
            share = spread(count, sms_rate)
            started = time.perf_counter()
            people = join(services, telegram, whatsapp, share)
            print(f"    {count:,} members joined in {time.perf_counter() - started:.0f} s: {share}", flush=True)
            announcement = services.trust.announce(TEXT, TRUSTEE)
            seconds, finished, report = asyncio.run(deliver(services, fakes, announcement))
        finally:
            services.close()
        check_one_each(people, telegram, twilio, whatsapp)
        by_fake = {"Telegram": telegram.given_429(), "Twilio": twilio.given_429(), "WhatsApp": whatsapp.given_130429()}
        if refused := twilio.refused_at():
            print(f"    Twilio refused at {', '.join(f'{at:.2f} s' for at in refused)} after its first message")
        refusals = sum(by_fake.values())
        segments = sum(message.segments for message in twilio.messages())
    outbox_rate, plain_rate = capacity(url, share)
    floors = {
        "telegram": share["telegram"] / TELEGRAM_RATE,
        "sms": segments / sms_rate,
        "whatsapp": share["whatsapp"] / WHATSAPP_RATE,
    }
    slowest = max(floors.values())
    results = [
        Result(
            f"announce to {count:,}, 3 channels",
            seconds,
            slowest,
            "s",
            "<= 1.1 x floor",
            seconds <= 1.1 * slowest,
            f"baseline: the slowest channel's floor; sent {report.sent}, exactly one message each (checked); "
            f"rate refusals: {refusals} (target 0)",
        )
    ]
    for network, floor in floors.items():
        results.append(
            Result(
                f"  {network}: {share[network]:,} members",
                finished[network],
                floor,
                "s",
                "",
                None,
                "baseline: its floor, members (SMS: segments) over its rate"
                + (
                    f"; {segments:,} segments, est. £{segments * price:,.2f} at £{price}/segment"
                    if network == "sms"
                    else ""
                ),
            )
        )
    by_name = ", ".join(f"{name} {count}" for name, count in by_fake.items())
    results.append(Result("rate-limit refusals", refusals, 1, "", "= 0", refusals == 0, by_name))
    results.append(
        Result(
            "unpaced, no limits: outbox / plain",
            outbox_rate,
            plain_rate,
            "/s",
            "",
            None,
            "messages a second on the 3 channels at once; baseline: the same clients' plain sends, no trust records "
            f"(the paced run asks for {count / slowest:.0f}/s)",
        )
    )
    return results


def capacity(url: str, share: dict[str, int]) -> tuple[float, float]:
    """Messages a second, all three channels at once, against fakes with no limits: through the outbox
    (pacing off), and as plain sends by the same clients with the same number in flight (no trust records)."""
    unlimited = FloodLimits(overall_max=None, chat_capacity=None)
    template = ApprovedTemplate(TEMPLATE.name, TEMPLATE.language, 1)
    with FakesApart(unlimited, SenderRate(per_second=None), 10**6, [template]) as fakes:
        telegram, twilio, whatsapp = fakes.telegram, fakes.twilio, fakes.whatsapp
        services = open_services(url)
        settings = channel_settings(services.settings, twilio, whatsapp, 10**6)
        services = replace(services, settings=replace(settings, whatsapp_messages_per_second=10**6))
        try:
            # The same members' chats and numbers (the fakes give ids in order); half get the template, as before.
            users = [telegram.user(f"Member {n}") for n in range(share["telegram"])]
            contacts = [whatsapp.contact(f"Writer {n}") for n in range(share["whatsapp"])]
            for contact in contacts:
                whatsapp.user_sends_text(contact, "hello")
            announcement = services.trust.announce("Unpaced.", TRUSTEE)
            total = sum(share.values())
            seconds, _finished, _report = asyncio.run(deliver(services, fakes, announcement, Pacing(10**6)))
            numbers = sorted(set(m.to for m in twilio.messages())) or [f"+4477009{n:05d}" for n in range(share["sms"])]
            plain = asyncio.run(plain_sends(services, fakes, users, numbers, contacts))
        finally:
            services.close()
    return total / seconds, total / plain


async def plain_sends(services, fakes, users, numbers, contacts) -> float:  # type: ignore[no-untyped-def]
    """Seconds for the same messages sent by the clients alone, 30 in flight on each channel."""
    telegram = fakes.telegram
    sms = sms_channel(services.settings)
    whatsapp = whatsapp_channel(services.settings, services.catalogue)
    async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:

        async def each(items, send) -> None:  # type: ignore[no-untyped-def]
            free = asyncio.Semaphore(30)

            async def one(item) -> None:  # type: ignore[no-untyped-def]
                async with free:
                    await send(item)

            await asyncio.gather(*(one(item) for item in items))

        started, cpu, fakes_cpu = time.perf_counter(), time.process_time(), fakes.cpu()
        await asyncio.gather(
            each([u.chat_id for u in users], lambda chat: bot.send_message(chat, "Plain.")),
            each(numbers, lambda number: sms.send(number, Outgoing("Plain."), FREE_FORM)),  # type: ignore[union-attr]
            each([c.wa_id for c in contacts], lambda wa: whatsapp.send(wa, Outgoing("Plain."), FREE_FORM)),  # type: ignore[union-attr]
        )
        seconds = time.perf_counter() - started
        print(f"    plain sends: {cpu_use(seconds, cpu, fakes_cpu, fakes)}", flush=True)
    await sms.close()  # type: ignore[union-attr]
    await whatsapp.close()  # type: ignore[union-attr]
    return seconds


def channel_settings(settings: Settings, twilio, whatsapp, sms_rate: float) -> Settings:  # type: ignore[no-untyped-def]
    return replace(
        settings,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from=TRUST_NUMBER,
        twilio_api_url=twilio.api_url,
        twilio_messages_per_second=sms_rate,
        whatsapp_phone_id=whatsapp.phone_number_id,
        whatsapp_token=whatsapp.token,
        whatsapp_app_secret=whatsapp.app_secret,
        whatsapp_api_url=whatsapp.api_url,
        whatsapp_messages_per_second=WHATSAPP_RATE,
    )


def join(services, telegram, whatsapp, share: dict[str, int]) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """The members join in turn across the channels (as a trust's do, over time), in the share given."""
    trust, terms = services.trust, services.catalogue.latest_terms
    people: dict[str, list] = {"telegram": [], "sms": [], "whatsapp": []}
    total = sum(share.values())
    for n in range(total):
        network = min(share, key=lambda name: len(people[name]) / share[name] if share[name] else 2.0)
        if network == "telegram":
            user = telegram.user(f"Member {n}")
            trust.join_by_chat(user.chat_id, f"Member {n}", {}, terms, MEMBER)
            people["telegram"].append(user)
        elif network == "sms":
            number = f"+4477009{n:05d}"
            trust.link_address(trust.register_member(f"Texter {n}", MEMBER), "sms", number, MEMBER)
            people["sms"].append(number)
        else:
            contact = whatsapp.contact(f"Writer {n}")
            member_id = trust.register_member(f"Writer {n}", MEMBER)
            trust.link_address(member_id, "whatsapp", contact.phone, MEMBER)
            if len(people["whatsapp"]) % 2 == 0:  # wrote in the last 24 hours: free-form; the others: the template
                whatsapp.user_sends_text(contact, "hello")
                trust.heard_from(member_id, "whatsapp")
            people["whatsapp"].append(contact)
    return people


async def deliver(services, fakes, announcement, pacing: Pacing | None = None):  # type: ignore[no-untyped-def]
    """Seconds for the whole run, when each channel sent its last message, and the run's report."""
    telegram = fakes.telegram
    catalogue = replace(services.catalogue, whatsapp_templates={"announcement": TEMPLATE})
    others = {"sms": sms_channel(services.settings), "whatsapp": whatsapp_channel(services.settings, catalogue)}
    finished: dict[str, float] = {}
    async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
        outbox = Outbox(services, bot, pacing, others=others)  # type: ignore[arg-type]
        started = time.perf_counter()
        for channel in outbox.channels.values():
            timed(channel, finished, started)
        cpu, fakes_cpu = time.process_time(), fakes.cpu()
        report = await outbox.deliver(announcement)
        seconds = time.perf_counter() - started
        how = "paced" if pacing is None else "unpaced"
        print(f"    {how} outbox: {cpu_use(seconds, cpu, fakes_cpu, fakes)}", flush=True)
        await outbox.close()
    return seconds, finished, report


def cpu_use(seconds: float, cpu: float, fakes_cpu: float, fakes) -> str:  # type: ignore[no-untyped-def]
    """The CPU each process used since ``cpu`` (this one's) and ``fakes_cpu`` (the fakes') were read."""
    return (
        f"the trust's process used {time.process_time() - cpu:.1f} s of CPU, the fakes' process "
        f"{fakes.cpu() - fakes_cpu:.1f} s, in {seconds:.1f} s"
    )


def timed(channel, finished: dict[str, float], started: float) -> None:  # type: ignore[no-untyped-def]
    send = channel.send

    async def sending(*args):  # type: ignore[no-untyped-def]
        outcome = await send(*args)
        finished[channel.network] = time.perf_counter() - started
        return outcome

    channel.send = sending


def check_one_each(people, telegram, twilio, whatsapp) -> None:  # type: ignore[no-untyped-def]
    chat = announcement_message(TEXT)
    if any([m.text for m in telegram.messages_to(user)] != [chat] for user in people["telegram"]):
        raise RuntimeError("a Telegram member did not get exactly one message")
    if any([m.body for m in twilio.messages_to(number)] != [sms_text(TEXT)] for number in people["sms"]):
        raise RuntimeError("an SMS member did not get exactly one message")
    if any(len(whatsapp.messages_to(contact)) != 1 for contact in people["whatsapp"]):
        raise RuntimeError("a WhatsApp member did not get exactly one message")


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
