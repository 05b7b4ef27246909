"""(10) Text messages the members' conversation answers per second by SMS: the fake Twilio posts
signed webhooks to `datatrust serve`'s Flask app (werkzeug, threaded, on loopback), as Twilio does,
and reads the TwiML answers. Each of N members texts CONSENTS (a read), then the number beside
"Give: Research" (a consent recorded) and the number beside "Withdraw: Research" (a withdrawal).
The baseline is the same trust work called directly in the same process on the same store (find the
member by number, list consents, grant, revoke), so the ratio is what the webhook, the signature
check, the conversation (drafts, once per message) and TwiML cost on top. Also measured: the
conversation alone, without HTTP. Members text far slower than this; the figure says how much
headroom a webhook has when an announcement makes many reply at once."""

import logging
import re
import threading
import time
from dataclasses import replace
from xml.etree import ElementTree

from werkzeug.serving import make_server

from adapters.conversation.channels import SMS
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Said
from adapters.web.factory import create_app
from benchmarks.common import Result, open_services, scratch_database, standalone
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.fake_twilio import FakeTwilio

MEMBER = Actor("member", "via sms")
TOKEN = "benchmark-twilio-token"  # noqa: S105 - not a secret
TRUST_NUMBER = "+447700900001"


def add_options(options) -> None:  # type: ignore[no-untyped-def]
    options.add_argument("--sms-members", type=int, default=100, help="members texting the trust")


def run(database: str, args) -> list[Result]:  # type: ignore[no-untyped-def]
    with scratch_database(database, args) as url:
        services = open_services(url)
        try:
            return measure(services, args.sms_members)
        finally:
            services.close()


def numbers(start: int, count: int) -> list[str]:
    return [f"+4477009{start + n:05d}" for n in range(count)]


def join(services, phones: list[str]) -> list:  # type: ignore[no-untyped-def]
    terms = services.catalogue.latest_terms
    return [services.trust.join_at_address("sms", p, f"M {n}", {}, terms, MEMBER) for n, p in enumerate(phones)]


def measure(services, count: int) -> list[Result]:  # type: ignore[no-untyped-def]
    direct = in_process(services, numbers(10_000, count))
    alone = conversation_alone(services, numbers(20_000, count))
    webhook = through_webhook(services, numbers(30_000, count))
    note = f"{count} members x (CONSENTS, give, withdraw); baseline: the same trust calls in-process"
    return [
        Result("SMS messages/s, webhook", webhook, direct, "/s", "", None, note),
        Result("SMS messages/s, conversation", alone, direct, "/s", "", None, "the conversation without HTTP"),
    ]


def in_process(services, phones: list[str]) -> float:  # type: ignore[no-untyped-def]
    trust, views = services.trust, services.views
    research = services.catalogue.purpose("research").offer
    ids = join(services, phones)
    started = time.perf_counter()
    for phone, member_id in zip(phones, ids, strict=True):
        assert trust.member_for_address("sms", phone) == member_id
        views.consents(member_id, services.clock())
        consent = trust.grant_consent(member_id, "research", research.categories, Audience(kind=research.kind), MEMBER)
        views.consents(member_id, services.clock())
        trust.revoke_consent(consent, MEMBER)
        views.consents(member_id, services.clock())
    return 3 * len(phones) / (time.perf_counter() - started)


def choice(texts: list[str], label: str) -> str:
    for line in "\n".join(texts).splitlines():
        if found := re.fullmatch(rf"(\d+) {re.escape(label)}", line):
            return found.group(1)
    raise AssertionError(f"no choice {label!r} in {texts!r}")


def messages_per_second(text, phones: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Each member texts CONSENTS, picks "Give: Research", then "Withdraw: Research"; ``text`` answers one."""
    started = time.perf_counter()
    for phone in phones:
        given = text(phone, choice(text(phone, "CONSENTS"), "Give: Research"))
        assert "Given: Research" in given[0], given
        assert "Withdrawn" in text(phone, choice(given, "Withdraw: Research"))[0]
    return 3 * len(phones) / (time.perf_counter() - started)


def conversation_alone(services, phones: list[str]) -> float:  # type: ignore[no-untyped-def]
    from adapters.bot.sms import render

    join(services, phones)
    conversation, keys = Conversation(services, SMS), iter(range(10**9))

    def text(phone: str, body: str) -> list[str]:
        return render.texts(conversation.answer(phone, Said(key=f"bench:{next(keys)}:{phone}", text=body)))

    return messages_per_second(text, phones)


def through_webhook(services, phones: list[str]) -> float:  # type: ignore[no-untyped-def]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request is not the benchmark
    join(services, phones)
    holder: dict = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}/sms/twilio"
    settings = replace(services.settings, twilio_auth_token=TOKEN, twilio_webhook_url=url)
    holder["app"] = create_app(replace(services, settings=settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with FakeTwilio(auth_token=TOKEN, sms_url=url) as twilio:

            def text(phone: str, body: str) -> list[str]:
                posted = twilio.inbound(phone, TRUST_NUMBER, body)
                answer = ElementTree.fromstring(posted.response_body)  # noqa: S314 - our own service's answer
                return [m.text or "" for m in answer.iter("Message")]

            return messages_per_second(text, phones)
    finally:
        server.shutdown()


if __name__ == "__main__":
    standalone(__doc__, add_options, run)
