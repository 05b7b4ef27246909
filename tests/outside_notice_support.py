"""A consent recorded as the code did before notices said whom they cover."""

from uuid import UUID

from domain.consent.model import Consent


def record_as_before(trust, member_id: UUID, purpose: str, kind: str | None = None, organisation_id=None) -> UUID:  # type: ignore[no-untyped-def]
    """The consent aggregate saved directly, past today's audience rule (as older stores hold them)."""
    notice = trust.catalogue.purpose(purpose)
    with trust.command() as (_session, now):
        consent = Consent(
            member_id=member_id,
            purpose=purpose,
            categories=["profile"],
            audience_organisation_id=organisation_id,
            audience_kind=kind,
            expires_at=None,
            notice_version="1",
            notice_hash=notice.notice_hash("1"),
            collected_via="paper",
            evidence_ref="PF-1",
            effective_at=now,
            actor="caseworker:cal",
        )
        trust.application.save(consent)
    return consent.id
