"""The fake WhatsApp Cloud API, exercised with the real pywa client, and the webhook checks of the adapter package."""

import asyncio
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from pywa import errors
from pywa.handlers import CallbackButtonHandler, CallbackSelectionHandler, MessageHandler, MessageStatusHandler
from pywa.types import Button, MessageStatusType, Section, SectionList, SectionRow
from pywa.types.templates import BodyText, TemplateLanguage

from adapters.bot.whatsapp import signed_by_meta, whatsapp_async_client, whatsapp_client
from tests.fake_whatsapp import SERVICE_WINDOW, ApprovedTemplate, FakeClock, FakeWhatsApp

VERIFY_TOKEN = "verify-me-0123"  # noqa: S105 - not a secret
TEMPLATES = [ApprovedTemplate("renewal_due", "en_GB", body_params=1), ApprovedTemplate("welcome", "en", body_params=0)]


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def fake(clock):
    with FakeWhatsApp(templates=TEMPLATES, clock=clock) as server:
        yield server


@pytest.fixture
def wa(fake):
    client = whatsapp_client(fake.phone_number_id, fake.token, fake.app_secret, api_url=fake.api_url)
    client.add_handlers(
        MessageHandler(lambda _, update: None),
        MessageStatusHandler(lambda _, update: None),
    )
    return client


class Webhook:
    """A minimal endpoint as the adapter will have one: refuses unsigned bodies (403), hands the rest to pywa."""

    def __init__(self, wa, app_secret):
        self.updates = []
        self.refused = 0
        wa.add_handlers(
            MessageHandler(lambda _, update: self.updates.append(update)),
            CallbackButtonHandler(lambda _, update: self.updates.append(update)),
            CallbackSelectionHandler(lambda _, update: self.updates.append(update)),
            MessageStatusHandler(lambda _, update: self.updates.append(update)),
        )
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if signed_by_meta(body, self.headers.get("X-Hub-Signature-256"), app_secret):
                    answer, status = wa.webhook_update_handler(body)
                else:
                    webhook.refused += 1
                    answer, status = "Forbidden", 403
                self._answer(status, answer)

            def do_GET(self):  # noqa: N802
                query = parse_qs(urlsplit(self.path).query)
                answer, status = wa.webhook_challenge_handler(
                    query.get("hub.verify_token", [None])[0], query.get("hub.challenge", [None])[0]
                )
                self._answer(status, answer or "")

            def _answer(self, status, text):
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/whatsapp"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def of(self, kind):
        return [u for u in self.updates if type(u).__name__ == kind]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(fake):
    client = whatsapp_client(
        fake.phone_number_id, fake.token, fake.app_secret, api_url=fake.api_url, verify_token=VERIFY_TOKEN
    )
    endpoint = Webhook(client, fake.app_secret)
    yield endpoint
    endpoint.close()


def statuses_of(webhook, wamid):
    return [u for u in webhook.of("MessageStatus") if u.id == wamid]


# ----------------------------------------------------------------------------- sending


def test_text_buttons_list_and_template_each_get_a_wamid_and_are_recorded(fake, wa):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")

    text = wa.send_message(mary.wa_id, "Welcome to the trust")
    buttons = wa.send_message(
        mary.wa_id, "Give consent?", buttons=[Button("Give", "c:give"), Button("Not now", "c:no")]
    )
    rows = [SectionRow(f"Panel {n}", f"p:{n}") for n in range(1, 11)]
    listed = wa.send_message(
        mary.wa_id,
        "Which panel?",
        buttons=SectionList("Panels", [Section("Open", rows[:5]), Section("Soon", rows[5:])]),
    )
    template = wa.send_template(mary.wa_id, "renewal_due", TemplateLanguage.ENGLISH_UK, [BodyText.params("Mary")])

    ids = [sent.id for sent in (text, buttons, listed, template)]
    assert all(i.startswith("wamid.") for i in ids) and len(set(ids)) == 4
    assert text.input == mary.wa_id
    recorded = fake.messages_to(mary)
    assert [m.wamid for m in recorded] == ids
    assert recorded[0].text == "Welcome to the trust"
    assert recorded[1].buttons == [("c:give", "Give"), ("c:no", "Not now")]
    assert recorded[2].rows == [(f"p:{n}", f"Panel {n}") for n in range(1, 11)]
    assert recorded[3].template == ("renewal_due", "en_GB", ["Mary"])
    assert not any(m.failed for m in recorded)


def test_a_wrong_token_is_refused_with_graph_oauth_error_190(fake):
    wa = whatsapp_client(fake.phone_number_id, "EAAwrong", fake.app_secret, api_url=fake.api_url)

    with pytest.raises(errors.ExpiredAccessToken) as refused:
        wa.send_message("447700900123", "hello")

    assert refused.value.code == 190
    assert refused.value.status_code == 401
    assert refused.value.type == "OAuthException"
    assert fake.sent == []


def test_an_unknown_phone_number_id_is_refused(fake):
    wa = whatsapp_client("999999999", fake.token, fake.app_secret, api_url=fake.api_url)

    with pytest.raises(errors.WhatsAppError) as refused:
        wa.send_message("447700900123", "hello")

    assert (refused.value.code, refused.value.status_code) == (100, 400)


LONG = "x" * 21


@pytest.mark.parametrize(
    ("buttons", "text", "details"),
    [
        (
            [Button("A", "a"), Button("B", "b"), Button("C", "c"), Button("D", "d")],
            "Pick",
            "Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3",
        ),
        ([Button(LONG, "a")], "Pick", "Button title length invalid. Min length: 1, Max length: 20"),
        ([Button("Yes", "same"), Button("No", "same")], "Pick", "Button ids must be unique."),
        ([Button("Yes", "y")], "x" * 1025, "Body text length invalid. Min length: 1, Max length: 1024"),
        (
            SectionList("Choose", [Section("A", [SectionRow(f"Row {n}", f"r{n}") for n in range(11)])]),
            "Pick",
            "Total row count exceed max allowed count: 10",
        ),
        (
            SectionList("Choose", [Section("A", [SectionRow("y" * 25, "r")])]),
            "Pick",
            "Row title length invalid. Min length: 1, Max length: 24",
        ),
        (
            SectionList(LONG, [Section("A", [SectionRow("Row", "r")])]),
            "Pick",
            "Button text length invalid. Min length: 1, Max length: 20",
        ),
    ],
    ids=["4-buttons", "long-title", "same-ids", "long-body", "11-rows", "long-row-title", "long-list-button"],
)
def test_invalid_interactive_messages_are_refused_with_131009(fake, wa, buttons, text, details):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")

    with pytest.raises(errors.InvalidParameter) as refused:
        wa.send_message(mary.wa_id, text, buttons=buttons)

    assert refused.value.code == 131009
    assert refused.value.status_code == 400
    assert refused.value.message == "(#131009) Parameter value is not valid"
    assert refused.value.details == details
    assert fake.messages_to(mary) == []


def test_a_text_of_4096_characters_goes_and_one_more_is_refused(fake, wa):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")

    wa.send_message(mary.wa_id, "é" * 4096)
    with pytest.raises(errors.WhatsAppError) as refused:
        wa.send_message(mary.wa_id, "é" * 4097)

    assert (refused.value.code, refused.value.status_code) == (100, 400)
    assert len(fake.messages_to(mary)) == 1


def test_unknown_templates_and_wrong_parameter_counts_are_refused(fake, wa):
    mary = fake.contact("Mary")

    with pytest.raises(errors.TemplateNotExists) as unknown:
        wa.send_template(mary.wa_id, "no_such_template", TemplateLanguage.ENGLISH_UK)
    with pytest.raises(errors.TemplateNotExists) as other_language:
        wa.send_template(mary.wa_id, "renewal_due", TemplateLanguage.ENGLISH, [BodyText.params("Mary")])
    with pytest.raises(errors.TemplateParamCountMismatch) as mismatch:
        wa.send_template(mary.wa_id, "renewal_due", TemplateLanguage.ENGLISH_UK, [BodyText.params("Mary", "Jones")])

    assert (unknown.value.code, unknown.value.status_code) == (132001, 404)
    assert other_language.value.code == 132001
    assert (mismatch.value.code, mismatch.value.status_code) == (132000, 400)
    assert "(2) does not match the expected number of params (1)" in mismatch.value.details
    assert fake.messages_to(mary) == []
    assert wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH).id.startswith("wamid.")


# ----------------------------------------------------------------------------- the 24-hour window


def test_outside_the_window_a_text_is_accepted_then_fails_with_131047_while_a_template_goes(fake, wa, webhook):
    mary = fake.contact("Mary")

    text = wa.send_message(mary.wa_id, "Your renewal is due")
    template = wa.send_template(mary.wa_id, "renewal_due", TemplateLanguage.ENGLISH_UK, [BodyText.params("Mary")])
    assert fake.push(webhook.url) == [200, 200, 200]

    [failed] = statuses_of(webhook, text.id)
    assert failed.status == MessageStatusType.FAILED
    assert isinstance(failed.error, errors.ReEngagementMessage)
    assert failed.error.code == 131047
    assert [s.status for s in statuses_of(webhook, template.id)] == [
        MessageStatusType.SENT,
        MessageStatusType.DELIVERED,
    ]


def test_the_window_opens_when_the_user_writes_and_closes_24_hours_later(fake, wa, webhook, clock):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")
    clock.advance(SERVICE_WINDOW - 60)

    inside = wa.send_message(mary.wa_id, "Still here")
    clock.advance(120)
    outside = wa.send_message(mary.wa_id, "Too late")
    fake.push(webhook.url)

    [hello] = webhook.of("Message")
    assert (hello.text, hello.from_user.wa_id, hello.from_user.name) == ("hello", mary.wa_id, "Mary")
    assert [s.status for s in statuses_of(webhook, inside.id)] == [MessageStatusType.SENT, MessageStatusType.DELIVERED]
    assert [s.error.code for s in statuses_of(webhook, outside.id)] == [131047]
    assert fake.message(outside.id).failed and not fake.message(inside.id).failed


def test_a_number_not_on_whatsapp_fails_with_131026(fake, wa, webhook):
    sent = wa.send_template("447700999999", "welcome", TemplateLanguage.ENGLISH)
    fake.push(webhook.url)

    [status] = statuses_of(webhook, sent.id)
    assert isinstance(status.error, errors.MessageUndeliverable)


# ----------------------------------------------------------------------------- throughput


def test_over_80_messages_a_second_the_81st_is_refused_with_130429(fake, wa, clock):
    mary = fake.contact("Mary")

    for _ in range(80):
        wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH)
    with pytest.raises(errors.RateLimitHit) as refused:
        wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH)
    clock.advance(1.0)
    wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH)

    assert (refused.value.code, refused.value.status_code) == (130429, 400)
    assert len(fake.messages_to(mary)) == 81
    assert fake.given_130429 == 1


def test_throughput_is_configurable_per_phone_number_id(fake, wa, clock):
    fake.set_throughput(2)
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")

    wa.send_message(mary.wa_id, "one")
    clock.advance(0.5)
    wa.send_message(mary.wa_id, "two")
    with pytest.raises(errors.RateLimitHit):
        wa.send_message(mary.wa_id, "three")
    clock.advance(0.5)  # the first has left the one-second window

    assert wa.send_message(mary.wa_id, "three").id.startswith("wamid.")


# ----------------------------------------------------------------------------- webhooks


def test_a_webhook_signed_by_the_driver_passes_and_a_tampered_one_does_not(fake):
    body = fake.notification({"statuses": []})
    header = fake.sign(body)

    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signed_by_meta(body, header, fake.app_secret)
    assert not signed_by_meta(body.replace(b"whatsapp", b"whatsApp", 1), header, fake.app_secret)
    assert not signed_by_meta(body, fake.sign(body, "another-secret"), fake.app_secret)
    assert not signed_by_meta(body, header.removeprefix("sha256="), fake.app_secret)
    assert not signed_by_meta(body, None, fake.app_secret)
    assert not signed_by_meta(body, "", fake.app_secret)
    assert not signed_by_meta(body, "sha256=é", fake.app_secret)
    assert not signed_by_meta(body, header, "")


def test_unsigned_and_mis_signed_notifications_are_refused_and_never_handled(fake, webhook):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")
    [body] = [json.dumps(n).encode() for n in fake.pending]

    assert fake.post(webhook.url, body, signature=None) == 403
    assert fake.post(webhook.url, body, signature=fake.sign(body, "not-the-app-secret")) == 403
    assert fake.post(webhook.url, body.replace(b"hello", b"hullo"), signature=fake.sign(body)) == 403

    assert webhook.refused == 3
    assert webhook.updates == []
    assert fake.push(webhook.url) == [200]
    assert [m.text for m in webhook.of("Message")] == ["hello"]


def test_a_redelivered_message_carries_the_same_wamid(fake, webhook):
    mary = fake.contact("Mary")
    wamid = fake.user_sends_text(mary, "hello")
    fake.push(webhook.url)

    assert fake.redeliver(webhook.url, wamid) == 200

    first, again = fake.deliveries
    assert first.body == again.body and first.signature == again.signature
    assert [m.id for m in webhook.of("Message")] == [wamid]  # pywa itself skips the duplicate body


def test_button_presses_list_picks_and_template_buttons_reach_pywa(fake, wa, webhook):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")
    question = wa.send_message(mary.wa_id, "Give consent?", buttons=[Button("Give", "c:give"), Button("No", "c:no")])
    menu = wa.send_message(
        mary.wa_id, "Panel?", buttons=SectionList("Panels", [Section("Open", [SectionRow("Food", "p:1")])])
    )
    renewal = wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH)

    fake.user_presses(mary, fake.message(question.id), "c:give")
    fake.user_picks(mary, fake.message(menu.id), "p:1")
    fake.user_taps_template_button(mary, fake.message(renewal.id), "renew:yes", "Yes")
    with pytest.raises(ValueError):
        fake.user_presses(mary, fake.message(question.id), "c:not-a-button")
    fake.push(webhook.url)

    pressed, tapped = webhook.of("CallbackButton")
    [picked] = webhook.of("CallbackSelection")
    assert (pressed.data, pressed.reply_to_message.id) == ("c:give", question.id)
    assert (picked.data, picked.title) == ("p:1", "Food")
    assert (tapped.data, tapped.title) == ("renew:yes", "Yes")


def test_a_read_receipt_arrives_as_a_read_status(fake, wa, webhook):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")
    sent = wa.send_message(mary.wa_id, "Welcome")

    fake.user_reads(fake.message(sent.id))
    fake.push(webhook.url)

    assert [s.status for s in statuses_of(webhook, sent.id)][-1] == MessageStatusType.READ


def test_the_verification_handshake_echoes_the_challenge_only_for_the_right_token(webhook):
    assert FakeWhatsApp.verify(webhook.url, VERIFY_TOKEN, "1158201444") == (200, "1158201444")
    assert FakeWhatsApp.verify(webhook.url, "wrong", "1158201444")[0] == 403


def test_a_notification_not_acknowledged_stays_queued_and_goes_on_the_next_push(fake, webhook):
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "hello")
    closed = webhook.url  # nothing listens there once the endpoint is closed
    webhook.close()

    assert fake.push(closed, timeout=2) == [0]
    assert len(fake.pending) == 1

    again = Webhook(
        whatsapp_client(fake.phone_number_id, fake.token, fake.app_secret, api_url=fake.api_url), fake.app_secret
    )
    try:
        assert fake.push(again.url) == [200]
        assert [m.text for m in again.of("Message")] == ["hello"]
        assert fake.pending == []
    finally:
        again.close()


# ----------------------------------------------------------------------------- the client helper


def test_the_async_client_reaches_the_fake_too(fake):
    mary = fake.contact("Mary")

    async def scenario():
        wa = whatsapp_async_client(fake.phone_number_id, fake.token, fake.app_secret, api_url=fake.api_url)
        sent = await wa.send_template(mary.wa_id, "welcome", TemplateLanguage.ENGLISH)
        with pytest.raises(errors.TemplateNotExists):
            await wa.send_template(mary.wa_id, "nope", TemplateLanguage.ENGLISH)
        return sent

    sent = asyncio.run(scenario())

    assert [m.wamid for m in fake.messages_to(mary)] == [sent.id]


def test_phone_numbers_and_texts_never_reach_the_logs(fake, wa, webhook, caplog):
    caplog.set_level(logging.DEBUG)
    mary = fake.contact("Mary")
    fake.user_sends_text(mary, "my secret answer")

    wa.send_message(mary.wa_id, "your private reply")
    fake.push(webhook.url)

    assert webhook.of("Message")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert mary.wa_id not in logged
    assert "secret answer" not in logged and "private reply" not in logged
