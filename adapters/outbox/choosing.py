"""Which channel an announcement goes to a member by: the first of their channels, best first
(their preferred one, then the one they were linked on most recently: domain.membership.reach),
that this outbox can send on and where the message may go now. WhatsApp outside its 24 hours
takes only a template: without one the member is reached by another channel they use, or is
counted "no template"."""

from dataclasses import dataclass
from datetime import UTC
from uuid import UUID

from adapters.bootstrap import Services
from adapters.outbox.channels import Channel

NO_CHANNEL = "no channel"  # none linked, all stopped, or none this outbox sends on
NO_TEMPLATE = "no template"  # only WhatsApp, outside its 24 hours, and the catalogue has no template


@dataclass(frozen=True)
class Route:
    network: str
    address: int | str  # personal data: never logged
    form: str  # FREE_FORM or TEMPLATE


def route_for(services: Services, channels: dict[str, Channel], member_id: UUID) -> Route | str:
    """(In a worker thread.) The member's route, or why there is none (NO_CHANNEL, NO_TEMPLATE)."""
    now = services.clock().astimezone(UTC).replace(tzinfo=None)
    without_template = False
    for network, address in services.trust.channels_for(member_id):
        channel = channels.get(network)
        if channel is None:
            continue
        heard = services.trust.last_heard_from(member_id, network) if channel.minds_the_window else None
        form = channel.form(heard, now)
        if form is None:
            without_template = True
            continue
        return Route(network, address, form)
    return NO_TEMPLATE if without_template else NO_CHANNEL
