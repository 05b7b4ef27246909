"""When each member last wrote to the trust on each channel: operational state kept beside
the event log (like the deliveries), keyed by member id, never by their number.

WhatsApp lets a business send a free-form message only within 24 hours of the member's
last message to it; outside that window only an approved template goes. The outbox reads
this table to choose between the two, so every webhook that receives a member's message
records it here (domain.membership.reach.ReachCommands.heard_from). It holds no personal
data: a member id, a channel and a time."""

from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid

heard_metadata = MetaData()
last_heard = Table(
    "last_heard",
    heard_metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("network", String(20), primary_key=True),
    Column("at", DateTime, nullable=False),  # UTC, naive (as the deliveries' times)
)
