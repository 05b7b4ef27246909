"""The three fakes (Telegram, Twilio, WhatsApp) in a process of their own, as the real providers
are never in the trust's process: their HTTP servers (a Python thread per connection) then take
no share of the trust's GIL. The benchmark talks to them over a pipe: each fake's methods and
properties are asked for by name (``fakes.telegram.user("Ann")``, ``fakes.twilio.given_429()``),
answers come back pickled, and ``cpu()`` is the CPU the fakes' process has used so far."""

import functools
import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

from tests.fake_telegram import FakeTelegram, FloodLimits
from tests.fake_twilio import FakeTwilio, SenderRate
from tests.fake_whatsapp import ApprovedTemplate, FakeWhatsApp

STARTING = 60.0  # seconds a new process may take to import and start the fakes
# What the clients need to reach each fake, copied once (the rest is asked for through the pipe).
ADDRESSES = {
    "telegram": ("token", "base_url", "base_file_url"),
    "twilio": ("account_sid", "auth_token", "api_url"),
    "whatsapp": ("phone_number_id", "token", "app_secret", "api_url"),
}


class FakesApart:
    """Starts the fakes in a spawned process; ``with FakesApart(...) as fakes:`` stops them at the end."""

    def __init__(self, limits: FloodLimits, rate: SenderRate, mps: int, templates: list[ApprovedTemplate]):
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(
            target=serve, args=(child, limits, rate, mps, templates), name="fakes", daemon=True
        )
        self._process.start()
        child.close()
        if not self._pipe.poll(STARTING):
            self._process.kill()
            raise RuntimeError("the fakes' process did not start")
        addresses = self._pipe.recv()
        self.telegram, self.twilio, self.whatsapp = (RemoteFake(self, name, addresses[name]) for name in ADDRESSES)

    def ask(self, fake: str, attribute: str, *args: Any, **kwargs: Any) -> Any:
        self._pipe.send((fake, attribute, args, kwargs))
        ok, answer = self._pipe.recv()
        if not ok:
            raise RuntimeError(f"the fake {fake}'s {attribute} failed: {answer}")
        return answer

    def cpu(self) -> float:
        """Seconds of CPU the fakes' process has used (all its threads)."""
        return float(self.ask("process", "cpu"))

    def close(self) -> None:
        if self._process.is_alive():
            self._pipe.send(None)
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._pipe.close()

    def __enter__(self) -> "FakesApart":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RemoteFake:
    """One fake in the other process: its addresses as attributes; anything else is asked for,
    ``fake.name(*args)`` calling a method or (with no arguments) reading a property."""

    def __init__(self, fakes: FakesApart, name: str, addresses: dict[str, str]):
        self._fakes, self._name = fakes, name
        self.__dict__.update(addresses)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return functools.partial(self._fakes.ask, self._name, attribute)


def serve(pipe: Connection, limits: FloodLimits, rate: SenderRate, mps: int, templates: list[ApprovedTemplate]) -> None:
    """(In the fakes' process.) Start the fakes, send their addresses, answer until told to stop."""
    fakes: dict[str, Any] = {
        "telegram": FakeTelegram(limits=limits),
        "twilio": FakeTwilio(rate=rate),
        "whatsapp": FakeWhatsApp(mps=mps, templates=templates),
    }
    for fake in fakes.values():
        fake.start()
    try:
        pipe.send({name: {key: getattr(fakes[name], key) for key in keys} for name, keys in ADDRESSES.items()})
        while (request := pipe.recv()) is not None:
            name, attribute, args, kwargs = request
            try:
                if name == "process":
                    answer: Any = time.process_time()
                else:
                    value = getattr(fakes[name], attribute)
                    answer = value(*args, **kwargs) if callable(value) else value
            except Exception as error:  # noqa: BLE001 - the benchmark side raises it
                pipe.send((False, repr(error)))
                continue
            pipe.send((True, answer))
    finally:
        for fake in fakes.values():
            fake.stop()
