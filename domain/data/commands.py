"""Members share data with the trust: one category at a time, checked against the data standard,
sealed under the member's key, recorded with its schema version, channel and actor.

Reading it back opens the member's submissions with their key: the latest of each category, or
the whole history. Nothing here is ever written to a read model in the clear."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.data import threesixty
from domain.data.model import CHANNELS, MemberData
from domain.data.threesixty import ImportResult
from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.kernel.references import reference
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.store.application import TrustApplication


@dataclass(frozen=True)
class Submission:
    """One category as a member shared it: its values under the schema version they were given in."""

    category: str
    version: str
    values: dict | list[dict]
    shared_at: datetime  # when the trust recorded it
    effective_at: datetime  # when it was true (a paper form's date, say)
    channel: str
    actor: str
    evidence_ref: str | None

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "shared_at": self.shared_at.isoformat(),
            "fields": self.values,
        }


class DataCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands) -> None:
        self.app = app
        self.members = members

    def share_data(
        self,
        member_id: UUID,
        category: str,
        values: object,
        actor: Actor,
        channel: str,
        version: str | None = None,
        evidence_ref: str | None = None,
        effective_at: datetime | None = None,
        as_written: bool = False,
    ) -> Submission:
        """Record the member's data in ``category`` (the latest counts). ``values`` are typed (JSON:
        money in whole pence, yes/no as true/false), or ``as_written`` by a person (forms, the chat).
        Anything the standard refuses, or a member who has left or been erased, records nothing."""
        may_act_for_members(actor, "share data on a member's behalf")
        if channel not in CHANNELS:
            raise InvalidRequest(f"Unknown channel {channel!r}; data reaches the trust by: {', '.join(CHANNELS)}.")
        evidence_ref = reference(evidence_ref)
        if channel == "paper" and not evidence_ref:
            raise InvalidRequest("Data from a paper form needs the form's reference as evidence.")
        if actor.role == "member" and channel in ("paper", "import"):
            raise InvalidRequest("Paper forms and imports are recorded by the trust's staff.")
        with self.app.command() as (session, now):
            return self._share(
                session,
                now,
                member_id,
                category,
                values,
                actor,
                channel,
                version,
                evidence_ref,
                effective_at,
                as_written,
            )

    def _share(
        self,
        session: Session,
        now: datetime,
        member_id: UUID,
        category: str,
        values: object,
        actor: Actor,
        channel: str,
        version: str | None = None,
        evidence_ref: str | None = None,
        effective_at: datetime | None = None,
        as_written: bool = False,
    ) -> Submission:
        standard = self.app.catalogue.standard
        schema = standard.schema(category, version)
        member = self.members.member(member_id)
        member.require_current("record data for")
        if not standard.for_member(category, member.kind):
            kind = member.kind.replace("-", " ")
            raise InvalidRequest(f"{self.app.catalogue.categories[category]} is not asked of an {kind}.")
        effective_at = self.app.effective(effective_at, now, member.registered_effective_at, "Shared data")
        cleaned = schema.clean(values, now.date(), typed=not as_written)
        data = self._data(member_id)
        key = self.app.vault.key_for(session, member_id)
        sealed = self.app.vault.seal(key, member_id, {"values": cleaned})
        fields = sorted({code for record in _records(cleaned) for code in record})
        records = len(cleaned) if isinstance(cleaned, list) else None
        data.share(category, schema.version, sealed, fields, records, channel, str(actor), evidence_ref, effective_at)
        self.app.save(data)
        return Submission(category, schema.version, cleaned, now, effective_at, channel, str(actor), evidence_ref)

    def import_funding_history(
        self, member_id: UUID, content: bytes, filename: str, actor: Actor, channel: str = "import"
    ) -> ImportResult:
        """A 360Giving file (CSV or JSON) merged into the member's funding history by grant id
        (domain/data/threesixty.py). Only the member's own rows count: those for the organisation
        identifier in their profile, or, without one, a file for one recipient only. Any bad row
        (or a file too big) refuses the whole file, naming each row and column; a file that
        changes nothing records nothing (``ImportResult.recorded`` is False)."""
        if channel not in ("import", "portal"):
            raise InvalidRequest("A 360Giving file reaches the trust by import (staff) or the portal (the member).")
        may_act_for_members(actor, "import data on a member's behalf")
        if actor.role == "member" and channel == "import":
            raise InvalidRequest("Paper forms and imports are recorded by the trust's staff.")
        grants = threesixty.read_grants(content, filename)
        schema = self.app.catalogue.standard.schema("funding-history")
        with self.app.command() as (session, now):
            member = self.members.member(member_id)
            member.require_current("record data for")
            if not self.app.catalogue.standard.for_member("funding-history", member.kind):
                kind = member.kind.replace("-", " ")
                raise InvalidRequest(f"{self.app.catalogue.categories['funding-history']} is not asked of an {kind}.")
            latest = self.latest_in(session, member_id, ("organisation-profile", "funding-history"))
            profile = latest.get("organisation-profile")
            org_id = profile.values.get("org-id") if profile and isinstance(profile.values, dict) else None
            mine = threesixty.members_grants(grants, org_id)
            imported = threesixty.records_of(mine, schema, now.date())
            current = latest["funding-history"].values if "funding-history" in latest else []
            merged, result = threesixty.merge(list(current), imported, len(grants) - len(mine))
            if result.recorded:
                self._share(session, now, member_id, "funding-history", merged, actor, channel)
            return result

    def held_data(
        self, member_id: UUID, categories: Iterable[str] | None = None
    ) -> tuple[dict | None, dict[str, Submission]]:
        """Everything the trust holds of a member, read at once: their personal data (None once erased)
        and the latest submission of each category shared (of ``categories`` if given), in one reading
        with one unwrapping of their key (an API read or a pack: see member_personal_data, shared_data)."""
        with self.app.reading() as session:
            key = self.app.vault.key_for(session, member_id)
            if key is None:
                self.members.member(member_id)  # unknown member -> error; known -> erased
                return None, {}
            data_id = MemberData.create_id(member_id)
            histories = self.app.histories(session, [member_id, data_id])  # both in one query
            personal = self.members.opened(key, member_id, histories.get(member_id, []))
            return personal, self._latest_opened(key, member_id, categories, histories.get(data_id, []))

    def shared_data(self, member_id: UUID, categories: Iterable[str] | None = None) -> dict[str, Submission]:
        """The latest submission of each category the member shared (of ``categories`` if given);
        {} for a member who shared nothing, or whose data was erased with their key. Only those
        latest submissions are opened."""
        with self.app.reading() as session:
            return self.latest_in(session, member_id, categories)

    def latest_in(
        self, session: Session, member_id: UUID, categories: Iterable[str] | None = None
    ) -> dict[str, Submission]:
        """The same, read in the given transaction (a command's, say)."""
        key = self.app.vault.key_for(session, member_id)
        return {} if key is None else self._latest_opened(key, member_id, categories)

    def _latest_opened(
        self, key: bytes, member_id: UUID, categories: Iterable[str] | None, events: list | None = None
    ) -> dict[str, Submission]:
        """The latest submission of each category, opened (from ``events`` when the caller has read them)."""
        wanted = None if categories is None else set(categories)
        shared = (
            self._submissions(member_id) if events is None else [e for e in events if isinstance(e, MemberData.Shared)]
        )
        latest = {e.category: e for e in shared if wanted is None or e.category in wanted}
        return {submission.category: submission for submission in self._opened_with(key, member_id, latest.values())}

    def shared_history(self, member_id: UUID) -> list[Submission]:
        """Every submission the member made, oldest first, opened with their key ([] once erased)."""
        with self.app.reading() as session:
            return self._opened(session, member_id, self._submissions(member_id))

    def _submissions(self, member_id: UUID) -> list:
        events = self.app.repository.event_store.get(MemberData.create_id(member_id))
        return [event for event in events if isinstance(event, MemberData.Shared)]

    def _opened(self, session: Session, member_id: UUID, events: Iterable) -> list[Submission]:
        key = self.app.vault.key_for(session, member_id)
        return [] if key is None else self._opened_with(key, member_id, events)

    def _opened_with(self, key: bytes, member_id: UUID, events: Iterable) -> list[Submission]:
        return [
            Submission(
                event.category,
                event.version,
                (self.app.vault.open(key, member_id, event.sealed) or {}).get("values", {}),
                event.timestamp,
                event.effective_at,
                event.channel,
                event.actor,
                event.evidence_ref,
            )
            for event in events
        ]

    def _data(self, member_id: UUID) -> MemberData:
        try:
            data = self.app.repository.get(MemberData.create_id(member_id))
        except AggregateNotFoundError:
            return MemberData(member_id=member_id)
        assert isinstance(data, MemberData)
        return data


def _records(values: dict | list[dict]) -> list[dict]:
    return values if isinstance(values, list) else [values]
