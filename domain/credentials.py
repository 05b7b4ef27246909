"""Staff sign-in secrets, kept beside the event log rather than in it.

Passwords are hashed with Argon2id (argon2-cffi, the OWASP-recommended KDF).
One-time sign-in links are random tokens stored only as a SHA-256 digest with
an expiry. Each account has an ``epoch``: it moves on whenever the account's
password is set or the account is disabled, and a web session carries the
epoch it began in, so those changes end every older session at once.
Failed sign-ins are counted per username and per client (the client address is
kept only as a keyed digest) to slow down password guessing across every
worker process.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from domain.errors import InvalidRequest, TrustError

LINK_LIFETIME = timedelta(hours=24)
MIN_PASSWORD, MAX_PASSWORD = 12, 256
FAILURE_WINDOW = timedelta(minutes=15)
FAILURES_PER_USERNAME = 5
FAILURES_PER_CLIENT = 20

credentials_metadata = MetaData()
staff_credentials = Table(
    "staff_credentials",
    credentials_metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("password_hash", String(200)),
    Column("link_digest", LargeBinary, unique=True),
    Column("link_expires", DateTime),
    Column("epoch", Integer, nullable=False, default=0),
)
sign_in_attempts = Table(
    "sign_in_attempts",
    credentials_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, index=True),
    Column("client", String(64), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
)


class TooManyAttempts(TrustError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            f"Too many failed sign-ins. Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again, "
            "or ask a trustee for a new sign-in link."
        )


class SignInRefused(TrustError):
    def __init__(self) -> None:
        super().__init__("That username and password do not match an active account.")


def _naive_utc(moment: datetime) -> datetime:
    """Every time here is stored as naive UTC, the same on SQLite and PostgreSQL."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def check_new_password(password: str, username: str) -> str:
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidRequest(f"Choose a password of at least {MIN_PASSWORD} characters; a short phrase works well.")
    if len(password) > MAX_PASSWORD:
        raise InvalidRequest(f"A password can be at most {MAX_PASSWORD} characters.")
    if username and username.lower() in password.lower():
        raise InvalidRequest("The password must not contain the username.")
    return password


class Credentials:
    def __init__(self, pepper: bytes):
        self._hasher = PasswordHasher()
        self._pepper = pepper  # keys the client digests, so addresses are not recoverable
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    # One-time sign-in links

    def new_link(self, session: Session, account_id: UUID, now: datetime) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(32)
        expires = now + LINK_LIFETIME
        values = dict(link_digest=_digest(token), link_expires=_naive_utc(expires))
        if (
            session.execute(
                update(staff_credentials).where(staff_credentials.c.account_id == account_id).values(**values)
            ).rowcount
            == 0
        ):
            session.execute(insert(staff_credentials), dict(account_id=account_id, epoch=0, **values))
        return token, expires

    def account_for_link(self, session: Session, token: str, now: datetime) -> UUID:
        row = session.execute(
            select(staff_credentials.c.account_id, staff_credentials.c.link_expires).where(
                staff_credentials.c.link_digest == _digest(token or "")
            )
        ).first()
        if row is None or row.link_expires is None or row.link_expires <= _naive_utc(now):
            raise InvalidRequest("This sign-in link has expired or has already been used. Ask a trustee for a new one.")
        return row.account_id

    # Passwords

    def set_password(self, session: Session, account_id: UUID, password: str) -> None:
        session.execute(
            update(staff_credentials)
            .where(staff_credentials.c.account_id == account_id)
            .values(
                password_hash=self._hasher.hash(password),
                link_digest=None,
                link_expires=None,
                epoch=staff_credentials.c.epoch + 1,
            )
        )

    def verify(self, engine: Engine, account_id: UUID | None, password: str) -> bool:
        """Checks a password in constant-ish time whether or not the account exists."""
        stored = None
        if account_id is not None:
            with engine.connect() as conn:
                stored = conn.execute(
                    select(staff_credentials.c.password_hash).where(staff_credentials.c.account_id == account_id)
                ).scalar()
        try:
            return self._hasher.verify(stored or self._dummy, password or "") and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def end_sessions(self, session: Session, account_id: UUID) -> None:
        session.execute(
            update(staff_credentials)
            .where(staff_credentials.c.account_id == account_id)
            .values(epoch=staff_credentials.c.epoch + 1, link_digest=None, link_expires=None)
        )

    def epoch(self, conn, account_id: UUID) -> int | None:  # type: ignore[no-untyped-def]
        return conn.execute(
            select(staff_credentials.c.epoch).where(staff_credentials.c.account_id == account_id)
        ).scalar()

    # Slowing down guessing

    def client_digest(self, client: str) -> str:
        return hmac.new(self._pepper, (client or "?").encode(), hashlib.sha256).hexdigest()

    def check_not_throttled(self, engine: Engine, username: str, client: str, now: datetime) -> None:
        since = _naive_utc(now - FAILURE_WINDOW)
        failed = (sign_in_attempts.c.succeeded.is_(False)) & (sign_in_attempts.c.at > since)
        with engine.connect() as conn:
            by_name = conn.execute(
                select(func.count(), func.min(sign_in_attempts.c.at)).where(
                    failed, sign_in_attempts.c.username == username
                )
            ).one()
            by_client = conn.execute(
                select(func.count(), func.min(sign_in_attempts.c.at)).where(
                    failed, sign_in_attempts.c.client == self.client_digest(client)
                )
            ).one()
        for (count, oldest), limit in ((by_name, FAILURES_PER_USERNAME), (by_client, FAILURES_PER_CLIENT)):
            if count >= limit:
                retry = int(((oldest + FAILURE_WINDOW) - _naive_utc(now)).total_seconds()) + 1
                raise TooManyAttempts(max(retry, 1))

    def record_attempt(self, engine: Engine, username: str, client: str, succeeded: bool, now: datetime) -> None:
        with engine.begin() as conn:
            conn.execute(delete(sign_in_attempts).where(sign_in_attempts.c.at < _naive_utc(now - 4 * FAILURE_WINDOW)))
            if succeeded:  # a good sign-in clears that username's failures
                conn.execute(delete(sign_in_attempts).where(sign_in_attempts.c.username == username))
            conn.execute(
                insert(sign_in_attempts),
                dict(
                    username=username[:40],
                    client=self.client_digest(client),
                    at=_naive_utc(now),
                    succeeded=succeeded,
                ),
            )


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "replace")).digest()
