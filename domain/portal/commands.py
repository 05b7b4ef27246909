"""Members sign in to their web portal with a one-time link, never a password.

A caseworker issues the link from the member's page (or the member asks for it in their chat);
it works once, for 30 minutes, and only its digest is kept (domain.store.member_links). Using it
opens a session with a random id; signing out records that id as ended (domain.store.portal_sessions,
as the organisation portal does), so a copy of the session cookie opens nothing afterwards.
Every step is an event on the member's PortalAccess with its actor."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest
from domain.membership.commands import MembershipCommands, may_act_for_members
from domain.portal.model import PortalAccess
from domain.store.application import TrustApplication
from domain.store.member_links import new_member_link, use_member_link
from domain.store.portal_sessions import end_portal_session, portal_session_ended

PORTAL_ACTOR = Actor("member", "via portal")
ISSUERS = ("caseworker", "trustee", "member")


@dataclass(frozen=True)
class MemberSignInLink:
    member_id: UUID
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class MemberSession:
    member_id: UUID
    session_id: str  # random; kept in the member's session cookie, never in the log
    started_at: datetime


class PortalCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands) -> None:
        self.app = app
        self.members = members

    def issue_member_sign_in_link(self, member_id: UUID, actor: Actor) -> MemberSignInLink:
        """A one-time link to the portal for a current member; an older link of theirs stops working."""
        may_act_for_members(actor, "issue a member's sign-in link")
        if actor.role not in ISSUERS:
            raise InvalidRequest("A member's sign-in link is issued by a caseworker, or asked for by the member.")
        with self.app.command() as (session, now):
            member = self.members.member(member_id)
            member.require_current("issue a sign-in link to")
            token, expires = new_member_link(session, member_id, now)
            access = self._access(member_id)
            access.link_issued(expires_at=expires, actor=str(actor))
            self.app.save(access)
        return MemberSignInLink(member_id, token, expires)

    def sign_in_member_with_link(self, token: str) -> MemberSession:
        """The link's member, signed in: the link is used up (LinkNotValid if used, expired or unknown)."""
        with self.app.command() as (session, now):
            member_id = use_member_link(session, token, now)
            member = self.members.member(member_id)
            member.require_current("sign in")
            access = self._access(member_id)
            access.signed_in(actor=str(PORTAL_ACTOR))
            self.app.save(access)
        return MemberSession(member_id, secrets.token_urlsafe(32), now)

    def end_member_session(self, member_id: UUID, session_id: str, until: datetime) -> None:
        """Signing out: the session's cookie opens nothing from now on (kept ended ``until`` it
        would have expired anyway), and the member's history says they signed out."""
        end_portal_session(self.app.engine, session_id, until, self.app.clock())
        with self.app.command():
            access = self._access(member_id)
            access.session_ended(how="signed out", actor=str(PORTAL_ACTOR))
            self.app.save(access)

    def member_session_ended(self, session_id: str) -> bool:
        return portal_session_ended(self.app.engine, session_id)

    def _access(self, member_id: UUID) -> PortalAccess:
        try:
            access = self.app.repository.get(PortalAccess.create_id(member_id))
        except AggregateNotFoundError:
            return PortalAccess(member_id=member_id)
        assert isinstance(access, PortalAccess)
        return access
