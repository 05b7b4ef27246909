"""The providers' delivery reports (issue 15): Twilio's signed status callbacks and the statuses in
WhatsApp's signed notifications are recorded once against the announcement's delivery (delivered,
failed, undelivered); unsigned ones get 403 and record nothing; a redelivered one changes nothing.
WhatsApp's 131026 makes the delivery undeliverable; its 131047 is recorded as a stop on WhatsApp."""

import json

import pytest

from tests.bot.outbox_support import TWILIO_TOKEN, Served, built, channel_settings, deliver, member_on
from tests.bot.test_announcing_channels import SMS_RATE, TEXT
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.fake_telegram import FakeTelegram
from tests.fake_twilio import FakeTwilio, SenderRate
from tests.fake_whatsapp import FakeWhatsApp
from tests.support import nothing_recorded

SAM = "+447700900201"


@pytest.fixture
def telegram():
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def twilio():
    with FakeTwilio(auth_token=TWILIO_TOKEN, rate=SenderRate(per_second=SMS_RATE, burst=2)) as fake:
        yield fake


@pytest.fixture
def whatsapp():
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def served():
    serving = Served()
    yield serving
    serving.stop()


@pytest.fixture
def services(database_url, tmp_path, clock, served, twilio, whatsapp):
    made = built(channel_settings(database_url, tmp_path / "var", served, twilio, whatsapp, SMS_RATE), clock, served)
    yield made
    made.close()


def reported(services, announcement, member_id):
    found = services.trust.delivery_channels_of(announcement)[member_id]
    return found["reported"], found["error_code"]


def test_a_signed_sms_status_is_recorded_once_and_an_unsigned_one_is_refused(services, telegram, twilio):
    sam = member_on(services.trust, "Sam", sms=SAM)
    announcement = services.trust.announce(TEXT, TRUSTEE)
    deliver(services, telegram, announcement)
    [message] = twilio.messages_to(SAM)
    assert message.status_callback == services.settings.sms_status_url

    assert twilio.send_status(message.sid, "sent").status == 204  # on its way: nothing to record yet
    assert reported(services, announcement, sam) == (None, None)
    assert twilio.send_status(message.sid, "failed", signature="none").status == 403
    assert twilio.send_status(message.sid, "failed", signature="wrong").status == 403
    assert reported(services, announcement, sam) == (None, None)

    assert twilio.send_status(message.sid, "undelivered", error_code=30003).status == 204
    assert reported(services, announcement, sam) == ("undelivered", "30003")
    assert services.trust.delivery_counts(announcement)["undeliverable"] == 1
    with nothing_recorded(services):  # redelivered, or a later word on the same message: nothing changes
        assert twilio.send_status(message.sid, "undelivered", error_code=30003).status == 204
        assert twilio.send_status(message.sid, "delivered").status == 204
    assert reported(services, announcement, sam) == ("undelivered", "30003")


def test_whatsapp_statuses_are_recorded_once_and_a_failure_is_undeliverable(services, telegram, whatsapp, served):
    trust = services.trust
    wendy = whatsapp.contact("Wendy")
    wendy_id = member_on(trust, "Wendy", whatsapp=wendy.phone)
    gone_id = member_on(trust, "Gone", whatsapp="+447700900999")  # not (or no longer) on WhatsApp
    url = f"{served.base}/whatsapp/webhook"
    whatsapp.user_sends_text(wendy, "hello")
    assert set(whatsapp.push(url)) == {200}  # (her message, and the statuses of the webhook's reply)
    assert trust.last_heard_from(wendy_id, "whatsapp") is not None  # the webhook noted it: her 24 hours are open
    trust.heard_from(gone_id, "whatsapp")
    announcement = trust.announce(TEXT, TRUSTEE)

    report = deliver(services, telegram, announcement)
    assert report.sent == 2  # Meta accepts both; one fails later
    assert set(whatsapp.push(url)) == {200}

    assert reported(services, announcement, wendy_id) == ("delivered", None)
    assert reported(services, announcement, gone_id) == ("failed", "131026")
    assert trust.delivery_counts(announcement) == {"sending": 0, "sent": 1, "undeliverable": 1}
    wamid = services.trust.delivery_channels_of(announcement)[wendy_id]["provider_id"]
    failed = {
        "id": wamid,
        "status": "failed",
        "timestamp": "1",
        "recipient_id": wendy.wa_id,
        "errors": [{"code": 131026}],
    }
    with nothing_recorded(services):  # Meta redelivers, or a later word on the same message: nothing changes
        assert whatsapp.post(url, whatsapp.notification({"statuses": [failed]})) == 200
    assert reported(services, announcement, wendy_id) == ("delivered", None)


def test_an_unsigned_whatsapp_notification_records_nothing(services, whatsapp, served):
    wendy = whatsapp.contact("Wendy")
    member_id = member_on(services.trust, "Wendy", whatsapp=wendy.phone)
    whatsapp.user_sends_text(wendy, "hello")
    body = json.dumps(whatsapp.pending[0]).encode()
    with nothing_recorded(services):
        assert whatsapp.post(f"{served.base}/whatsapp/webhook", body, signature=None) == 403
    assert services.trust.last_heard_from(member_id, "whatsapp") is None


def test_a_re_engagement_failure_stops_messages_on_whatsapp_and_leaves_consents(services, telegram, whatsapp, served):
    trust = services.trust
    will = whatsapp.contact("Will")
    will_id = member_on(trust, "Will", whatsapp=will.phone)
    trust.heard_from(will_id, "whatsapp")  # the trust thinks Will wrote; Meta's window is closed
    announcement = trust.announce(TEXT, TRUSTEE)
    deliver(services, telegram, announcement)

    assert set(whatsapp.push(f"{served.base}/whatsapp/webhook")) == {200}

    assert reported(services, announcement, will_id) == ("failed", "131047")
    assert services.views.messages_stopped_on(will_id, "whatsapp")
    [fact] = [f for f in services.views.history(will_id) if f["what"] == "messages stopped"]
    assert "Their consents are unchanged." in fact["text"]
    assert trust.channels_for(will_id) == []  # nothing more is sent there until Will starts again
    assert trust.start_messages(will_id, "whatsapp", MEMBER_THEMSELF) is True
