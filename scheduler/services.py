"""What the scheduler needs from the composition root (adapters.bootstrap.Services
has it all): the trust's commands, its read side and its clock."""

from typing import Protocol

from domain.kernel.clock import Clock
from domain.trust import Trust
from projections.views import TrustViews


class SchedulerServices(Protocol):
    trust: Trust
    views: TrustViews
    clock: Clock
