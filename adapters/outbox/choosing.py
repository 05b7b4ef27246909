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


def routes_for(services: Services, channels: dict[str, Channel], member_ids: list[UUID]) -> list[Route | str]:
    """(In a worker thread.) Each member's route, or why there is none (NO_CHANNEL, NO_TEMPLATE),
    read for all of them together."""
    now = services.clock().astimezone(UTC).replace(tzinfo=None)
    reachable = services.trust.channels_of(member_ids)
    heard = services.trust.last_heard_of(member_ids) if any(c.minds_the_window for c in channels.values()) else {}
    routes: list[Route | str] = []
    for member_id in member_ids:
        route: Route | str = NO_CHANNEL
        for network, address in reachable[member_id]:
            channel = channels.get(network)
            if channel is None:
                continue
            form = channel.form(heard.get((member_id, network)) if channel.minds_the_window else None, now)
            if form is not None:
                route = Route(network, address, form)
                break
            route = NO_TEMPLATE
        routes.append(route)
    return routes
