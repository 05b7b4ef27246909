"""A time limit on one draw, so a hard request is refused instead of computing for minutes.

Leximin by column generation can need hundreds of MIPs on a request with many quotas (each a fraction
of a second, but they add up), and a single MIP can itself be slow. So the whole computation carries one
deadline: every HiGHS run is given the time that is left (HiGHS's ``time_limit`` counts per run), and a
run stopped by it, or a loop that reaches the deadline between runs, raises ``DrawTooSlow``.

The deadline is held in a context variable, set by ``time_limit`` around a draw, so the solver's inner
functions need no extra argument; each thread (each draw) has its own."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import monotonic

import highspy

from domain.kernel.errors import NotAllowedNow

_deadline: ContextVar[float | None] = ContextVar("draw deadline", default=None)
_limit: ContextVar[float | None] = ContextVar("draw time limit", default=None)


class DrawTooSlow(NotAllowedNow):
    """The draw did not finish within its time limit; nothing was recorded."""

    def __init__(self, seconds: float):
        super().__init__(
            f"The panel could not be drawn within {seconds:g} seconds: its quotas make too many combinations "
            "to balance. Ask for quotas on fewer attributes, fewer quotas or a smaller panel; nothing was recorded."
        )


class SolverFailed(NotAllowedNow):
    """HiGHS could not run the model at all (not "no panel exists"): never reported as unmet quotas."""

    def __init__(self) -> None:
        super().__init__("The panel could not be drawn: the solver failed to run. Nothing was recorded; try again.")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Every solver run inside must finish within ``seconds`` from now (None: no limit)."""
    deadline = None if seconds is None else monotonic() + seconds
    tokens = _deadline.set(deadline), _limit.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(tokens[0])
        _limit.reset(tokens[1])


def check_time() -> None:
    """Raises DrawTooSlow once the deadline has passed."""
    deadline = _deadline.get()
    if deadline is not None and monotonic() >= deadline:
        raise DrawTooSlow(_limit.get() or 0)


def solve(highs: highspy.Highs) -> None:
    """``highs.run()`` within the time left; DrawTooSlow if the deadline stops it."""
    check_time()
    deadline = _deadline.get()
    highs.setOptionValue("time_limit", highspy.kHighsInf if deadline is None else max(deadline - monotonic(), 1e-3))
    ran = highs.run()
    if highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
        raise DrawTooSlow(_limit.get() or 0)
    if ran == highspy.HighsStatus.kError:  # e.g. another thread count asked of HiGHS's one scheduler
        raise SolverFailed()
