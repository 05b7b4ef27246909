"""WhatsApp's webhook, as `datatrust serve` answers it (issue 15, first step): Meta's handshake, signed notifications
only, each message at most once, STOP stops the trust's messages on WhatsApp (never a consent), START starts them,
HELP and anything else are answered through the Cloud API. The fake Cloud API posts exactly what Meta posts, signed
as Meta signs, and receives the replies the real pywa client sends."""

import json
import logging
import threading

import pytest
from werkzeug.serving import make_server

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web.factory import create_app
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.fake_whatsapp import FakeWhatsApp
from tests.support import cheap_password_hashing, fresh_sqlite_url, nothing_recorded

VERIFY_TOKEN = "whatsapp-verify-token-for-tests"  # noqa: S105 - a test value, never a real token
STOPPED = (
    "You will get no more of the trust's messages here. Your consents are as they were: "
    "to withdraw one, send CONSENTS. Send START to get messages again."
)


@pytest.fixture
def fake():
    with FakeWhatsApp() as fake:
        yield fake


def whatsapp_settings(tmp_path, fake, **overrides: str) -> Settings:
    env = {
        "DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "whatsapp.sqlite3"),
        "DATATRUST_VAR": str(tmp_path / "var"),
        "DATATRUST_WHATSAPP_APP_SECRET": fake.app_secret,
        "DATATRUST_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "DATATRUST_WHATSAPP_PHONE_ID": fake.phone_number_id,
        "DATATRUST_WHATSAPP_TOKEN": fake.token,
        "DATATRUST_WHATSAPP_API_URL": fake.api_url,
    }
    env.update(overrides)
    return Settings.from_environment({k: v for k, v in env.items() if v})


@pytest.fixture
def cloud_api_token(fake):
    return fake.token


@pytest.fixture
def wa_services(tmp_path, web_clock, fake, cloud_api_token):
    settings = whatsapp_settings(tmp_path, fake, DATATRUST_WHATSAPP_TOKEN=cloud_api_token)
    built = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


@pytest.fixture
def url(wa_services):
    server = make_server("127.0.0.1", 0, create_app(wa_services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/whatsapp/webhook"
    server.shutdown()


@pytest.fixture
def mary(fake):
    return fake.contact("Mary")


@pytest.fixture
def member(wa_services, mary):
    trust = wa_services.trust
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", wa_services.clock().date(), TRUSTEE)
    member = trust.join_by_chat(4242, "Mary", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(lender), MEMBER_THEMSELF)
    trust.link_address(member, "whatsapp", mary.phone, MEMBER_THEMSELF)
    return member


def stops(services, member):
    return [f["what"] for f in services.views.history(member) if f["what"].startswith("messages")]


def texts_to(fake, contact):
    return [m.text for m in fake.messages_to(contact)]


def test_meta_s_handshake_is_answered_with_the_challenge_only_for_our_verify_token(fake, url):
    assert fake.verify(url, VERIFY_TOKEN, challenge="1158201444") == (200, "1158201444")
    assert fake.verify(url, "not-our-token", challenge="1158201444")[0] == 403


def test_stop_stops_messages_by_whatsapp_and_leaves_every_consent(fake, url, wa_services, member, mary):
    fake.user_sends_text(mary, " stop ")
    assert set(fake.push(url)) == {200}
    assert stops(wa_services, member) == ["messages stopped"]
    assert {c["status"] for c in wa_services.views.consents(member, wa_services.clock())} == {"active"}
    assert texts_to(fake, mary) == [STOPPED]

    fake.user_sends_text(mary, "START")
    assert set(fake.push(url)) == {200}
    assert stops(wa_services, member) == ["messages stopped", "messages started"]
    assert "get the data trust's messages here again" in texts_to(fake, mary)[-1]


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
def test_a_stop_button_or_list_row_stops_messages_too(fake, url, wa_services, member, mary, kind):
    chosen = {"type": kind, kind: {"id": "stop", "title": "Stop messages"}}
    message = {"from": mary.wa_id, "id": "wamid.HBgMSTOPBUTTON0001", "timestamp": "1733450000", "type": "interactive"}
    body = fake.notification({"contacts": [mary.as_contact()], "messages": [{**message, "interactive": chosen}]})
    assert fake.post(url, body) == 200
    assert stops(wa_services, member) == ["messages stopped"]
    assert texts_to(fake, mary) == [STOPPED]


def test_a_message_meta_delivers_twice_changes_the_history_once(fake, url, wa_services, member, mary):
    first = fake.user_sends_text(mary, "STOP")
    fake.user_sends_text(mary, "START")
    fake.push(url)
    answered = len(fake.messages_to(mary))
    with nothing_recorded(wa_services):
        assert fake.redeliver(url, first) == 200
    assert stops(wa_services, member) == ["messages stopped", "messages started"]  # not stopped again
    assert len(fake.messages_to(mary)) == answered  # and not answered again


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "bm90IGEgc2lnbmF0dXJl"])
def test_an_unsigned_or_mis_signed_notification_is_refused_and_changes_nothing(
    fake, url, wa_services, member, mary, signature
):
    fake.user_sends_text(mary, "STOP")
    [body] = [json.dumps(n).encode() for n in fake.pending]
    with nothing_recorded(wa_services):
        assert fake.post(url, body, signature=signature) == 403
        assert fake.post(url, body, signature=fake.sign(body, "another-app-secret")) == 403
    assert fake.messages_to(mary) == []


def test_help_and_anything_else_are_answered_through_the_cloud_api(fake, url, wa_services, member, mary):
    fake.user_sends_text(mary, "help")
    stranger = fake.contact("Stranger")
    fake.user_sends_text(stranger, "Hello 👋 is this the trust?")
    with nothing_recorded(wa_services):
        statuses = fake.push(url)  # the two messages, then the statuses of the two replies
    assert statuses and set(statuses) == {200}
    [helped] = fake.messages_to(mary)
    assert (
        helped.type == "text"
        and "STOP — stop the trust's messages here (your consents stay as they are)" in helped.text
    )
    assert "CONSENTS — see and change who may see your data" in helped.text and "/consents" not in helped.text
    assert helped.statuses == ["sent", "delivered"]
    [puzzled] = texts_to(fake, stranger)
    assert puzzled.startswith("Sorry, I did not understand that.") and "JOIN — join the trust" in puzzled
    assert stops(wa_services, member) == []


def test_a_failed_status_for_a_number_not_on_whatsapp_is_acknowledged_and_changes_nothing(fake, url, wa_services):
    failed = {
        "id": "wamid.HBgMNDQ3NzAwOTAwOTk5FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=",
        "status": "failed",
        "timestamp": "1733450000",
        "recipient_id": "447700900999",
        "errors": [{"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}],
    }
    body = fake.notification({"statuses": [failed]})
    with nothing_recorded(wa_services):
        assert fake.post(url, body) == 200


@pytest.mark.parametrize("cloud_api_token", ["EAAnot-the-token"])
def test_a_reply_the_cloud_api_refuses_still_acknowledges_and_logs_no_number_or_text(
    fake, url, wa_services, member, mary, caplog
):
    fake.user_sends_text(mary, "STOP")
    with caplog.at_level(logging.DEBUG):
        assert fake.push(url) == [200]
    assert stops(wa_services, member) == ["messages stopped"]
    assert fake.messages_to(mary) == []
    assert "Cloud API answered error 190" in caplog.text
    assert mary.wa_id not in caplog.text and "STOP" not in caplog.text


@pytest.mark.parametrize(
    "missing", [(), ("DATATRUST_WHATSAPP_APP_SECRET",), ("DATATRUST_WHATSAPP_VERIFY_TOKEN",)], ids=str
)
def test_without_the_app_secret_and_the_verify_token_there_is_no_whatsapp_webhook(tmp_path, web_clock, missing):
    env = {
        "DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "off.sqlite3"),
        "DATATRUST_VAR": str(tmp_path / "var"),
        "DATATRUST_WHATSAPP_APP_SECRET": "a-secret",
        "DATATRUST_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
    }
    for name in missing or tuple(env)[2:]:
        del env[name]
    built = bootstrap(Settings.from_environment(env), clock=web_clock, password_hasher=cheap_password_hashing())
    try:
        client = create_app(built, {"TESTING": True}).test_client()
        assert client.post("/whatsapp/webhook", data=b"{}").status_code == 404
        assert client.get("/whatsapp/webhook?hub.mode=subscribe").status_code == 404
    finally:
        built.close()


def test_the_webhook_is_nobody_s_page_but_meta_s(wa_services):
    app = create_app(wa_services)
    rules = {r.endpoint: r for r in app.url_map.iter_rules() if r.endpoint.startswith("whatsapp.")}
    assert {e: r.rule for e, r in rules.items()} == {
        "whatsapp.verify": "/whatsapp/webhook",
        "whatsapp.notified": "/whatsapp/webhook",
    }
    assert all(getattr(app.view_functions[e], "required_role", None) is None for e in rules)


def test_a_message_to_another_number_of_the_business_account_is_not_the_trust_s(fake, url, wa_services, member, mary):
    fake.phone_number("109999999999999", "15550001111")
    fake.user_sends_text(mary, "STOP", phone_number_id="109999999999999")
    with nothing_recorded(wa_services):
        assert fake.push(url) == [200]
    assert fake.messages_to(mary) == []
