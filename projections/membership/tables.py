"""The membership register's tables: members (personal data sealed), name-word digests, counts by area."""

from sqlalchemy import JSON, Column, Index, Integer, LargeBinary, String, Table, Text, Uuid

from projections.core.tables import Time, kept, metadata

members = kept(
    Table(
        "members",
        metadata,
        Column("member_id", Uuid, primary_key=True),
        Column("reference_code", String(8), unique=True),  # printed on paper forms
        Column("kind", String(40), nullable=False),
        Column("channel", String(20), nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("personal", Text),  # {name, profile} sealed under the member's key (personal.py); scrubbed on erasure
        Column("contact_channels", JSON),
        Column("registered_by", String(160), nullable=False),
        Column("evidence_ref", String(200)),
        Column("registered_eff", Time, nullable=False),
        Column("registered_rec", Time, nullable=False),
        Column("confirmed_eff", Time),
        Column("confirmed_rec", Time),
        Column("ended_eff", Time),
        Column("ended_rec", Time),
        Column("ended_reason", String(20)),
        Column("erased_rec", Time),
    )
)


member_name_digests = Table(  # keyed digests of name words and their starts (name_search.py)
    "member_name_digests",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("digest", LargeBinary(16), primary_key=True),
    Column("key_version", Integer, nullable=False),  # whose search key made it (two live during a rotation)
    Index("member_name_digests_by_digest", "digest", "member_id"),
    Index("member_name_digests_by_version", "key_version", "member_id"),  # a rotation's step finds those left
)


members_by_area = Table(  # counts only (area_counts.py), so the dashboard opens no profile
    "members_by_area",
    metadata,
    Column("area", String(200), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("members", Integer, nullable=False),
)


messages_stopped = Table(  # the channels on which a member stopped messages (never their consents)
    "messages_stopped",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("network", String(20), primary_key=True),
    Column("how", String(20), nullable=False),
    Column("since", Time, nullable=False),
)


member_terms = Table(  # the membership terms each member last agreed to, and when they were last told of newer ones
    "member_terms",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("version", String(20)),  # None: told of new terms, but no agreement recorded
    Column("agreed_rec", Time),
    Column("told_version", String(20)),
    Column("told_rec", Time),
)
