"""The fake Twilio, exercised with the real twilio client and checked with twilio's own RequestValidator."""

import asyncio
import re
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from adapters.bot.sms.client import RedirectedHttpClient, twilio_client
from tests.fake_twilio import FakeTwilio, SenderRate

OURS = "+447700900001"  # our long code
OTHER = "+447700900002"
MARY = "+447700900123"
SID = re.compile(r"^SM[0-9a-f]{32}$")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Receiver:
    """The application's side: checks X-Twilio-Signature as the SMS adapter will (403 if bad), answers TwiML."""

    def __init__(self, auth_token):
        self.validator = RequestValidator(auth_token)
        self.accepted: list[dict[str, str]] = []
        self.refused = 0
        self.twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                params = dict(parse_qsl(body, keep_blank_values=True))
                url = f"http://{self.headers['Host']}{self.path}"
                signature = self.headers.get("X-Twilio-Signature", "")
                if receiver.validator.validate(url, params, signature):
                    receiver.accepted.append(params)
                    status, answer = 200, receiver.twiml.encode()
                else:
                    receiver.refused += 1
                    status, answer = 403, b"forbidden"
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fake(clock):
    with FakeTwilio(clock=clock) as server:
        yield server


@pytest.fixture
def client(fake):
    return twilio_client(fake.account_sid, fake.auth_token, api_url=fake.api_url)


@pytest.fixture
def app(fake):
    receiver = Receiver(fake.auth_token)
    yield receiver
    receiver.close()


def error_of(call):
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


# ----------------------------------------------------------------------------- REST Messages API


def test_the_real_client_sends_and_gets_the_message_with_its_segments(fake, client):
    message = client.messages.create(to=MARY, from_=OURS, body="Reply 1 to give, 2 to withdraw")

    assert SID.match(message.sid)
    assert message.status == "queued"
    assert (message.to, message.from_, message.body) == (MARY, OURS, "Reply 1 to give, 2 to withdraw")
    assert message.num_segments == "1"
    assert message.direction == "outbound-api"
    assert message.account_sid == fake.account_sid
    assert isinstance(message.date_created, datetime)
    assert message.date_created.tzinfo is not None
    [sent] = fake.messages_to(MARY)
    assert (sent.sid, sent.encoding, sent.segments) == (message.sid, "GSM-7", 1)

    fetched = client.messages(message.sid).fetch()
    assert (fetched.sid, fetched.status, fetched.body) == (message.sid, "queued", message.body)


def test_num_segments_counts_as_carriers_do(clock, client):
    welsh = client.messages.create(to=MARY, from_=OURS, body="Diolch! ŵ" + "a" * 62)  # 71 UCS-2 units
    clock.now += 1
    euros = client.messages.create(to=MARY, from_=OURS, body="€" * 80)  # 160 septets
    clock.now += 1
    long = client.messages.create(to=MARY, from_=OURS, body="a" * 307)

    assert (welsh.num_segments, euros.num_segments, long.num_segments) == ("2", "1", "3")


def test_a_messaging_service_message_is_accepted_with_no_sender_yet(fake, client):
    message = client.messages.create(to=MARY, messaging_service_sid="MG" + "a" * 32, body="Hello")

    assert message.status == "accepted"
    assert message.from_ is None
    assert message.num_segments == "0"  # as Twilio answers before it picks a sender
    assert fake.messages_to(MARY)[0].segments == 1


def test_a_wrong_token_is_refused_with_20003(fake):
    wrong = twilio_client(fake.account_sid, "not-the-token", api_url=fake.api_url)

    error = error_of(lambda: wrong.messages.create(to=MARY, from_=OURS, body="Hello"))

    assert (error.status, error.code, error.msg) == (401, 20003, "Unable to create record: Authenticate")
    assert fake.messages == []


def test_another_account_sid_is_refused(fake):
    other = twilio_client("AC" + "f" * 32, fake.auth_token, api_url=fake.api_url)

    assert error_of(lambda: other.messages.create(to=MARY, from_=OURS, body="Hello")).code == 20003
    assert fake.messages == []


@pytest.mark.parametrize("number", ["07700900123", "447700900123", "+44 7700 900123", "+0447700900123", "+4"])
def test_a_number_not_in_e164_is_refused_with_21211(fake, client, number):
    error = error_of(lambda: client.messages.create(to=number, from_=OURS, body="Hello"))

    assert (error.status, error.code) == (400, 21211)
    assert error.msg == f"Unable to create record: The 'To' number {number} is not a valid phone number."
    assert fake.messages == []


def test_body_length_limits(fake, clock, client):
    assert client.messages.create(to=MARY, from_=OURS, body="a" * 1600).num_segments == "11"
    clock.now += 1

    too_long = error_of(lambda: client.messages.create(to=MARY, from_=OURS, body="a" * 1601))
    empty = error_of(lambda: client.messages.create(to=MARY, from_=OURS, body=""))
    no_sender = error_of(lambda: client.messages.create(to=MARY, body="Hello"))

    assert (too_long.status, too_long.code) == (400, 21617)
    assert (empty.status, empty.code) == (400, 21602)
    assert (no_sender.status, no_sender.code) == (400, 21603)
    assert len(fake.messages) == 1


def test_over_the_senders_rate_the_client_gets_429_20429(fake, clock, client):
    client.messages.create(to=MARY, from_=OURS, body="one")

    error = error_of(lambda: client.messages.create(to=MARY, from_=OURS, body="two"))

    assert (error.status, error.code, error.msg) == (429, 20429, "Unable to create record: Too Many Requests")
    assert [m.body for m in fake.messages] == ["one"]  # refused, not queued
    assert fake.given_429_by_sender == {OURS: 1}
    # The limit is per sender number: another long code may send at once.
    client.messages.create(to=MARY, from_=OTHER, body="three")
    # A second later the first number may send again.
    clock.now += 1.0
    client.messages.create(to=MARY, from_=OURS, body="two again")
    assert [m.body for m in fake.messages] == ["one", "three", "two again"]
    # The client did not retry behind our back: one request per call.
    assert [status for _, _, _, status in fake.requests] == [201, 429, 201, 201]


def test_a_sender_paced_at_its_rate_is_never_refused(clock, client, fake):
    for n in range(10):
        client.messages.create(to=MARY, from_=OURS, body=f"message {n}")
        clock.now += 1.0

    assert fake.given_429 == 0
    assert len(fake.messages_to(MARY)) == 10


def test_the_rate_and_burst_are_configurable(clock):
    with FakeTwilio(clock=clock, rate=SenderRate(per_second=2, burst=3)) as fake:
        client = twilio_client(fake.account_sid, fake.auth_token, api_url=fake.api_url)
        for n in range(3):
            client.messages.create(to=MARY, from_=OURS, body=f"burst {n}")
        assert error_of(lambda: client.messages.create(to=MARY, from_=OURS, body="over")).code == 20429
        clock.now += 0.5  # one token back at 2 a second
        client.messages.create(to=MARY, from_=OURS, body="paced")
        assert fake.given_429 == 1
        assert len(fake.messages) == 4


def test_counting_segments_a_long_message_holds_the_sender_for_as_many_seconds(clock):
    with FakeTwilio(clock=clock, rate=SenderRate(per_segment=True)) as fake:
        client = twilio_client(fake.account_sid, fake.auth_token, api_url=fake.api_url)
        client.messages.create(to=MARY, from_=OURS, body="a" * 307)  # 3 segments
        clock.now += 2.5
        assert error_of(lambda: client.messages.create(to=MARY, from_=OURS, body="next")).code == 20429
        clock.now += 0.5
        client.messages.create(to=MARY, from_=OURS, body="next")
        assert [m.segments for m in fake.messages] == [3, 1]


def test_the_client_helper_reaches_no_other_twilio_host(fake, client):
    with pytest.raises(ValueError, match="only https://api.twilio.com"):
        client.http_client.request("GET", "https://verify.twilio.com/v2/Services")
    assert fake.requests == []


# ----------------------------------------------------------------------------- webhooks


def test_a_status_callback_is_signed_so_twilios_validator_accepts_it(fake, client, app):
    message = client.messages.create(to=MARY, from_=OURS, body="Hello", status_callback=f"{app.url}/sms/status")

    sent = fake.send_status(message.sid, "sent")
    delivered = fake.send_status(message.sid, "delivered")

    assert (sent.status, delivered.status) == (200, 200)
    assert [(p["MessageSid"], p["MessageStatus"]) for p in app.accepted] == [
        (message.sid, "sent"),
        (message.sid, "delivered"),
    ]
    assert "ErrorCode" not in app.accepted[-1]
    assert app.accepted[-1]["AccountSid"] == fake.account_sid
    assert client.messages(message.sid).fetch().status == "delivered"


def test_a_failed_delivery_carries_its_error_code(fake, client, app):
    message = client.messages.create(to=MARY, from_=OURS, body="Hello", status_callback=f"{app.url}/sms/status")

    fake.send_status(message.sid, "undelivered")

    assert app.accepted[-1]["MessageStatus"] == "undelivered"
    assert app.accepted[-1]["ErrorCode"] == "30003"
    fetched = client.messages(message.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30003)


def test_callbacks_can_go_out_on_their_own(app):
    with FakeTwilio(auto_callbacks=True) as fake:
        client = twilio_client(fake.account_sid, fake.auth_token, api_url=fake.api_url)
        message = client.messages.create(to=MARY, from_=OURS, body="Hi", status_callback=f"{app.url}/status")

        posts = fake.wait_for_posts(2, kind="status")

    assert [p.status for p in posts] == [200, 200]
    assert [(p["MessageSid"], p["MessageStatus"]) for p in app.accepted] == [
        (message.sid, "sent"),
        (message.sid, "delivered"),
    ]


def test_a_mis_signed_status_callback_is_refused(fake, client, app):
    message = client.messages.create(to=MARY, from_=OURS, body="Hello", status_callback=f"{app.url}/sms/status")

    assert fake.send_status(message.sid, "delivered", signature="wrong").status == 403
    assert fake.send_status(message.sid, "delivered", signature="none").status == 403
    assert app.accepted == []


def test_an_inbound_sms_is_posted_signed_with_twilios_fields(fake, app):
    post = fake.inbound(MARY, OURS, "YES 1", url=f"{app.url}/sms")

    assert post.status == 200
    [params] = app.accepted
    assert SID.match(params["MessageSid"])
    assert params["From"] == MARY
    assert params["To"] == OURS
    assert params["Body"] == "YES 1"
    assert params["AccountSid"] == fake.account_sid
    assert (params["NumSegments"], params["NumMedia"]) == ("1", "0")


def test_twilios_validator_accepts_the_signature_and_rejects_a_tampered_request(fake, app):
    post = fake.inbound(MARY, OURS, "1", url=f"{app.url}/sms")
    validator = RequestValidator(fake.auth_token)

    assert validator.validate(post.url, post.params, post.signature)
    assert not validator.validate(post.url, {**post.params, "Body": "2"}, post.signature)
    assert not validator.validate(post.url, {**post.params, "From": "+447700900999"}, post.signature)
    assert not validator.validate(f"{app.url}/other", post.params, post.signature)


def test_mis_signed_and_unsigned_inbound_sms_are_refused(fake, app):
    assert fake.inbound(MARY, OURS, "1", url=f"{app.url}/sms", signature="wrong").status == 403
    assert fake.inbound(MARY, OURS, "1", url=f"{app.url}/sms", signature="none").status == 403
    assert app.accepted == []
    assert app.refused == 2


def test_twilio_retries_with_the_same_message_sid(fake, app):
    first = fake.inbound(MARY, OURS, "1", url=f"{app.url}/sms")

    again = fake.redeliver(first.params["MessageSid"])

    assert again.status == 200
    assert [p["MessageSid"] for p in app.accepted] == [first.params["MessageSid"]] * 2
    assert again.idempotency_token == first.idempotency_token
    assert again.params == first.params


def test_a_twiml_reply_is_sent_back_to_the_phone(fake, app):
    app.twiml = "<Response><Message>Reply 1 to give, 2 to withdraw</Message></Response>"

    fake.inbound(MARY, OURS, "HELP", url=f"{app.url}/sms")

    [reply] = fake.messages_to(MARY)
    assert (reply.from_, reply.body, reply.direction, reply.segments) == (
        OURS,
        "Reply 1 to give, 2 to withdraw",
        "outbound-reply",
        1,
    )


def test_after_stop_twilio_refuses_to_send_until_start(fake, clock, client, app):
    fake.inbound(MARY, OURS, "Stop", url=f"{app.url}/sms")

    error = error_of(lambda: client.messages.create(to=MARY, from_=OURS, body="News"))
    assert (error.status, error.code) == (400, 21610)
    client.messages.create(to=MARY, from_=OTHER, body="From another number")  # opt-out is per sender

    fake.inbound(MARY, OURS, "START", url=f"{app.url}/sms")
    clock.now += 1
    client.messages.create(to=MARY, from_=OURS, body="Welcome back")
    assert [m.body for m in fake.messages_to(MARY)] == ["From another number", "Welcome back"]


def test_the_async_driver_posts_the_same_way(fake, app):
    post = asyncio.run(fake.ainbound(MARY, OURS, "2", url=f"{app.url}/sms"))

    assert post.status == 200
    assert app.accepted[0]["Body"] == "2"


def test_without_api_url_the_helper_gives_a_client_for_the_real_twilio():
    client = twilio_client("AC" + "1" * 32, "token")

    assert type(client.http_client) is TwilioHttpClient
    assert not isinstance(client.http_client, RedirectedHttpClient)
    assert client.api.base_url == "https://api.twilio.com"
