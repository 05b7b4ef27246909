"""Every event class that moved keeps the topic it was recorded under (see domain.recorded_topics)."""

import inspect

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import resolve_topic

from domain.help.model import HelpRequests
from domain.kernel.aggregate import TrustAggregate
from domain.recorded_topics import RECORDED_BEFORE_PARTS
from domain.trust import Trust

# Aggregates first recorded after the split into parts, in the folder they live in: no old topic.
BORN_IN_THEIR_PART = {HelpRequests}


def events_of(aggregate: type) -> dict[str, type]:
    return {
        name: member
        for name, member in vars(aggregate).items()
        if inspect.isclass(member) and issubclass(member, DomainEvent)
    }


def test_every_old_topic_of_a_moved_event_leads_to_the_class_that_lives_now():
    for old, aggregate in RECORDED_BEFORE_PARTS.items():
        assert resolve_topic(old) is aggregate
        events = events_of(aggregate)
        assert events, f"{aggregate.__name__} has no events"
        for name, event in events.items():
            assert resolve_topic(f"{old}.{name}") is event, f"{old}.{name}"


def test_every_aggregate_the_trust_records_was_registered_when_it_moved():
    assert Trust  # building the facade imports every part, so every aggregate class exists
    aggregates = set()
    pending = list(TrustAggregate.__subclasses__())
    while pending:
        cls = pending.pop()
        aggregates.add(cls)
        pending.extend(cls.__subclasses__())
    aggregates = {cls for cls in aggregates if cls.__module__.startswith("domain.")}
    assert aggregates == set(RECORDED_BEFORE_PARTS.values()) | BORN_IN_THEIR_PART
