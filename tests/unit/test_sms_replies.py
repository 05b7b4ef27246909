"""Every fixed reply by SMS costs at most two segments, as issue 15 promises members and the trust."""

import pytest

from adapters.bot.sms import webhook
from adapters.bot.sms.segments import segments


@pytest.mark.parametrize("name", ["STARTED", "HELP", "NOT_YET"])
def test_each_reply_fits_in_two_segments(name):
    assert segments(getattr(webhook, name)) <= 2
