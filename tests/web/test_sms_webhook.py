"""Twilio's SMS webhook, as `datatrust serve` answers it (issue 15, first step): signed requests
only, each message at most once, STOP stops the trust's messages (never a consent), START starts
them, HELP helps. The fake Twilio posts exactly what Twilio posts, signed as Twilio signs."""

import threading

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from adapters.bootstrap import ConfigurationError, bootstrap
from adapters.settings import Settings
from adapters.web.factory import create_app
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.fake_twilio import FakeTwilio
from tests.support import cheap_password_hashing, fresh_sqlite_url, nothing_recorded

TOKEN = "twilio-auth-token-for-tests"  # noqa: S105 - a test value, never a real token
TRUST_NUMBER, MARY = "+447700900001", "+447700900123"


@pytest.fixture
def served():
    """A server on a free port, whose application is set once its address is known."""
    serving: dict = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: serving["app"](environ, start), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    serving["url"] = f"http://127.0.0.1:{server.server_port}/sms/twilio"
    yield serving
    server.shutdown()


@pytest.fixture
def sms_services(tmp_path, web_clock, served):
    settings = Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "sms.sqlite3"),
            "DATATRUST_VAR": str(tmp_path / "var"),
            "DATATRUST_TWILIO_AUTH_TOKEN": TOKEN,
            "DATATRUST_TWILIO_WEBHOOK_URL": served["url"],
        }
    )
    built = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    served["app"] = create_app(built)
    yield built
    built.close()


@pytest.fixture
def twilio(sms_services, served):
    with FakeTwilio(auth_token=TOKEN, sms_url=served["url"]) as fake:
        yield fake


def test_sms_is_not_turned_on_without_the_address_twilio_is_given(tmp_path):
    settings = Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "nourl.sqlite3"),
            "DATATRUST_VAR": str(tmp_path / "var"),
            "DATATRUST_TWILIO_AUTH_TOKEN": TOKEN,
        }
    )
    with pytest.raises(ConfigurationError, match="DATATRUST_TWILIO_WEBHOOK_URL must be set"):
        bootstrap(settings, password_hasher=cheap_password_hashing())


@pytest.fixture
def mary(sms_services):
    trust = sms_services.trust
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", sms_services.clock().date(), TRUSTEE)
    member = trust.join_by_chat(4242, "Mary", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.grant_consent(member, "affordable-credit", ["housing"], Audience(lender), MEMBER_THEMSELF)
    trust.link_address(member, "sms", MARY, MEMBER_THEMSELF)
    return member


def stops(services, member):
    return [f["what"] for f in services.views.history(member) if f["what"].startswith("messages")]


def test_stop_stops_messages_by_sms_and_leaves_every_consent(twilio, sms_services, mary):
    posted = twilio.inbound(MARY, TRUST_NUMBER, " stop ")
    assert posted.status == 200 and "<Message>" not in posted.response_body  # the carrier confirms STOP
    assert stops(sms_services, mary) == ["messages stopped"]
    assert {c["status"] for c in sms_services.views.consents(mary, sms_services.clock())} == {"active"}

    posted = twilio.inbound(MARY, TRUST_NUMBER, "START")
    assert "get the data trust's messages here again" in posted.response_body
    assert stops(sms_services, mary) == ["messages stopped", "messages started"]


def test_a_message_twilio_delivers_twice_changes_the_history_once(twilio, sms_services, mary):
    first = twilio.inbound(MARY, TRUST_NUMBER, "STOP")
    twilio.inbound(MARY, TRUST_NUMBER, "START")
    with nothing_recorded(sms_services):
        again = twilio.redeliver(first.params["MessageSid"])
    assert again.status == 200
    assert stops(sms_services, mary) == ["messages stopped", "messages started"]  # not stopped again


@pytest.mark.parametrize("signature", [None, "bm90IGEgc2lnbmF0dXJl"])
def test_an_unsigned_or_mis_signed_webhook_is_refused_and_changes_nothing(twilio, sms_services, mary, signature):
    with nothing_recorded(sms_services):
        posted = twilio.inbound(MARY, TRUST_NUMBER, "STOP", signature=signature)
    assert posted.status == 403


def test_help_and_anything_else_are_answered_in_at_most_two_segments(twilio, sms_services, mary):
    helped = twilio.inbound(MARY, TRUST_NUMBER, "help")
    assert "STOP stops our messages (your consents stay as they are)" in helped.response_body
    assert helped.response_body.count("<Message>") == 1
    other = twilio.inbound("+447700900999", TRUST_NUMBER, "Hello 👋 is this the trust?")
    assert "Sorry, I did not understand that." in other.response_body and "JOIN to join" in other.response_body
    assert stops(sms_services, mary) == []


def test_without_a_twilio_token_there_is_no_sms_webhook(app):
    assert app.test_client().post("/sms/twilio", data={"Body": "STOP"}).status_code == 404


def test_behind_a_proxy_the_address_twilio_was_given_is_the_one_checked_whatever_the_host(tmp_path, web_clock):
    settings = Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": fresh_sqlite_url(tmp_path / "tls.sqlite3"),
            "DATATRUST_VAR": str(tmp_path / "var"),
            "DATATRUST_TWILIO_AUTH_TOKEN": TOKEN,
            "DATATRUST_TWILIO_WEBHOOK_URL": "https://trust.example/sms/twilio",
        }
    )
    services = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    try:
        client = create_app(services).test_client()
        form = {"MessageSid": "SM" + "0" * 32, "From": MARY, "To": TRUST_NUMBER, "Body": "HELP"}
        validator = RequestValidator(TOKEN)
        signed = (
            ("https://trust.example/sms/twilio", "http://127.0.0.1:8000", 200),  # a proxy in front: Host rewritten
            ("http://trust.example/sms/twilio", "http://trust.example", 403),
            ("https://other.example/sms/twilio", "https://other.example", 403),  # signed for another address
        )
        for url, host, status in signed:
            signature = validator.compute_signature(url, form)
            answered = client.post("/sms/twilio", data=form, base_url=host, headers={"X-Twilio-Signature": signature})
            assert answered.status_code == status, url
    finally:
        services.close()


def test_start_from_a_member_who_never_stopped_is_not_understood_and_records_nothing(twilio, sms_services, mary):
    with nothing_recorded(sms_services):
        posted = twilio.inbound(MARY, TRUST_NUMBER, "yes")
    assert "Sorry, I did not understand that." in posted.response_body
