"""One outbox for all channels (issue 15): each member gets each announcement once, on their
preferred channel when it is linked and not stopped, else another they use; WhatsApp outside its
24 hours only as an approved template (without one: another channel, else "no template"); the
providers' delivery reports are recorded once, signed ones only. Real clients against the fakes."""

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from adapters.bot.sms.segments import segments
from adapters.outbox.channels import announcement_message
from adapters.outbox.sms import sms_text
from tests.bot.outbox_support import (
    TEMPLATE,
    TWILIO_TOKEN,
    Served,
    built,
    channel_settings,
    deliver,
    member_on,
    run_outbox,
)
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.fake_telegram import FakeTelegram
from tests.fake_twilio import FakeTwilio, SenderRate
from tests.fake_whatsapp import ApprovedTemplate, FakeWhatsApp
from tests.support import CHILD_START_SECONDS

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
SMS_RATE = 5.0  # segments a second for the trust's number in these tests (a real long code: 1)
TEXT = "The annual meeting is on Friday at 7pm."


@pytest.fixture
def telegram():
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def twilio():
    # Twilio itself queues what goes over a number's rate; the fake refuses it (429, 20429), so a test sees
    # any pacing error. A burst of 2 segments stands for the network jitter Twilio's queue absorbs.
    with FakeTwilio(auth_token=TWILIO_TOKEN, rate=SenderRate(per_second=SMS_RATE, burst=2, per_segment=True)) as fake:
        yield fake


@pytest.fixture
def whatsapp():
    with FakeWhatsApp(templates=[ApprovedTemplate(TEMPLATE.name, TEMPLATE.language, body_params=1)]) as fake:
        yield fake


@pytest.fixture
def served():
    serving = Served()
    yield serving
    serving.stop()


@pytest.fixture
def services(database_url, tmp_path, clock, served, twilio, whatsapp):
    settings = channel_settings(database_url, tmp_path / "var", served, twilio, whatsapp, SMS_RATE)
    made = built(settings, clock, served)
    yield made
    made.close()


@pytest.fixture
def people(services, telegram, whatsapp):
    """Members on every mix of channels, and where each should hear the announcement."""
    trust = services.trust
    tom = telegram.user("Tom")
    fiona_chat, stan_chat = telegram.user("Fiona"), telegram.user("Stan")
    wendy, will, fiona_wa = whatsapp.contact("Wendy"), whatsapp.contact("Will"), whatsapp.contact("Fiona")
    found = {
        "tom": trust.join_by_chat(tom.chat_id, "Tom", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF),
        "sam": member_on(trust, "Sam", sms="+447700900201"),
        "wendy": member_on(trust, "Wendy", whatsapp=wendy.phone),
        "will": member_on(trust, "Will", whatsapp=will.phone),
        "pat": member_on(trust, "Pat", whatsapp="+447700900555", sms="+447700900202"),
        "fiona": member_on(trust, "Fiona", telegram=fiona_chat.chat_id, whatsapp=fiona_wa.phone),
        "stan": member_on(trust, "Stan", telegram=stan_chat.chat_id, sms="+447700900203"),
    }
    whatsapp.user_sends_text(wendy, "hello")  # Wendy wrote today: her 24 hours are open
    trust.heard_from(found["wendy"], "whatsapp")
    trust.prefer_channel(found["pat"], "sms", MEMBER_THEMSELF)  # Pat chose SMS over WhatsApp
    trust.prefer_channel(found["fiona"], "whatsapp", MEMBER_THEMSELF)  # never wrote there: no window
    trust.prefer_channel(found["stan"], "sms", MEMBER_THEMSELF)
    trust.stop_messages(found["stan"], "sms", "stop-word", MEMBER_THEMSELF)  # ...then texted STOP
    found.update(tom_user=tom, fiona_chat=fiona_chat, stan_chat=stan_chat, wendy_wa=wendy, will_wa=will)
    return found


def test_each_member_gets_it_once_on_their_preferred_channel_or_another_they_use(
    services, people, telegram, twilio, whatsapp
):
    trust = services.trust
    announcement = trust.announce(TEXT, TRUSTEE)

    report = deliver(services, telegram, announcement)

    assert (report.sent, report.no_template, report.undeliverable, report.finished) == (6, 1, 0, True)
    assert dict(report.by_channel) == {"telegram": 3, "sms": 2, "whatsapp": 1}
    routes = {
        name: trust.delivery_channels_of(announcement)[people[name]]["network"]
        for name in ("tom", "sam", "wendy", "pat", "fiona", "stan")
    }
    assert routes == {
        "tom": "telegram",
        "sam": "sms",
        "wendy": "whatsapp",
        "pat": "sms",
        "fiona": "telegram",
        "stan": "telegram",
    }
    assert people["will"] not in trust.delivery_channels_of(announcement)  # WhatsApp only, no template: not sent
    chat = announcement_message(TEXT)
    for user in ("tom_user", "fiona_chat", "stan_chat"):
        assert [m.text for m in telegram.messages_to(people[user])] == [chat]
    assert [m.body for m in twilio.messages_to("+447700900201")] == [sms_text(TEXT)]
    assert [m.body for m in twilio.messages_to("+447700900202")] == [sms_text(TEXT)]
    assert twilio.messages_to("+447700900203") == []  # Stan stopped SMS: he heard on Telegram
    assert [m.type for m in whatsapp.messages_to(people["wendy_wa"])] == ["text"]
    assert whatsapp.messages_to(people["will_wa"]) == [] and len(whatsapp.sent) == 1
    assert (twilio.given_429, whatsapp.given_130429, telegram.given_429) == (0, 0, 0)

    again = deliver(services, telegram, announcement)  # a second run sends nobody anything
    assert (again.sent, again.already_done, again.no_template) == (0, 6, 1)
    assert len(twilio.messages) == 2 and len(whatsapp.sent) == 1


def test_outside_the_24_hours_an_approved_template_goes_instead(services, people, telegram, whatsapp):
    announcement = services.trust.announce(TEXT, TRUSTEE)

    report = deliver(services, telegram, announcement, template=TEMPLATE)

    assert (report.sent, report.no_template) == (7, 0)
    [will] = whatsapp.messages_to(people["will_wa"])
    assert will.type == "template" and will.payload["template"]["name"] == "trust_news"
    assert will.payload["template"]["components"][0]["parameters"][0]["text"] == TEXT
    [wendy] = whatsapp.messages_to(people["wendy_wa"])
    assert wendy.type == "text"  # inside her window: a plain message
    # Fiona prefers WhatsApp: with a template she hears there, not on Telegram
    assert services.trust.delivery_channels_of(announcement)[people["fiona"]]["network"] == "whatsapp"
    assert telegram.messages_to(people["fiona_chat"]) == []


def test_sms_goes_at_the_numbers_rate_counted_in_segments(services, telegram, twilio):
    trust = services.trust
    numbers = [f"+4477009003{n:02d}" for n in range(6)]
    for n, number in enumerate(numbers):
        member_on(trust, f"Texter {n}", sms=number)
    text = "Café meeting moved 🎉 " + "to the village hall on Friday at seven, bring a friend. " * 2
    assert segments(sms_text(text)) == 3  # UCS-2 (the emoji): 67 characters a segment
    announcement = trust.announce(text, TRUSTEE)

    started = time.monotonic()
    report = deliver(services, telegram, announcement)
    elapsed = time.monotonic() - started

    assert report.sent == 6 and twilio.given_429 == 0
    assert [len(twilio.messages_to(number)) for number in numbers] == [1] * 6
    # 18 segments at 5 a second, the first 2 at once: at least (18 - 2) / 5 seconds
    assert elapsed >= (18 - 2) / SMS_RATE


def test_a_stopped_run_resumes_without_sending_anyone_a_second_copy(services, telegram, twilio, whatsapp):
    trust = services.trust
    for n in range(8):
        member_on(trust, f"Texter {n}", sms=f"+4477009004{n:02d}")
        contact = whatsapp.contact(f"Writer {n}")
        member_id = member_on(trust, f"Writer {n}", whatsapp=contact.phone)
        whatsapp.user_sends_text(contact, "hi")
        trust.heard_from(member_id, "whatsapp")
    announcement = trust.announce(TEXT, TRUSTEE)

    asyncio.run(run_outbox(services, telegram, announcement, until=lambda: len(twilio.messages) >= 3))
    assert trust.unfinished_announcements() == [announcement]
    report = deliver(services, telegram, announcement)

    assert report.finished and trust.unfinished_announcements() == []
    assert [len(twilio.messages_to(f"+4477009004{n:02d}")) for n in range(8)] == [1] * 8
    assert sorted(m.to for m in whatsapp.sent) == sorted({m.to for m in whatsapp.sent}) and len(whatsapp.sent) == 8
    assert report.already_done + report.sent + report.uncertain == 16


def test_datatrust_announce_sends_by_sms_and_whatsapp_without_a_telegram_token(
    cli_run, services, twilio, whatsapp, monkeypatch
):
    settings = services.settings
    for name, value in {
        "DATATRUST_TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "DATATRUST_TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "DATATRUST_TWILIO_WEBHOOK_URL": settings.twilio_webhook_url,
        "DATATRUST_TWILIO_FROM": settings.twilio_from,
        "DATATRUST_TWILIO_API_URL": settings.twilio_api_url,
        "DATATRUST_TWILIO_MESSAGES_PER_SECOND": str(SMS_RATE),
        "DATATRUST_WHATSAPP_APP_SECRET": settings.whatsapp_app_secret,
        "DATATRUST_WHATSAPP_PHONE_ID": settings.whatsapp_phone_id,
        "DATATRUST_WHATSAPP_TOKEN": settings.whatsapp_token,
        "DATATRUST_WHATSAPP_API_URL": settings.whatsapp_api_url,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATATRUST_TELEGRAM_TOKEN", raising=False)
    member_on(services.trust, "Sam", sms="+447700900201")
    member_on(services.trust, "Will", whatsapp=whatsapp.contact("Will").phone)  # never wrote: no template

    result = cli_run("announce", TEXT)

    assert result.exit_code == 0, result.output
    assert "Sent: 1" in result.output
    assert "Not sent on WhatsApp outside its 24 hours (no template in the catalogue): 1" in result.output
    assert [m.body for m in twilio.messages_to("+447700900201")] == [sms_text(TEXT)]
    assert whatsapp.sent == []


def test_rate_refusals_are_waited_out_and_each_member_still_gets_exactly_one(services, telegram, twilio, whatsapp):
    """Both providers set slower than the trust thinks: Twilio answers 429 (20429), Meta 130429 (pywa's
    RateLimitHit); each refusal pauses that channel and the same message goes again."""
    trust = services.trust
    twilio._buckets.rate = SenderRate(per_second=3, burst=1, per_segment=True)  # the trust paces at 5
    whatsapp.set_throughput(2)  # the trust paces at 80 a second
    numbers = [f"+4477009005{n:02d}" for n in range(6)]
    for n, number in enumerate(numbers):
        member_on(trust, f"Texter {n}", sms=number)
    contacts = [whatsapp.contact(f"Writer {n}") for n in range(6)]
    for n, contact in enumerate(contacts):
        whatsapp.user_sends_text(contact, "hi")
        trust.heard_from(member_on(trust, f"Writer {n}", whatsapp=contact.phone), "whatsapp")
    announcement = trust.announce(TEXT, TRUSTEE)

    report = deliver(services, telegram, announcement)

    assert twilio.given_429 > 0 and whatsapp.given_130429 > 0  # the providers did refuse
    assert (report.sent, report.left_for_later, report.uncertain) == (12, 0, 0)
    assert [len(twilio.messages_to(number)) for number in numbers] == [1] * 6
    assert [len(whatsapp.messages_to(contact)) for contact in contacts] == [1] * 6


def test_datatrust_outbox_delivers_without_telegram_and_stops_on_sigterm(services, twilio, whatsapp, tmp_path):
    """A trust with no Telegram token, SMS and WhatsApp set up: `datatrust outbox` (which `serve` starts
    beside the web) sends the announcement, and a SIGTERM stops it cleanly."""
    settings = services.settings
    sam = member_on(services.trust, "Sam", sms="+447700900201")
    announcement = services.trust.announce(TEXT, TRUSTEE)
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATATRUST_")}
    env.update(
        DATATRUST_DATABASE_URL=settings.database_url,
        DATATRUST_VAR=str(tmp_path / "var"),
        DATATRUST_TWILIO_ACCOUNT_SID=settings.twilio_account_sid or "",
        DATATRUST_TWILIO_AUTH_TOKEN=settings.twilio_auth_token or "",
        DATATRUST_TWILIO_WEBHOOK_URL=settings.twilio_webhook_url or "",
        DATATRUST_TWILIO_FROM=settings.twilio_from or "",
        DATATRUST_TWILIO_API_URL=settings.twilio_api_url or "",
        DATATRUST_WHATSAPP_APP_SECRET=settings.whatsapp_app_secret or "",
        DATATRUST_WHATSAPP_PHONE_ID=settings.whatsapp_phone_id or "",
        DATATRUST_WHATSAPP_TOKEN=settings.whatsapp_token or "",
        DATATRUST_WHATSAPP_API_URL=settings.whatsapp_api_url or "",
    )
    program = "from adapters.cli.main import cli; cli(['outbox', '--every', '1'], prog_name='datatrust')"
    child = subprocess.Popen([sys.executable, "-c", program], env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        deadline = time.monotonic() + CHILD_START_SECONDS  # the child starts, then delivers
        while services.trust.unfinished_announcements() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert services.trust.unfinished_announcements() == []
    finally:
        child.send_signal(signal.SIGTERM)
        output, _ = child.communicate(timeout=20)
    assert child.returncode == 0
    assert "The outbox has stopped." in output
    assert [m.body for m in twilio.messages_to("+447700900201")] == [sms_text(TEXT)]
    assert services.trust.delivery_channels_of(announcement)[sam]["network"] == "sms"


def test_an_offer_to_renew_is_answered_by_text_and_on_whatsapp_as_in_the_chat(
    services, telegram, twilio, whatsapp, served, clock
):
    """The announcement's choice ("1 Renew" by SMS, a Renew button on WhatsApp) is read by the
    members' conversation when the member answers: one answer renews, a second changes nothing."""
    from datetime import timedelta

    from domain.trust import Audience

    trust = services.trust
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", clock().date(), TRUSTEE)
    wendy = whatsapp.contact("Wendy")
    sam = member_on(trust, "Sam", sms="+447700900201")
    wendy_id = member_on(trust, "Wendy", whatsapp=wendy.phone)
    whatsapp.user_sends_text(wendy, "hello")  # her 24 hours are open: a free-form message with a button
    trust.heard_from(wendy_id, "whatsapp")
    ends = clock() + timedelta(days=20)
    consents = {
        member: trust.grant_consent(
            member, "affordable-credit", ["contact"], Audience(lender), MEMBER_THEMSELF, expires_at=ends
        )
        for member in (sam, wendy_id)
    }
    for consent in consents.values():
        report = deliver(services, telegram, trust.offer_renewal(consent, 30, TRUSTEE))
        assert report.sent == 1
    [offered] = twilio.messages_to("+447700900201")
    assert offered.body.endswith("\n1 Renew")

    answered = twilio.inbound("+447700900201", "+447700900001", "1", url=f"{served.base}/sms/twilio")
    assert "Renewed: Affordable credit" in answered.response_body
    renewed_until = [c for c in services.views.consents(sam, clock()) if c["consent_id"] == consents[sam]][0]
    again = twilio.inbound("+447700900201", "+447700900001", "Renew", url=f"{served.base}/sms/twilio")
    assert "did not understand" in again.response_body  # the choice went with the first answer
    assert [c for c in services.views.consents(sam, clock()) if c["consent_id"] == consents[sam]] == [renewed_until]

    [button] = [m for m in whatsapp.messages_to(wendy) if m.buttons]
    whatsapp.user_presses(wendy, button, button.buttons[0][0])
    assert set(whatsapp.push(f"{served.base}/whatsapp/webhook")) == {200}
    assert any("Renewed: Affordable credit" in (m.text or "") for m in whatsapp.messages_to(wendy))
    for member, consent in consents.items():
        [renewed] = [c for c in services.views.consents(member, clock()) if c["consent_id"] == consent]
        assert renewed["expires_at"] > ends


def test_an_announcement_by_sms_names_the_words_members_text_not_telegrams_commands(
    services, telegram, twilio, whatsapp, clock
):
    from datetime import timedelta

    trust = services.trust
    member_on(trust, "Sam", sms="+447700900201")
    trust.open_proposal(
        "Raise the minimum cell size", "At least 15.", ["For", "Against"], clock() + timedelta(days=7), TRUSTEE
    )
    [announcement] = trust.unfinished_announcements()
    deliver(services, telegram, announcement)
    [sent] = twilio.messages_to("+447700900201")
    assert "Send VOTE to read it" in sent.body and "/vote" not in sent.body
