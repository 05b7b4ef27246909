"""Staff sign-in secrets, kept beside the event log rather than in it.

Passwords are hashed with Argon2id (argon2-cffi, the OWASP-recommended KDF).
One-time sign-in links are random tokens stored only as a SHA-256 digest with
an expiry. Each account has an ``epoch``: it moves on whenever the account's
password is set or the account is disabled, and a web session carries the
epoch it began in, so those changes (and signing out) end every older session
at once. A new sign-in link also forgets the password: the link is how the holder
chooses the next one. Guesses are slowed down in domain.store.guessing, keyed here.
"""

import hashlib
import hmac
import ipaddress
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    DDL,
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from domain.kernel.errors import InvalidRequest, TrustError

LINK_LIFETIME = timedelta(hours=24)
MIN_PASSWORD, MAX_PASSWORD = 12, 256
GUESS_WINDOW = timedelta(minutes=15)
GUESSES_PER_ACCOUNT_AND_CLIENT = 5
GUESSES_PER_CLIENT = 20

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
guess_counts = Table(  # one row per guesser (a keyed digest): guesses taken in the window from `since`
    "guess_counts",
    credentials_metadata,
    Column("guesser", String(64), primary_key=True),
    Column("guesses", Integer, nullable=False),
    Column("since", DateTime, nullable=False),
)


# The earlier log of every sign-in named the username in the clear; counts replaced it.
event.listen(credentials_metadata, "after_create", DDL("DROP TABLE IF EXISTS sign_in_attempts"))


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
    def __init__(self, pepper: bytes, hasher: PasswordHasher | None = None):
        """``hasher``: Argon2id with argon2-cffi's recommended parameters unless given
        (the tests give its cheapest profile; one test checks the default)."""
        self._hasher = hasher or PasswordHasher()
        self._pepper = pepper  # keys the client digests, so addresses are not recoverable
        self._dummy_hash: str | None = None

    @property
    def _dummy(self) -> str:
        """A hash to check unknown accounts against, so they take as long as known ones."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    # One-time sign-in links

    def new_link(self, session: Session, account_id: UUID, now: datetime) -> tuple[str, datetime]:
        """A link to choose a password with; the old password stops working at once."""
        token = secrets.token_urlsafe(32)
        expires = now + LINK_LIFETIME
        values = dict(link_digest=_digest(token), link_expires=_naive_utc(expires), password_hash=None)
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

    def verify(self, engine: Engine, account_id: UUID | None, password: str) -> int | None:
        """Checks a password in constant-ish time whether or not the account exists. Returns the
        session epoch the password was read in (None: no match), read with it in one statement, so
        a new sign-in link issued meanwhile (a new epoch, no password) cannot be signed into."""
        stored, epoch = None, None
        if account_id is not None:
            with engine.connect() as conn:
                row = conn.execute(
                    select(staff_credentials.c.password_hash, staff_credentials.c.epoch).where(
                        staff_credentials.c.account_id == account_id
                    )
                ).first()
            stored, epoch = (row.password_hash, row.epoch) if row is not None else (None, None)
        try:
            good = self._hasher.verify(stored or self._dummy, password or "") and stored is not None
        except (VerificationError, InvalidHashError):
            good = False
        return (epoch or 0) if good else None

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

    def end_session(self, engine: Engine, account_id: UUID, epoch: int) -> None:
        """Signing out: the session's epoch moves on, so a copy of its cookie opens nothing."""
        with engine.begin() as conn:
            conn.execute(
                update(staff_credentials)
                .where(staff_credentials.c.account_id == account_id, staff_credentials.c.epoch == epoch)
                .values(epoch=staff_credentials.c.epoch + 1)
            )

    # Who is guessing: keyed digests, so neither an address nor a username can be read back

    def guesser(self, *parts: str) -> str:
        return hmac.new(self._pepper, "\0".join(parts).encode(), hashlib.sha256).hexdigest()

    def sign_in_guessers(self, username: str, client: str, device: str | None) -> list[tuple[str, int]]:
        """Who a sign-in counts against, with each one's limit.

        The client is the device, if it shows a device token this username earned
        by signing in before, else its address. Counting per (username, client) and
        per client, never per username alone, means a stranger's failures can slow
        the stranger but never lock the real person out from their own device or
        from another address (OWASP's "device cookies" against lockout attacks)."""
        client_id = f"device:{device}" if self.device_known(username, device) else f"address:{network_of(client)}"
        return [
            (self.guesser("client", client_id), GUESSES_PER_CLIENT),
            (self.guesser("account", username, client_id), GUESSES_PER_ACCOUNT_AND_CLIENT),
        ]

    def device_token(self, username: str) -> str:
        """Given to a browser after a good sign-in: its guesses are its own from then on."""
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self.guesser('device', username, nonce)[:32]}"

    def device_known(self, username: str, token: str | None) -> bool:
        nonce, _, mac = (token or "")[:80].partition(".")
        return bool(nonce) and hmac.compare_digest(mac, self.guesser("device", username, nonce)[:32])


def network_of(address: str | None) -> str:
    """Whom an address stands for when counting guesses: an IPv4 address itself, but an IPv6
    address's /64, which one household or server is given whole (else one host could guess
    from 2**64 addresses)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or "?"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 address
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "replace")).digest()
