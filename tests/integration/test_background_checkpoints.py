"""A serving process on SQLite leaves its checkpoints to a thread of their own, so that no request
waits while the write-ahead log is copied back into the database (docs/performance.md)."""

from sqlalchemy import text

from domain.store.storage import checkpoint_in_background
from tests.conftest import MEMBER_THEMSELF


def test_requests_never_checkpoint_and_the_thread_copies_the_whole_log_back(sqlite_url, tmp_path):
    from adapters.bootstrap import bootstrap
    from adapters.settings import Settings
    from tests.support import FakeClock

    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": sqlite_url, "DATATRUST_VAR": str(tmp_path)})
    services = bootstrap(settings, clock=FakeClock())
    try:
        checkpoints = checkpoint_in_background(services.trust.engine, every=0.05)
        with services.trust.engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0  # not in a request
        for number in range(300):  # well past SQLite's 1,000 pages of log, were requests to copy it back
            services.trust.register_member(f"Member {number}", MEMBER_THEMSELF, channel="bot")
        with checkpoints.ran:
            after = checkpoints.passes
            # the next pass after the last command: every frame of the log copied back, none left to a request
            assert checkpoints.ran.wait_for(lambda: checkpoints.passes > after + 1 and checkpoints.last[0] == 0, 30)
            _busy, frames, copied = checkpoints.last
        assert frames > 0 and copied == frames
    finally:
        services.close()


def test_nothing_is_started_on_postgresql():
    class Engine:
        class dialect:  # noqa: N801
            name = "postgresql"

    assert checkpoint_in_background(Engine()) is None
