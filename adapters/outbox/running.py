"""Keeping the outbox going: deliver every unfinished announcement, look again every so often.

With a Telegram token the members' chat bot runs the outbox (adapters.bot.app, on every channel
the settings turn on, so replies and announcements share Telegram's one budget). Without one,
`datatrust outbox` runs it on SMS and WhatsApp only; `datatrust serve` starts it beside the web
when those are set up (adapters.cli.outbox). Never both on one channel: each paces its channel alone."""

import asyncio
import logging
import signal

from adapters.bootstrap import Services
from adapters.outbox.building import other_channels
from adapters.outbox.outbox import Outbox

CHECK_EVERY = 30.0  # seconds between looks for announcements recorded meanwhile
log = logging.getLogger(__name__)


async def keep_delivering(outbox: Outbox, every: float = CHECK_EVERY) -> None:
    """Deliver what is unfinished, then again every ``every`` seconds, until cancelled."""
    while True:
        try:
            await outbox.deliver_unfinished()  # (each run's report is logged as it ends)
        except Exception as error:  # noqa: BLE001 - the next round tries again
            log.error("Unfinished announcements could not be delivered: %s", type(error).__name__)
        await asyncio.sleep(every)


def run_outbox(services: Services, every: float = CHECK_EVERY) -> None:
    """The SMS and WhatsApp outbox until SIGINT or SIGTERM; a stop gives back what it had not sent."""

    async def main() -> None:
        outbox = Outbox(services, other_channels(services))
        delivering = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, delivering.cancel)  # type: ignore[union-attr]
        try:
            await keep_delivering(outbox, every)
        except asyncio.CancelledError:
            pass
        finally:
            await outbox.close()

    asyncio.run(main())
