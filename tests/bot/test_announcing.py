"""Announcements to many members through the one outbound sender: the real PTB Bot
against the fake Telegram with Telegram's own flood limits."""

import asyncio
import re
import time
import warnings
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from adapters.bootstrap import bootstrap
from adapters.bot.pacing import retry_seconds
from adapters.bot.sender import DeliveryReport, Outbox, announcement_message
from adapters.settings import Settings
from domain.kernel.actors import Actor
from tests.conftest import TRUSTEE
from tests.fake_telegram import FakeTelegram, FloodLimits
from tests.support import nothing_recorded

# PTB 22 warns whenever it makes a RetryAfter (inside PTB, on a 429) that retry_after becomes a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
MEMBER = Actor("member", "via bot")


@pytest.fixture
def telegram():
    """The fake Bot API with Telegram's limits: 30 messages in any second, ~1 a second per chat."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def sqlite_services(sqlite_url, tmp_path, clock):
    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": sqlite_url, "DATATRUST_VAR": str(tmp_path / "v")})
    built = bootstrap(settings, clock=clock)
    yield built
    built.close()


def join_members(services, telegram, count, prefix="Member"):
    """``count`` people join in their own chats: [(their fake user, their member id)]."""
    people = []
    for n in range(count):
        user = telegram.user(f"{prefix} {n}")
        member_id = services.trust.join_by_chat(
            user.chat_id, f"{prefix} {n}", {}, services.catalogue.latest_terms, MEMBER
        )
        people.append((user, member_id))
    return people


def deliver(services, telegram, announcement_id) -> DeliveryReport:
    async def run():
        async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
            return await Outbox(services, bot).deliver(announcement_id)

    return asyncio.run(run())


def received(telegram, people):
    return [[m.text for m in telegram.messages_to(user)] for user, _ in people]


def test_announcing_to_2000_members_stays_inside_the_flood_limits(sqlite_services, telegram):
    started = time.monotonic()
    people = join_members(sqlite_services, telegram, 2000)
    joined = time.monotonic() - started
    announcement = sqlite_services.trust.announce("The annual meeting is on Friday at 7pm.", TRUSTEE)

    started = time.monotonic()
    report = deliver(sqlite_services, telegram, announcement)
    elapsed = time.monotonic() - started

    print(f"2,000 joined in {joined:.1f} s; announced in {elapsed:.1f} s (floor 66.7 s); 429s: {telegram.given_429}")
    assert telegram.given_429 == 0
    expected = announcement_message("The annual meeting is on Friday at 7pm.")
    assert received(telegram, people) == [[expected]] * 2000
    assert (report.sent, report.undeliverable, report.uncertain, report.finished) == (2000, 0, 0, True)
    assert sqlite_services.trust.delivery_counts(announcement) == {"sending": 0, "sent": 2000, "undeliverable": 0}
    assert sqlite_services.trust.unfinished_announcements() == []


def test_a_member_who_blocked_the_bot_is_undeliverable_and_the_others_still_get_it(services, telegram):
    people = join_members(services, telegram, 40)
    blocked = [people[3][0], people[17][0]]
    for user in blocked:
        telegram.block(user)
    announcement = services.trust.announce("New panel questions are coming.", TRUSTEE)

    report = deliver(services, telegram, announcement)

    expected = announcement_message("New panel questions are coming.")
    assert received(telegram, people) == [[] if user in blocked else [expected] for user, _ in people]
    assert (report.sent, report.undeliverable, report.uncertain) == (38, 2, 0)
    assert services.trust.delivery_counts(announcement) == {"sending": 0, "sent": 38, "undeliverable": 2}
    assert telegram.given_429 == 0
    # A block is the member stopping messages here, not withdrawing consent: the next announcement
    # passes them by, and their history says so.
    for user, member_id in people:
        stops = [fact["text"] for fact in services.views.history(member_id) if fact["what"] == "messages stopped"]
        assert stops == (
            [
                "Stopped messages on Telegram (blocked the trust's messages): nothing is sent there until "
                "they start again. Their consents are unchanged."
            ]
            if user in blocked
            else []
        )
    assert len(services.views.members_with_chat()) == 38


def test_a_429_is_waited_out_and_the_same_message_retried_so_each_member_gets_exactly_one(services):
    # Telegram tightened to 10 a second: the sender's 28 a second runs into 429s.
    with FakeTelegram(limits=FloodLimits(overall_max=10)) as telegram:
        people = join_members(services, telegram, 40)
        announcement = services.trust.announce("Voting opens tomorrow.", TRUSTEE)

        started = time.monotonic()
        report = deliver(services, telegram, announcement)
        elapsed = time.monotonic() - started

    print(f"40 messages at 10 a second: {elapsed:.1f} s, 429s: {telegram.given_429}")
    assert telegram.given_429 > 0
    assert received(telegram, people) == [[announcement_message("Voting opens tomorrow.")]] * 40
    assert (report.sent, report.uncertain, report.left_for_later) == (40, 0, 0)
    # Each 429 says "retry after 1 s" and the sender waits it out: 40 at 10 a second needs 3 pauses at least,
    # and a sender that did not wait would be refused over and over.
    assert elapsed >= 3
    assert telegram.given_429 <= 12


def test_resuming_a_stopped_delivery_sends_nobody_a_second_copy(services, telegram):
    people = join_members(services, telegram, 40)
    announcement = services.trust.announce("The trust's accounts are published.", TRUSTEE)
    expected = announcement_message("The trust's accounts are published.")

    async def stopped_part_way():
        async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
            delivery = asyncio.create_task(Outbox(services, bot).deliver(announcement))
            while sum(map(len, received(telegram, people))) < 15:
                await asyncio.sleep(0.005)
            delivery.cancel()  # the process stops
            with pytest.raises(asyncio.CancelledError):
                await delivery

    asyncio.run(stopped_part_way())
    before = received(telegram, people)
    claimed = services.trust.delivered_to(announcement)
    # A stop lets the messages already asked for be answered and gives back a claim still waiting for its turn.
    assert services.trust.delivery_counts(announcement) == {"sending": 0, "sent": len(claimed), "undeliverable": 0}
    assert [texts for (_, m), texts in zip(people, before, strict=True) if m in claimed] == [[expected]] * len(claimed)
    assert sum(map(len, before)) == len(claimed) >= 15
    assert services.trust.unfinished_announcements() == [announcement]
    time.sleep(1)  # a new process does not know the old one's pace; let Telegram's window pass

    report = deliver(services, telegram, announcement)

    assert received(telegram, people) == [[expected]] * 40  # exactly one each: no second copies
    assert (report.already_done, report.sent) == (len(claimed), 40 - len(claimed))
    assert services.trust.delivery_counts(announcement) == {"sending": 0, "sent": 40, "undeliverable": 0}
    assert services.trust.unfinished_announcements() == []
    assert deliver(services, telegram, announcement) == DeliveryReport(already_done=40)
    assert received(telegram, people) == [[expected]] * 40


def test_when_the_trusts_record_fails_the_run_stops_with_the_error_and_sends_nothing(services, telegram, monkeypatch):
    """Claims that cannot be recorded stop the run (it does not wait forever for channels that stopped),
    nobody is sent anything unrecorded, and the announcement stays for a later run."""
    people = join_members(services, telegram, 160)  # more than the two seconds of turns routed ahead
    announcement = services.trust.announce("The office is closed on Monday.", TRUSTEE)

    def store_down(claims):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.trust, "claim_deliveries", store_down)

    async def run():
        async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
            await asyncio.wait_for(Outbox(services, bot).deliver(announcement), timeout=120)  # (a hang fails)

    with pytest.raises(RuntimeError, match="the database went away"):
        asyncio.run(run())
    assert received(telegram, people) == [[]] * 160
    assert services.trust.unfinished_announcements() == [announcement]


def test_when_telegram_stops_answering_the_run_stops_and_a_resume_sends_the_rest(services, telegram, monkeypatch):
    people = join_members(services, telegram, 40)
    announcement = services.trust.announce("Power cut at the office.", TRUSTEE)

    def no_answer(params, files):
        raise ConnectionAbortedError("the connection drops before any answer")  # the fake hangs up

    with monkeypatch.context() as outage:
        outage.setitem(telegram._handlers, "sendmessage", no_answer)
        report = deliver(services, telegram, announcement)

    assert report.sent == 0 and 5 <= report.uncertain <= 8
    assert report.left_for_later == 40 - report.uncertain and not report.finished
    assert services.trust.delivery_counts(announcement) == {"sending": report.uncertain, "sent": 0, "undeliverable": 0}
    assert services.trust.unfinished_announcements() == [announcement]
    uncertain = services.trust.delivered_to(announcement)

    resumed = deliver(services, telegram, announcement)

    expected = announcement_message("Power cut at the office.")
    # The uncertain ones may have arrived, as far as the trust can tell: they are never sent again.
    assert received(telegram, people) == [[] if member in uncertain else [expected] for _, member in people]
    assert (resumed.sent, resumed.already_done, resumed.finished) == (40 - report.uncertain, report.uncertain, True)
    assert services.trust.unfinished_announcements() == []


def test_members_who_left_were_erased_have_no_chat_or_joined_later_get_nothing(services, telegram, clock):
    staying, leaving, erased = join_members(services, telegram, 3)
    services.trust.member_leaves(leaving[1], MEMBER)
    services.trust.erase_member(erased[1], TRUSTEE)
    services.trust.register_member("Paper Pat", MEMBER, channel="web")  # no chat at all
    moved = join_members(services, telegram, 1, prefix="Moved")[0]
    services.trust.unlink_chat(moved[0].chat_id, MEMBER)  # the chat now belongs to someone new
    newcomer = services.trust.join_by_chat(moved[0].chat_id, "Newcomer", {}, services.catalogue.latest_terms, MEMBER)
    clock.advance(minutes=1)
    announcement = services.trust.announce("Thank you for taking part.", TRUSTEE)
    clock.advance(minutes=1)
    later = join_members(services, telegram, 1, prefix="Later")[0]

    report = deliver(services, telegram, announcement)

    expected = announcement_message("Thank you for taking part.")
    assert received(telegram, [staying, leaving, erased, later]) == [[expected], [], [], []]
    assert [m.text for m in telegram.messages_to(moved[0])] == [expected]  # once, for the member it belongs to now
    assert services.trust.delivered_to(announcement) == {staying[1], newcomer}
    assert (report.sent, report.without_chat) == (2, 1)


def test_every_unfinished_announcement_is_delivered_when_asked(services, telegram):
    people = join_members(services, telegram, 5)
    first = services.trust.announce("First.", TRUSTEE)
    second = services.trust.announce("Second.", TRUSTEE)
    assert services.trust.unfinished_announcements() == [first, second]

    async def run():
        async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
            return await Outbox(services, bot).deliver_unfinished()

    reports = asyncio.run(run())

    assert [report.sent for report in reports.values()] == [5, 5]
    assert received(telegram, people) == [[announcement_message("First."), announcement_message("Second.")]] * 5
    assert services.trust.unfinished_announcements() == []


def test_retry_after_is_read_in_seconds_without_a_deprecation_warning(monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refusal = RetryAfter(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert retry_seconds(refusal) == 3.0
        monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB 23's behaviour: a timedelta
        assert retry_seconds(RetryAfter(timedelta(seconds=2))) == 2.0


# `datatrust announce`


@pytest.fixture
def telegram_env(telegram, monkeypatch):
    monkeypatch.setenv("DATATRUST_TELEGRAM_TOKEN", telegram.token)
    monkeypatch.setenv("DATATRUST_TELEGRAM_API_URL", telegram.base_url)
    return telegram


@pytest.mark.parametrize("text", ["", "   ", "Meeting\x00 on Friday", "Bell\x07", "x" * 4001])
def test_the_cli_refuses_empty_or_control_character_text_and_records_nothing(cli_run, services, telegram_env, text):
    join_members(services, telegram_env, 2)

    with nothing_recorded(services):
        result = cli_run("announce", text)

    assert result.exit_code == 1
    assert "error: An announcement" in result.output
    assert services.trust.unfinished_announcements() == []
    assert telegram_env.calls("sendMessage") == []


def test_datatrust_announce_sends_to_every_member_once_and_resume_sends_no_more(cli_run, services, telegram_env):
    people = join_members(services, telegram_env, 5)

    result = cli_run("announce", "  The office is closed on Monday.  ")

    assert result.exit_code == 0, result.output
    announcement = re.search(r"Recorded announcement (\S+)\.", result.output).group(1)
    assert received(telegram_env, people) == [[announcement_message("The office is closed on Monday.")]] * 5
    assert "Sent: 5\n" in result.output
    assert "Undeliverable (blocked the trust, or the chat or number is gone): 0" in result.output

    again = cli_run("announce", "--resume", announcement)

    assert again.exit_code == 0, again.output
    assert "Sent: 0\n" in again.output and "Claimed by an earlier run: 5\n" in again.output
    assert received(telegram_env, people) == [[announcement_message("The office is closed on Monday.")]] * 5


def test_without_a_token_the_announcement_is_recorded_and_resume_sends_it(cli_run, services, telegram, monkeypatch):
    people = join_members(services, telegram, 3)
    monkeypatch.delenv("DATATRUST_TELEGRAM_TOKEN", raising=False)

    result = cli_run("announce", "Hello, members.")

    assert result.exit_code == 1
    [announcement] = services.trust.unfinished_announcements()
    assert f"Recorded announcement {announcement}." in result.output
    assert "DATATRUST_TELEGRAM_TOKEN is not set" in result.output
    assert f"datatrust announce --resume {announcement}" in result.output
    assert telegram.calls("sendMessage") == []

    monkeypatch.setenv("DATATRUST_TELEGRAM_TOKEN", telegram.token)
    monkeypatch.setenv("DATATRUST_TELEGRAM_API_URL", telegram.base_url)
    resumed = cli_run("announce", "--resume", str(announcement))

    assert resumed.exit_code == 0, resumed.output
    assert received(telegram, people) == [[announcement_message("Hello, members.")]] * 3
    assert services.trust.unfinished_announcements() == []


def test_the_cli_refuses_an_unknown_announcement_and_a_wrong_token(cli_run, services, telegram_env, monkeypatch):
    join_members(services, telegram_env, 2)

    unknown = cli_run("announce", "--resume", "6f1c1c52-1d37-4d8e-9a55-6a3f0f4f2f0a")
    neither = cli_run("announce")
    monkeypatch.setenv("DATATRUST_TELEGRAM_TOKEN", "999:wrong")
    refused = cli_run("announce", "Hello.")

    assert unknown.exit_code == 1 and "No announcement is known by" in unknown.output
    assert neither.exit_code == 2 and "Give the announcement's TEXT" in neither.output
    assert refused.exit_code == 1 and "Telegram refused DATATRUST_TELEGRAM_TOKEN" in refused.output
    assert telegram_env.calls("sendMessage") == []


def test_an_announcement_for_chosen_members_reaches_only_them(sqlite_services, telegram):
    people = join_members(sqlite_services, telegram, 5)
    chosen = [people[1][1], people[3][1]]
    announcement = sqlite_services.trust.announce("Your panel closes on Friday.", TRUSTEE, recipients=chosen)

    report = deliver(sqlite_services, telegram, announcement)

    expected = announcement_message("Your panel closes on Friday.")
    assert received(telegram, people) == [[], [expected], [], [expected], []]
    assert report.sent == 2
    assert sqlite_services.trust.announcement_recipients(announcement) == frozenset(chosen)
