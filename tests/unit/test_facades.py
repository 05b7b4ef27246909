"""The facades forward every name they offer to a part that has it."""

from domain.kernel.forwarding import Forward
from domain.trust import Trust
from projections.views import TrustViews


def forwarded(facade: type) -> dict[str, str]:
    return {name: value.part for name, value in vars(facade).items() if isinstance(value, Forward)}


def test_every_name_the_trust_forwards_is_a_command_or_query_of_its_part(services):
    trust = services.trust
    names = forwarded(Trust)
    assert len(names) > 90
    for name, part in names.items():
        assert hasattr(getattr(trust, part), name), f"trust.{name} -> trust.{part}.{name}, which does not exist"


def test_every_question_the_read_facade_forwards_is_answered_by_its_part(services):
    names = forwarded(TrustViews)
    assert names
    for name, part in names.items():
        assert callable(getattr(getattr(services.views, part), name)), f"views.{name} -> views.{part}.{name}"
