"""Commands about staff accounts and their sign-in."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotFound
from domain.kernel.text import without_control_characters
from domain.staff.model import ACTIVE, StaffAccount, clean_roles, clean_username
from domain.store.application import TrustApplication
from domain.store.credentials import SignInRefused, check_new_password
from domain.store.guessing import give_back, take_guess


class UnknownStaffAccount(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No staff account is known by {reference!s}.")


class NoStaffAccountCalled(UnknownStaffAccount):
    def __init__(self, username: str):
        NotFound.__init__(self, f"There is no staff account called {username}.")


@dataclass(frozen=True)
class SignInLink:
    account_id: UUID
    username: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedIn:
    account_id: UUID
    username: str
    roles: tuple[str, ...]
    epoch: int
    device: str = ""  # the device token to keep (see Credentials.sign_in_guessers)


class StaffCommands:
    def __init__(self, app: TrustApplication) -> None:
        self.app = app

    def open_staff_account(self, username: str, roles: list[str], actor: Actor) -> SignInLink:
        """A new account, and the one-time link its holder uses to choose a password."""
        username = clean_username(username)
        roles = clean_roles(roles)
        with self.app.command() as (session, now):
            account_id = StaffAccount.create_id(username)
            try:
                self.app.repository.get(account_id)
            except AggregateNotFoundError:
                pass
            else:
                raise NotAllowedNow(f"There is already an account called {username}.")
            account = StaffAccount(username=username, roles=roles, actor=str(actor))
            token, expires = self.app.credentials.new_link(session, account.id, now)
            account.sign_in_link_issued(expires_at=expires.isoformat(), actor=str(actor))
            self.app.save(account)
        return SignInLink(account.id, username, token, expires)

    def issue_sign_in_link(self, account_id: UUID, actor: Actor) -> SignInLink:
        """A fresh one-time link (a forgotten password); the password, older sessions and links end."""
        with self.app.command() as (session, now):
            account = self.staff_account(account_id)
            account.require_active()
            self.app.credentials.end_sessions(session, account.id)
            token, expires = self.app.credentials.new_link(session, account.id, now)
            account.sign_in_link_issued(expires_at=expires.isoformat(), actor=str(actor))
            self.app.save(account)
        return SignInLink(account.id, account.username, token, expires)

    def issue_sign_in_link_for(self, username: str, actor: Actor) -> SignInLink:
        """The operator's way back in at the server: a fresh one-time link for the account called
        ``username``, refused (nothing changed) for an unknown or disabled account."""
        name = clean_username(username)
        try:
            account = self.staff_account(StaffAccount.create_id(name))
        except UnknownStaffAccount:
            raise NoStaffAccountCalled(name) from None
        return self.issue_sign_in_link(account.id, actor)

    def enable_staff_account_called(self, username: str, actor: Actor) -> None:
        """The operator's way back when every trustee is disabled: enable the account called ``username``."""
        name = clean_username(username)
        try:
            account = self.staff_account(StaffAccount.create_id(name))
        except UnknownStaffAccount:
            raise NoStaffAccountCalled(name) from None
        self.enable_staff_account(account.id, actor)

    def account_for_link(self, token: str) -> StaffAccount:
        with self.app.reading() as session:
            account_id = self.app.credentials.account_for_link(session, token, self.app.clock())
        account = self.staff_account(account_id)
        account.require_active()
        return account

    def set_password_with_link(self, token: str, password: str) -> SignedIn:
        with self.app.command() as (session, now):
            account_id = self.app.credentials.account_for_link(session, token, now)
            account = self.staff_account(account_id)
            account.require_active()
            check_new_password(password, account.username)
            self.app.credentials.set_password(session, account.id, password)
            account.password_set(actor=str(Actor(account.roles[0], account.username)))
            self.app.save(account)
            epoch = self.app.credentials.epoch(session, account.id)
        device = self.app.credentials.device_token(account.username)
        return SignedIn(account.id, account.username, tuple(account.roles), epoch, device)

    def sign_in(self, username: str, password: str, client: str, device: str | None = None) -> SignedIn:
        """Raises SignInRefused (same words whatever was wrong) or TooManyAttempts.

        ``client`` is where the guess comes from (an address); ``device`` the token a
        browser earned by signing in before. The guess is counted before the password
        is checked, so concurrent guesses cannot get past the limit."""
        name = without_control_characters(username).strip().lower()[:40] or "?"
        guessers = self.app.credentials.sign_in_guessers(name, client, device)
        take_guess(self.app.engine, guessers, self.app.clock())
        try:
            account = self.staff_account(StaffAccount.create_id(clean_username(name)))
        except (InvalidRequest, UnknownStaffAccount):
            account = None
        epoch = self.app.credentials.verify(self.app.engine, account.id if account else None, password)
        if epoch is None or account is None or account.status != ACTIVE:
            raise SignInRefused()
        give_back(self.app.engine, guessers, self.app.clock(), forget=guessers[-1][0])
        if not self.app.credentials.device_known(name, device):
            device = self.app.credentials.device_token(name)
        return SignedIn(account.id, account.username, tuple(account.roles), epoch or 0, device or "")

    def sign_out(self, account_id: UUID, epoch: int) -> None:
        """Ends the session on the server: every session of the account that began in
        ``epoch`` stops working, including copies of its cookie."""
        self.app.credentials.end_session(self.app.engine, account_id, epoch)

    def disable_staff_account(self, account_id: UUID, actor: Actor) -> None:
        with self.app.command() as (session, _now):
            account = self.staff_account(account_id)
            if account.username == actor.name:
                raise NotAllowedNow("You cannot disable your own account; ask another trustee.")
            account.disable(actor=str(actor))
            self.app.credentials.end_sessions(session, account.id)
            self.app.save(account)

    def enable_staff_account(self, account_id: UUID, actor: Actor) -> None:
        with self.app.command():
            account = self.staff_account(account_id)
            account.enable(actor=str(actor))
            self.app.save(account)

    def change_staff_roles(self, account_id: UUID, roles: list[str], actor: Actor) -> None:
        roles = clean_roles(roles)
        with self.app.command():
            account = self.staff_account(account_id)
            if account.username == actor.name and "trustee" not in roles:
                raise NotAllowedNow("You cannot remove your own trustee role; ask another trustee.")
            account.change_roles(roles, actor=str(actor))
            self.app.save(account)

    def staff_account(self, account_id: UUID) -> StaffAccount:
        return self.app.load(account_id, StaffAccount, UnknownStaffAccount)
