"""The consent tables: each consent, the access model (when each consent worked, and when each
organisation was open to consents: read together, who could see what), and every read by an
organisation, allowed or refused."""

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text, Uuid

from projections.core.tables import Time, kept, metadata

consents = kept(
    Table(
        "consents",
        metadata,
        Column("consent_id", Uuid, primary_key=True),
        Column("member_id", Uuid, nullable=False, index=True),
        Column("purpose", String(60), nullable=False),
        Column("categories", JSON, nullable=False),
        Column("audience_organisation_id", Uuid, index=True),
        Column("audience_kind", String(40), index=True),
        Column("expires_at", Time),
        Column("notice_version", String(20), nullable=False),
        Column("notice_hash", String(64), nullable=False),
        Column("collected_via", String(20), nullable=False),
        Column("evidence_ref", String(200)),
        Column("granted_by", String(160), nullable=False),
        Column("granted_eff", Time, nullable=False),
        Column("granted_rec", Time, nullable=False),
        Column("ended_reason", String(20)),  # revoked | expired
        Column("ended_by", String(160)),
        Column("ended_evidence_ref", String(200)),
        Column("ended_eff", Time),
        Column("ended_rec", Time),
    )
)


# When each consent worked: one row per interval [valid_from, valid_to) in which it was in force and its
# member in the trust, per category, on one time axis: 'recorded' (what the system enforced) or 'effective'
# (what was true in the world, as now known). ``audience`` names whom it reaches: one organisation
# ("organisation:<id>") or every organisation of a kind ("kind:<kind>"). Nothing here depends on
# organisations: suspending one, or approving a new one of a kind, changes none of these rows.
consent_periods = Table(
    "consent_periods",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consent_id", Uuid, nullable=False),
    Column("member_id", Uuid, nullable=False),
    Column("purpose", String(60), nullable=False),
    Column("category", String(60), nullable=False),
    Column("audience", String(60), nullable=False),
    Column("axis", String(10), nullable=False),
    Column("valid_from", Time, nullable=False),
    Column("valid_to", Time),  # open-ended when NULL
    Index("consent_periods_by_member", "member_id", "axis", "valid_from"),
    Index("consent_periods_by_audience", "audience", "purpose", "axis", "member_id"),
    Index("consent_periods_by_consent", "consent_id"),
)


# When each organisation was open to consents (approved and not suspended), on each axis, once under each
# audience a consent can name it by: its own ("organisation:<id>") and its kind's ("kind:<kind>"). Who could
# see what is a consent period joined with an open period of the same audience: both must cover the moment.
organisation_periods = Table(
    "organisation_periods",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("audience", String(60), nullable=False),
    Column("axis", String(10), nullable=False),
    Column("valid_from", Time, nullable=False),
    Column("valid_to", Time),  # open-ended when NULL
    Index("organisation_periods_by_audience", "audience", "axis"),
)


access_attempts = Table(
    "access_attempts",
    metadata,
    Column("attempt_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("purpose", String(60), nullable=False),
    Column("granted", JSON, nullable=False),
    Column("refused", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("recorded_at", Time, nullable=False),
)
