"""Two `datatrust scheduler` processes on one store (PostgreSQL in CI, and SQLite):
one acts, the other stands by; the work is done once, by the one acting; when it
stops, the other takes over."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.bootstrap import bootstrap
from tests.conftest import MEMBER_THEMSELF, TRUSTEE

ACTING = "This scheduler is acting"
STANDING_BY = "stands by and takes over if it stops"


class SchedulerProcess:
    """`datatrust scheduler` in a child process, its output collected as it comes."""

    def __init__(self, settings, name: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATATRUST_")}
        env.update(
            DATATRUST_DATABASE_URL=settings.database_url,
            DATATRUST_MASTER_KEY_FILE=str(settings.master_key_file),
            PYTHONUNBUFFERED="1",
        )
        program = "from adapters.cli.main import cli; cli(['scheduler', '--plan-every', '1'], prog_name='datatrust')"
        self.name = name
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", program], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_to_say(self, words: str, seconds: float = 60.0) -> None:
        """Until the line saying ``words`` has been read from the process (a generous bound:
        a loaded machine is slow, never wrong); once the process has ended, all it printed."""
        deadline = time.monotonic() + seconds
        while words not in self.output:
            if self.process.poll() is not None:
                self.reader.join(timeout=10)  # the lines it printed before it ended
                if words in self.output:
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not say {words!r} in {seconds} s:\n{self.output}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.reader.join(timeout=5)


def wait_until(check, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not done within {seconds} s")
        time.sleep(0.2)


def closed_events(services) -> int:
    with services.trust.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT COUNT(*) FROM {services.trust.events_table} WHERE topic LIKE '%Proposal.Closed'")
        ).scalar()


def open_vote(services, seconds: float, title: str):
    closes_at = datetime.now(UTC) + timedelta(seconds=seconds)
    return services.trust.open_proposal(title, "An advisory poll.", ["Yes", "No"], closes_at, TRUSTEE)


@pytest.fixture
def store(settings):
    built = bootstrap(settings)
    built.trust.register_member("Ada Lovelace", MEMBER_THEMSELF, channel="bot")
    yield built
    built.close()


def test_of_two_schedulers_on_one_store_only_one_acts_and_the_other_takes_over_when_it_stops(settings, store):
    first = SchedulerProcess(settings, "the first scheduler")
    second = None
    try:
        first.wait_to_say(ACTING)
        second = SchedulerProcess(settings, "the second scheduler")
        second.wait_to_say(STANDING_BY)
        votes = [open_vote(store, 2, f"Question {n}") for n in range(3)]
        wait_until(lambda: all(store.views.proposal(v)["status"] == "closed" for v in votes))
        for vote in votes:
            first.wait_to_say(f"proposal-close:{vote}")  # its report, read from its output
        time.sleep(2)  # a window in which a wrongly acting second scheduler would record a second close
        assert closed_events(store) == 3
        for vote in votes:
            assert f"proposal-close:{vote}" not in second.output
        assert ACTING not in second.output

        first.stop()
        first.wait_to_say("The scheduler has stopped.")
        second.wait_to_say(ACTING)
        later = open_vote(store, 1, "Question after the takeover")
        wait_until(lambda: store.views.proposal(later)["status"] == "closed")
        second.wait_to_say(f"proposal-close:{later}")
        assert closed_events(store) == 4
    finally:
        first.stop()
        if second is not None:
            second.stop()
