"""A draw computes within its time limit, or is refused in one sentence (issue 13: a hard request ran for
minutes). The limit never changes a draw that finishes within it, so recorded draws still run again."""

import time

import pytest

from adapters.bootstrap import ConfigurationError, bootstrap
from adapters.settings import Settings
from domain.insight.sortition import DrawTooSlow, Lottery, Quota, time_limit
from tests.hard_panel import SIZE, county_profiles, county_quotas

MARGIN = 2.0  # seconds: Python between two solver runs, a busy machine


@pytest.mark.parametrize("limit", [1.0, 2.5])
def test_the_hard_request_is_refused_within_its_time_limit(limit):
    pool = {f"member-{n:05d}": profile for n, profile in enumerate(county_profiles())}
    started = time.monotonic()
    with pytest.raises(DrawTooSlow, match=f"within {limit:g} seconds.*fewer quotas or a smaller panel"):
        with time_limit(limit):
            Lottery(pool, county_quotas(), SIZE)
    assert time.monotonic() - started <= limit + MARGIN


def test_a_draw_within_its_limit_is_the_same_draw_as_without_one():
    pool = {
        f"member-{n:02d}": {"area": ["CA1", "CA2", "CA3"][n % 3], "gender": ["woman", "man"][n % 2]} for n in range(30)
    }
    quotas = [Quota("area", "CA3", 3, 4), Quota("gender", "woman", 4, 5)]
    with time_limit(60):
        limited = Lottery(pool, quotas, 9)
    unlimited = Lottery(pool, quotas, 9)
    assert limited.probabilities == unlimited.probabilities
    assert limited.sample(7) == unlimited.sample(7)


def test_the_time_limit_is_a_setting_with_a_default(tmp_path):
    base = {"DATATRUST_DATABASE_URL": f"sqlite:///{tmp_path / 'trust.sqlite3'}", "DATATRUST_VAR": str(tmp_path)}
    assert Settings.from_environment(base).panel_draw_seconds == 20
    services = bootstrap(Settings.from_environment({**base, "DATATRUST_PANEL_DRAW_SECONDS": "7.5"}))
    try:
        assert services.trust.panel_draws.panel_draw_seconds == 7.5
    finally:
        services.close()
    for wrong in ("soon", "0", "601", "nan"):
        with pytest.raises(ConfigurationError, match="DATATRUST_PANEL_DRAW_SECONDS must be a number of seconds"):
            bootstrap(Settings.from_environment({**base, "DATATRUST_PANEL_DRAW_SECONDS": wrong}))
