"""The outbox's claims and records, committed in groups.

Every message needs two writes: its claim just before its turn, and its answer after. One commit
each would cap a busy outbox at what the database can commit one after another (SQLite: one
writer at a time, each commit flushed to disk), far below three channels' pace. So the claims and
answers asked for at the same moment, from every channel, wait for one another and go in one
transaction: each claim still happens before its own member's turn and is refused if anyone got
there first (or the member stopped messages on that channel since being routed). While busy, the
next group is let gather for a moment: fewer, larger commits cost the process less."""

import asyncio
from typing import Any
from uuid import UUID

from adapters.bootstrap import Services

MAX_GROUP = 200  # writes in one transaction
GATHERING = 0.05  # seconds a busy outbox lets the next group gather (claims are asked for ahead of their turns)
CLAIM, RECORD = "claim", "record"


class GroupCommits:
    def __init__(self, services: Services):
        self.trust, self.views = services.trust, services.views
        self._waiting: list[tuple[str, tuple, asyncio.Future]] = []
        self._committing: asyncio.Task | None = None

    async def claim(self, announcement_id: UUID, member_id: UUID, network: str) -> bool:
        """Whether this run claimed the member's delivery on ``network``."""
        return await self._submit(CLAIM, (announcement_id, member_id, network))

    async def record(self, announcement_id: UUID, member_id: UUID, state: str, provider_id: str | None) -> None:
        await self._submit(RECORD, (announcement_id, member_id, state, provider_id))

    async def _submit(self, kind: str, args: tuple) -> Any:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((kind, args, done))
        if self._committing is None or self._committing.done():
            self._committing = asyncio.create_task(self._commit_waiting())
        return await asyncio.shield(done)  # (a cancelled caller leaves the group's commit alone)

    async def _commit_waiting(self) -> None:
        busy = False  # a group was just committed: more are coming, let them join the next one
        while self._waiting:
            if busy and len(self._waiting) < MAX_GROUP:
                await asyncio.sleep(GATHERING)
            busy = True
            group, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
            try:
                results = await asyncio.to_thread(self._commit, [(kind, args) for kind, args, _done in group])
            except BaseException as error:  # noqa: BLE001 - each waiting caller gets the error
                for _kind, _args, done in group:
                    if not done.done():
                        done.set_exception(error if isinstance(error, Exception) else RuntimeError("stopped"))
                if not isinstance(error, Exception):
                    raise
                continue
            for (_kind, _args, done), result in zip(group, results, strict=True):
                if not done.done():
                    done.set_result(result)

    def _commit(self, group: list[tuple[str, tuple]]) -> list[Any]:
        """(In a worker thread.) The group's answers, then its claims: two transactions, whatever their size."""
        records = [args for kind, args in group if kind == RECORD]
        if records:
            self.trust.record_deliveries(records)
        claims = [args for kind, args in group if kind == CLAIM]
        stopped = self.views.stopped_among(sorted({member_id for _a, member_id, _n in claims}, key=str))
        wanted = [(a, m, n) for a, m, n in claims if (m, n) not in stopped]
        claimed = dict(zip(wanted, self.trust.claim_deliveries(wanted), strict=True)) if wanted else {}
        return [claimed.get(args, False) if kind == CLAIM else None for kind, args in group]
