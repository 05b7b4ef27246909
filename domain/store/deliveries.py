"""Who has been sent each announcement (see domain.announcements.commands), and which
announcements are still being delivered: operational state kept beside the event
log, like the handled-request keys."""

from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid

SENDING, SENT, UNDELIVERABLE = "sending", "sent", "undeliverable"

deliveries_metadata = MetaData()
announcement_deliveries = Table(
    "announcement_deliveries",
    deliveries_metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True),
    Column("state", String(20), nullable=False),
    Column("at", DateTime, nullable=False),
)

# An announcement is here from the moment it is recorded (same transaction) until a
# delivery run has claimed every member it was for; a stopped run leaves it here.
unfinished_announcements = Table(
    "unfinished_announcements",
    deliveries_metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("announced_at", DateTime, nullable=False),
)
