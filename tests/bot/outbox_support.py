"""A trust whose outbox sends on all three channels, each against its fake on loopback with the
real client (python-telegram-bot, twilio, pywa), and `datatrust serve`'s web app (the SMS status
callbacks, the WhatsApp webhook) served on a free port."""

import asyncio
import threading
from dataclasses import replace

from telegram import Bot
from werkzeug.serving import make_server

from adapters.bootstrap import Services, bootstrap
from adapters.bot.sender import Outbox
from adapters.outbox.building import sms_channel, whatsapp_channel
from adapters.settings import Settings
from adapters.web.factory import create_app
from domain.kernel.catalogue import WhatsAppTemplate
from tests.conftest import MEMBER_THEMSELF
from tests.support import cheap_password_hashing

TWILIO_TOKEN = "twilio-auth-token-for-tests"  # noqa: S105 - a test value, never a real token
TRUST_NUMBER = "+447700900001"
VERIFY_TOKEN = "whatsapp-verify-token-for-tests"  # noqa: S105 - a test value
TEMPLATE = WhatsAppTemplate("trust_news", "en_GB", ("text",))


class Served:
    """A server on a free port, whose application is set once the trust is built."""

    def __init__(self) -> None:
        self.app = None
        self.server = make_server("127.0.0.1", 0, lambda environ, start: self.app(environ, start), threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


def channel_settings(database_url, var, served: Served, twilio, whatsapp, sms_rate: float) -> Settings:
    return Settings.from_environment(
        {
            "DATATRUST_DATABASE_URL": database_url,
            "DATATRUST_VAR": str(var),
            "DATATRUST_TWILIO_ACCOUNT_SID": twilio.account_sid,
            "DATATRUST_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "DATATRUST_TWILIO_FROM": TRUST_NUMBER,
            "DATATRUST_TWILIO_API_URL": twilio.api_url,
            "DATATRUST_TWILIO_WEBHOOK_URL": f"{served.base}/sms/twilio",
            "DATATRUST_TWILIO_MESSAGES_PER_SECOND": str(sms_rate),
            "DATATRUST_WHATSAPP_APP_SECRET": whatsapp.app_secret,
            "DATATRUST_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "DATATRUST_WHATSAPP_PHONE_ID": whatsapp.phone_number_id,
            "DATATRUST_WHATSAPP_TOKEN": whatsapp.token,
            "DATATRUST_WHATSAPP_API_URL": whatsapp.api_url,
        }
    )


def built(settings: Settings, clock, served: Served) -> Services:
    services = bootstrap(settings, clock=clock, password_hasher=cheap_password_hashing())
    served.app = create_app(services)
    return services


async def run_outbox(services: Services, telegram, announcement, template: WhatsAppTemplate | None = None, until=None):
    """One delivery run on every channel; with ``until`` (a callable), it is stopped once that is true."""
    catalogue = replace(services.catalogue, whatsapp_templates={"announcement": template} if template else {})
    others = {"sms": sms_channel(services.settings), "whatsapp": whatsapp_channel(services.settings, catalogue)}
    async with Bot(telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url) as bot:
        outbox = Outbox(services, bot, others=others)  # type: ignore[arg-type]
        try:
            if until is None:
                return await outbox.deliver(announcement)
            delivering = asyncio.create_task(outbox.deliver(announcement))
            while not until():
                await asyncio.sleep(0.01)
            delivering.cancel()
            await asyncio.gather(delivering, return_exceptions=True)
            return None
        finally:
            await outbox.close()


def deliver(services, telegram, announcement, template=None):
    return asyncio.run(run_outbox(services, telegram, announcement, template))


def member_on(trust, name: str, **addresses) -> object:
    """A member who joined on the web, reached at the given addresses, linked in that order."""
    member_id = trust.register_member(name, MEMBER_THEMSELF)
    for network, address in addresses.items():
        trust.link_address(member_id, network, address, MEMBER_THEMSELF)
    return member_id
