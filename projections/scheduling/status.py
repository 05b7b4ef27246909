"""For trustees: is a scheduler keeping the trust's dated promises, and which of
them keep failing (from the scheduler's own record beside the event log)."""

from datetime import datetime

from sqlalchemy import Engine

from domain.store.lease import lease_holder
from domain.store.scheduled_work import WorkLedger


def scheduler_status(engine: Engine, now: datetime) -> dict:
    holder = lease_holder(engine)
    acting = holder is not None and holder.expires_at > now
    return dict(
        acting=acting,
        since=holder.since if acting and holder else None,
        last_seen=holder.renewed_at if holder else None,
        failing=[failure.as_dict() for failure in WorkLedger(engine).failing()],
    )
