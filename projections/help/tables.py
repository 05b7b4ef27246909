"""Requests for help and their messages. The message and the note are kept only sealed, under
the member's key, as the events carry them; erasure scrubs them (handlers.py)."""

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

help_requests = Table(
    "help_requests",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("request", Integer, primary_key=True, autoincrement=False),  # 1, 2, ... for each member
    Column("status", String(20), nullable=False, index=True),  # open | handled | erased
    Column("channel", String(20), nullable=False),  # where they asked first
    Column("opened_rec", Time, nullable=False),
    Column("last_rec", Time, nullable=False),  # their latest message
    Column("handled_by", String(160)),
    Column("handled_rec", Time),
    Column("note", Text),  # sealed {note}, or None
)

help_messages = Table(
    "help_messages",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("request", Integer, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("asked_rec", Time, nullable=False),
    Column("message", Text),  # sealed {message}; None once the member is erased
)
