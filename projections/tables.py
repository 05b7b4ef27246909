"""The read models: SQLAlchemy tables derived entirely from the event log.

Every table here can be dropped and rebuilt from the events (see rebuild.py).
Times are stored in UTC. ``access_grants`` is the access model: one row per
validity interval [valid_from, valid_to) of (member, organisation, category,
purpose) on one time axis: 'recorded' (what the system enforced) or
'effective' (what was true in the world, as now known).
"""

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, Column, Date, Index, Integer, LargeBinary, MetaData, String, Table, Text, Uuid
from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
Time = UTCDateTime

members = Table(
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

member_name_digests = Table(  # keyed digests of name words and their starts (name_search.py)
    "member_name_digests",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("digest", LargeBinary(16), primary_key=True),
    Index("member_name_digests_by_digest", "digest", "member_id"),
)

members_by_area = Table(  # counts only (area_counts.py), so the dashboard opens no profile
    "members_by_area",
    metadata,
    Column("area", String(200), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("members", Integer, nullable=False),
)

organisations = Table(
    "organisations",
    metadata,
    Column("organisation_id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    Column("agreement_ref", String(100)),
    Column("agreement_date", String(10)),
    Column("registered_rec", Time, nullable=False),
)

organisation_changes = Table(
    "organisation_changes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("change", String(20), nullable=False),  # approved | suspended | reinstated
    Column("reason", Text),
    Column("actor", String(160), nullable=False),
    Column("eff", Time, nullable=False),
    Column("rec", Time, nullable=False),
)

consents = Table(
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

access_grants = Table(
    "access_grants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consent_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("member_id", Uuid, nullable=False),
    Column("category", String(60), nullable=False),
    Column("purpose", String(60), nullable=False),
    Column("axis", String(10), nullable=False),
    Column("valid_from", Time, nullable=False),
    Column("valid_to", Time),  # open-ended when NULL
    Index("access_by_member", "member_id", "axis", "valid_from"),
    Index("access_by_member_and_organisation", "member_id", "organisation_id", "axis", "valid_from"),
    Index("access_by_organisation", "organisation_id", "axis", "valid_from"),
    Index("access_by_organisation_and_purpose", "organisation_id", "purpose", "axis", "member_id"),
    Index("access_by_consent", "consent_id", "organisation_id"),
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

timeline = Table(
    "timeline",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("what", String(40), nullable=False),
    Column("details", JSON, nullable=False),  # never personal data
    Column("actor", String(160), nullable=False),
    Column("effective_at", Time, nullable=False),
    Column("recorded_at", Time, nullable=False),
)

late_facts = Table(
    "late_facts",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("fact", String(40), nullable=False),
    Column("member_id", Uuid),
    Column("organisation_id", Uuid),
    Column("consent_id", Uuid),
    Column("actor", String(160), nullable=False),
    Column("evidence_ref", String(200)),
    Column("effective_at", Time, nullable=False),
    Column("recorded_at", Time, nullable=False),
)

staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("roles", JSON, nullable=False),
    Column("status", String(20), nullable=False),  # active | disabled
    Column("opened_by", String(160), nullable=False),
    Column("opened_rec", Time, nullable=False),
    Column("changed_rec", Time, nullable=False),
    Column("password_set_rec", Time),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("label", String(80), nullable=False),
    Column("issued_by", String(160), nullable=False),
    Column("issued_rec", Time, nullable=False),
    Column("revoked_by", String(160)),
    Column("revoked_rec", Time),
)

trustee_digests = Table(  # counts only, as recorded that day (projections/digest.py)
    "trustee_digests",
    metadata,
    Column("day", Date, primary_key=True),
    Column("window_from", Time, nullable=False),
    Column("window_to", Time, nullable=False),
    Column("figures", JSON, nullable=False),
    Column("failing_work", JSON, nullable=False),  # [{key, kind, attempts, last_error, failing_since, ...}]
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_at", Time, nullable=False),
)

positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
