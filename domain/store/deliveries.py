"""Who has been sent each announcement (see domain.announcements.commands), and which
announcements are still being delivered: operational state kept beside the event
log, like the handled-request keys."""

from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid

SENDING, SENT, UNDELIVERABLE = "sending", "sent", "undeliverable"
WAYS_OUT = ("telegram", "sms", "whatsapp")  # the channels an announcement can go by (membership's NETWORKS)

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

# Which channel each claimed delivery went by (written with the claim, in its transaction), the
# provider's id for the message once it is accepted (Twilio's MessageSid, WhatsApp's wamid: not
# personal data), and what the provider later reported (its delivery status callback). A table
# of its own, so stores made before channels existed gain it without a migration.
DELIVERED, FAILED, UNDELIVERED = "delivered", "failed", "undelivered"
REPORTED = (DELIVERED, FAILED, UNDELIVERED)
delivery_channels = Table(
    "delivery_channels",
    deliveries_metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True),
    Column("network", String(20), nullable=False),
    Column("provider_id", String(64), unique=True),  # None until the provider accepts it
    Column("reported", String(20)),  # delivered / failed / undelivered, from the status callback
    Column("error_code", String(20)),  # the provider's code for a failure (e.g. 131026, 30003)
    Column("reported_at", DateTime),
)
