"""Staff accounts: caseworkers and trustees who sign in to the web forms.

An account is event-sourced like everything else, so the history shows who
opened it, which roles it held and when it was disabled. Its password hash is
not an event: it lives in ``staff_credentials`` (see domain.store.credentials), so a
changed password leaves no old hash behind in the immutable log.
"""

import re
import uuid
from uuid import UUID

from eventsourcing.domain import event

from domain.kernel.aggregate import TrustAggregate
from domain.kernel.errors import InvalidRequest, NotAllowedNow

STAFF_ROLES = ("caseworker", "trustee")
ACTIVE, DISABLED = "active", "disabled"
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
_NAMESPACE = UUID("0f6b9a0e-5f7e-4d0e-a2c4-5b9c6e1d2f31")


def clean_username(text: str | None) -> str:
    name = (text or "").strip().lower()
    if not USERNAME.match(name):
        raise InvalidRequest(
            "A username is 2 to 40 characters: lower-case letters, digits and . _ -, starting with a letter "
            "(e.g. amy.k). It appears in the history, so use a handle, not a full name."
        )
    return name


def clean_roles(roles: list[str] | tuple[str, ...] | None) -> list[str]:
    chosen = sorted({r.strip().lower() for r in roles or ()})
    if not chosen or any(r not in STAFF_ROLES for r in chosen):
        raise InvalidRequest(f"Give an account one or both roles: {', '.join(STAFF_ROLES)}.")
    return chosen


class StaffAccount(TrustAggregate):
    @staticmethod
    def create_id(username: str) -> UUID:
        """One account per username, enforced by the event store."""
        return uuid.uuid5(_NAMESPACE, username)

    @event("Opened")
    def __init__(self, username: str, roles: list[str], actor: str):
        self.username = username
        self.roles = list(roles)
        self.status = ACTIVE

    def change_roles(self, roles: list[str], actor: str) -> None:
        if sorted(roles) == sorted(self.roles):
            raise NotAllowedNow(f"{self.username} already holds exactly these roles.")
        self._roles_changed(roles=list(roles), actor=actor)

    def disable(self, actor: str) -> None:
        if self.status == DISABLED:
            raise NotAllowedNow(f"The account {self.username} is already disabled.")
        self._disabled(actor=actor)

    def enable(self, actor: str) -> None:
        if self.status != DISABLED:
            raise NotAllowedNow(f"The account {self.username} is not disabled.")
        self._enabled(actor=actor)

    def require_active(self) -> None:
        if self.status != ACTIVE:
            raise NotAllowedNow(f"The account {self.username} is disabled.")

    @event("RolesChanged")
    def _roles_changed(self, roles: list[str], actor: str) -> None:
        self.roles = list(roles)

    @event("Disabled")
    def _disabled(self, actor: str) -> None:
        self.status = DISABLED

    @event("Enabled")
    def _enabled(self, actor: str) -> None:
        self.status = ACTIVE

    @event("SignInLinkIssued")
    def sign_in_link_issued(self, expires_at: str, actor: str) -> None:
        pass

    @event("PasswordSet")
    def password_set(self, actor: str) -> None:
        pass


class StaffRead(TrustAggregate):
    @event("Recorded")
    def __init__(self, member_id: UUID, page: str, actor: str):
        self.member_id = member_id
        self.page = page
