"""The base of every aggregate: events stamped by the injectable recording clock."""

from datetime import datetime

from eventsourcing.domain import Aggregate

from domain.kernel.clock import recording_time


class TrustAggregate(Aggregate):
    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return recording_time()
