"""The trust's application base: storage, the command transaction, lookups.

Every command runs in one transaction holding the writer lock: it loads the
aggregates, checks the rules, records the events and updates the read models
(through the injected projector) together, or does nothing at all.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from sqlalchemy import Connection, Engine, Select, bindparam, select
from sqlalchemy.orm import Session

from domain.kernel.batches import batches
from domain.kernel.catalogue import Catalogue
from domain.kernel.clock import Clock, recording_at, system_clock
from domain.kernel.errors import ConcurrentChange, InvalidTime, NotFound, StoreBusy
from domain.kernel.ports import AccessRules, Projector
from domain.sealing.vault import Vault, vault_metadata
from domain.store.credentials import Credentials, credentials_metadata
from domain.store.deliveries import deliveries_metadata
from domain.store.drafts import drafts_metadata
from domain.store.heard import heard_metadata
from domain.store.lease import lease_metadata
from domain.store.member_links import member_links_metadata
from domain.store.once import claim, handled, handling, once_metadata
from domain.store.portal_sessions import portal_sessions_metadata
from domain.store.recorder import TrustRecorder
from domain.store.scheduled_work import scheduled_work_metadata
from domain.store.storage import configure_engine, is_lock_timeout, lock_for_writing, writing
from domain.store.survey_codes import survey_codes_metadata

A = TypeVar("A")


class TrustApplication(Application):
    # The name names the events table ("trust_events") and the environment prefix: every store
    # recorded so far was made when this was the `Trust` class's own name, so it stays "Trust".
    name = "Trust"

    def __init__(
        self,
        database_url: str,
        vault: Vault,
        catalogue: Catalogue,
        clock: Clock = system_clock,
        credentials: Credentials | None = None,
    ):
        super().__init__(
            env={
                "PERSISTENCE_MODULE": "domain.store.recorder:TrustFactory",  # eventsourcing-sqlalchemy's
                "SQLALCHEMY_URL": database_url,
                "CREATE_TABLE": "no",
            }
        )
        self.vault = vault
        self.credentials = credentials or Credentials(vault.derived_key("sign-in client digests"))
        self.catalogue = catalogue
        self.clock = clock
        self.projector: Projector | None = None
        self.access_rules: AccessRules | None = None
        configure_engine(self.engine)

    @property
    def sql(self) -> TrustRecorder:
        """The recorder as what it is here (PERSISTENCE_MODULE above): eventsourcing-sqlalchemy's."""
        return cast(TrustRecorder, self.recorder)

    @property
    def engine(self) -> Engine:
        return self.sql.datastore.engine

    @property
    def events_table(self) -> str:
        return self.sql.events_table_name

    def create_schema(self) -> None:
        self.sql.create_table()
        vault_metadata.create_all(self.engine)
        credentials_metadata.create_all(self.engine)
        once_metadata.create_all(self.engine)
        deliveries_metadata.create_all(self.engine)
        heard_metadata.create_all(self.engine)
        scheduled_work_metadata.create_all(self.engine)
        lease_metadata.create_all(self.engine)
        portal_sessions_metadata.create_all(self.engine)
        member_links_metadata.create_all(self.engine)
        drafts_metadata.create_all(self.engine)
        survey_codes_metadata.create_all(self.engine)

    def attach(self, projector: Projector, access_rules: AccessRules) -> None:
        self.projector = projector
        self.access_rules = access_rules

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    @contextmanager
    def command(self) -> Iterator[tuple[Session, datetime]]:
        """One command: (session, the instant it is recorded at).

        The instant is read only once the writer lock is held, so recording
        times follow the order of the log and a decision made "now" can never
        predate a withdrawal that committed before it."""
        try:
            with writing(), self.sql.transaction(commit=True) as session:
                lock_for_writing(session, self.events_table)
                now = self.clock().astimezone(UTC)
                claim(session, now)
                with recording_at(now):
                    yield session, now
        except IntegrityError as error:
            raise ConcurrentChange() from error
        except OperationalError as error:
            if is_lock_timeout(error):
                raise StoreBusy() from error
            raise

    def once(self, request_key: str):  # type: ignore[no-untyped-def]
        """``with trust.once(key): trust.some_command(...)``: at most once per key (see domain.store.once)."""
        return handling(request_key)

    def was_handled(self, request_key: str) -> bool:
        """Whether a request with this key changed the history already (a provider's redelivery, say)."""
        with self.engine.connect() as conn:
            return handled(conn, request_key)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sql.transaction(commit=False) as session:
            yield session

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        with self.sql.transaction(commit=True) as session:
            recordings = super().save(*objs, **kwargs)
            if self.projector is not None:
                recorded = [(r.notification.id, r.domain_event) for r in recordings]
                self.projector.project(session, recorded)
        return recordings

    def load(self, aggregate_id: UUID, kind: type[A], not_found: type[NotFound]) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found(aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise not_found(aggregate_id)
        return aggregate

    def load_each(self, wanted: dict[UUID, tuple[type, type[NotFound]]]) -> dict[UUID, Any]:
        """Several aggregates a command needs, their events read in one query (a grant to a named
        organisation needs the member and the organisation): ``wanted`` maps each id to (its class,
        the error if it is not one)."""
        if self.repository.snapshot_store is not None or self.repository.cache:  # the repository knows more
            return {aggregate_id: self.load(aggregate_id, *kind) for aggregate_id, kind in wanted.items()}
        with self.sql.transaction(commit=False) as session:
            found = self.histories(session, wanted)
        loaded = {}
        for aggregate_id, (kind, not_found) in wanted.items():
            aggregate = project_aggregate(None, found.get(aggregate_id, ()))
            if not isinstance(aggregate, kind):
                raise not_found(aggregate_id)
            loaded[aggregate_id] = aggregate
        return loaded

    def require(self, aggregate_id: UUID, first: type, not_found: type[NotFound]) -> None:
        """The aggregate exists and began with ``first``: its first event only, no need to replay the rest."""
        found = next(iter(self.repository.event_store.get(aggregate_id, limit=1)), None)
        if not isinstance(found, first):
            raise not_found(aggregate_id)

    def require_each(self, session: Session, wanted: dict[UUID, tuple[type, type[NotFound]]]) -> None:
        """Each aggregate exists and began with its event (``wanted``: id -> (first event class, error)),
        their first events read in one query (a recorded read checks the member and the organisation)."""
        table = self.sql.events_record_cls.__table__  # type: ignore[attr-defined]
        query = select(table.c.originator_id, table.c.originator_version, table.c.topic, table.c.state).where(
            table.c.originator_id.in_(list(wanted)), table.c.originator_version == 1
        )
        firsts = {
            row.originator_id: self.mapper.to_domain_event(
                StoredEvent(row.originator_id, 1, row.topic, bytes(row.state))
            )
            for row in session.execute(query)
        }
        for aggregate_id, (first, not_found) in wanted.items():
            if not isinstance(firsts.get(aggregate_id), first):
                raise not_found(aggregate_id)

    @staticmethod
    def effective(
        effective_at: datetime | None, now: datetime, not_before: datetime | None = None, what: str = "This"
    ) -> datetime:
        """When a fact took effect in the world: now, unless reported late."""
        if effective_at is None:
            return now
        if effective_at.tzinfo is None:
            raise InvalidTime("An effective time needs a time zone.")
        effective_at = effective_at.astimezone(UTC)
        if effective_at > now:
            raise InvalidTime(f"{what} cannot take effect in the future ({effective_at:%Y-%m-%d %H:%M} UTC).")
        if not_before is not None and effective_at < not_before:
            raise InvalidTime(
                f"{what} cannot take effect before {not_before:%Y-%m-%d %H:%M} UTC, "
                "when the member or record it concerns began."
            )
        return effective_at

    def histories(self, session: Session | Connection, aggregate_ids: Iterable[UUID]) -> dict[UUID, list]:
        """The recorded events of many aggregates, decoded and in order, in one query per thousand
        (the outbox routes thousands of members: a round trip for each would cost more than the rest
        of its work). An aggregate with no events is absent."""
        query = self._histories_query()
        conn = session.connection() if isinstance(session, Session) else session
        found: dict[UUID, list] = {}
        for chunk in batches(aggregate_ids):
            for originator_id, version, topic, state in conn.execute(query, {"ids": chunk}):
                stored = StoredEvent(originator_id, version, topic, bytes(state))
                found.setdefault(originator_id, []).append(self.mapper.to_domain_event(stored))
        return found

    def _histories_query(self) -> Select:
        """Built once (a recorded read of a member's data asks it every time)."""
        if self.__dict__.get("_histories") is None:
            table = self.sql.events_record_cls.__table__  # type: ignore[attr-defined]
            columns = (table.c.originator_id, table.c.originator_version, table.c.topic, table.c.state)
            wanted = table.c.originator_id.in_(bindparam("ids", expanding=True))
            self.__dict__["_histories"] = select(*columns).where(wanted).order_by(*columns[:2])
        return self.__dict__["_histories"]

    def recorded_after(self, position: int, limit: int) -> list[tuple[int, Any]]:
        """Up to ``limit`` recorded events after ``position``, decoded, in order: in the command's own
        transaction when there is one. One Core statement built once (the library's select_notifications
        goes through the ORM, which cost a rebuild four times what decoding the events does)."""
        if self.__dict__.get("_after") is None:
            table = self.sql.events_record_cls.__table__  # type: ignore[attr-defined]
            columns = (table.c.id, table.c.originator_id, table.c.originator_version, table.c.topic, table.c.state)
            after = select(*columns).where(table.c.id > bindparam("after")).order_by(table.c.id)
            self.__dict__["_after"] = after.limit(bindparam("limit"))
        with self.sql.transaction(commit=False) as session:
            rows = session.connection().execute(self.__dict__["_after"], {"after": position, "limit": limit}).all()
        decode = self.mapper.to_domain_event
        return [(row[0], decode(StoredEvent(row[1], row[2], row[3], bytes(row[4])))) for row in rows]
