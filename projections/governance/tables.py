"""Read models of the trust's governance: proposals, who has voted (never what),
and the rule changes votes made. On the one ``metadata``, so rebuild covers them."""

from sqlalchemy import JSON, BigInteger, Boolean, Column, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, metadata

proposals = Table(
    "proposals",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("options", JSON, nullable=False),
    Column("passing_option", Integer),  # None: an advisory poll
    Column("quorum_percent", Integer, nullable=False),
    Column("pass_percent", Integer, nullable=False),
    Column("rule_code", String(60)),
    Column("rule_value", Integer),
    Column("status", String(20), nullable=False),  # open | closed
    Column("opened_by", String(160), nullable=False),
    Column("opened_at", Time, nullable=False),
    Column("closes_at", Time, nullable=False),
    Column("electorate_size", Integer, nullable=False),
    Column("voters", Integer, nullable=False),  # members who have voted so far
    # Known only once closed:
    Column("turnout", Integer),  # ballots counted
    Column("tally", JSON),  # votes per option, in the options' order
    Column("quorum_met", Boolean),
    Column("passed", Boolean),
    Column("closed_by", String(160)),
    Column("closed_at", Time),
)

proposal_voters = Table(  # who voted, for turnout and "you have voted": never the choice
    "proposal_voters",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True, index=True),
    Column("ballot_id", Uuid, nullable=False, unique=True),
    Column("channel", String(20), nullable=False),
    Column("first_voted_at", Time, nullable=False),
    Column("last_voted_at", Time, nullable=False),
)

rule_changes = Table(
    "rule_changes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("code", String(60), nullable=False, index=True),
    Column("value", Integer, nullable=False),
    Column("proposal_id", Uuid, nullable=False),
    Column("proposal_title", String(200), nullable=False),
    Column("actor", String(160), nullable=False),
    Column("set_at", Time, nullable=False),
)
