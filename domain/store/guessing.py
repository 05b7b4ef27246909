"""Slowing down guessing (passwords, reference codes), counted in the database.

A guess is *taken* before the secret is checked, in one conditional upsert per
guesser: the row's count goes up only while it is under the limit (or its window
has passed), so however many guesses arrive at once, across every worker, at
most the limit of them reach the check. A guess that turns out right is given
back. The counts live in ``guess_counts`` (domain.store.credentials), keyed by digests.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from domain.store.credentials import GUESS_WINDOW, TooManyAttempts, guess_counts
from domain.store.storage import writing


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _take_one(conn: Connection, guesser: str, limit: int, now: datetime) -> bool:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    window_over = guess_counts.c.since <= now - GUESS_WINDOW
    statement = (
        insert(guess_counts)
        .values(guesser=guesser, guesses=1, since=now)
        .on_conflict_do_update(
            index_elements=[guess_counts.c.guesser],
            set_={
                "guesses": case((window_over, 1), else_=guess_counts.c.guesses + 1),
                "since": case((window_over, now), else_=guess_counts.c.since),
            },
            where=window_over | (guess_counts.c.guesses < limit),
        )
        .returning(guess_counts.c.guesses)
    )
    return conn.execute(statement).first() is not None


def take_guess(engine: Engine, guessers: Iterable[tuple[str, int]], now: datetime) -> None:
    """Count one guess against every guesser, or none and raise TooManyAttempts."""
    now = _naive(now)
    with writing(), engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE; PostgreSQL: the upsert locks the row
        for guesser, limit in guessers:
            if not _take_one(conn, guesser, limit, now):
                since = conn.execute(select(guess_counts.c.since).where(guess_counts.c.guesser == guesser)).scalar()
                retry = int(((since or now) + GUESS_WINDOW - now).total_seconds()) + 1
                raise TooManyAttempts(max(retry, 1))  # rolls back the guesses taken so far


def give_back(engine: Engine, guessers: Iterable[tuple[str, int]], now: datetime, forget: str | None = None) -> None:
    """A right guess is not a failure: return it, forget ``forget``'s count, and old rows.

    Rows are locked in the order take_guess locks them, and old rows another guess holds
    are skipped, so two sign-ins of one person at once cannot deadlock on PostgreSQL."""
    with writing(), engine.begin() as conn:
        for guesser, _limit in guessers:
            counted = guess_counts.c.guesser == guesser
            if guesser == forget:
                conn.execute(delete(guess_counts).where(counted))
            else:
                conn.execute(
                    update(guess_counts)
                    .where(counted, guess_counts.c.guesses > 0)
                    .values(guesses=guess_counts.c.guesses - 1)
                )
        stale = select(guess_counts.c.guesser).where(guess_counts.c.since <= _naive(now) - GUESS_WINDOW)
        free = stale.with_for_update(skip_locked=True).scalar_subquery()
        conn.execute(delete(guess_counts).where(guess_counts.c.guesser.in_(free)))
