"""Staff accounts and organisation API tokens, kept from their events."""

from typing import Any

from sqlalchemy import insert, update

from domain.organisations.api_tokens import ApiToken
from domain.staff.model import StaffAccount
from projections.core.handlers import Step, handles
from projections.staff.tables import api_tokens, staff_accounts


def _account(step: Step, event: Any, **values: Any) -> None:
    step.session.execute(
        update(staff_accounts)
        .where(staff_accounts.c.account_id == event.originator_id)
        .values(changed_rec=event.timestamp, **values)
    )


@handles(StaffAccount.Opened)
def opened(step: Step, event: Any) -> None:
    step.session.execute(
        insert(staff_accounts),
        dict(
            account_id=event.originator_id,
            username=event.username,
            roles=list(event.roles),
            status="active",
            opened_by=event.actor,
            opened_rec=event.timestamp,
            changed_rec=event.timestamp,
        ),
    )


@handles(StaffAccount.RolesChanged)
def roles_changed(step: Step, event: Any) -> None:
    _account(step, event, roles=list(event.roles))


@handles(StaffAccount.Disabled)
def disabled(step: Step, event: Any) -> None:
    _account(step, event, status="disabled")


@handles(StaffAccount.Enabled)
def enabled(step: Step, event: Any) -> None:
    _account(step, event, status="active")


@handles(StaffAccount.PasswordSet)
def password_set(step: Step, event: Any) -> None:
    _account(step, event, password_set_rec=event.timestamp)


@handles(ApiToken.Issued)
def token_issued(step: Step, event: Any) -> None:
    step.session.execute(
        insert(api_tokens),
        dict(
            token_id=event.originator_id,
            organisation_id=event.organisation_id,
            digest=event.digest,
            label=event.label,
            issued_by=event.actor,
            issued_rec=event.timestamp,
        ),
    )


@handles(ApiToken.Revoked)
def token_revoked(step: Step, event: Any) -> None:
    step.session.execute(
        update(api_tokens)
        .where(api_tokens.c.token_id == event.originator_id)
        .values(revoked_by=event.actor, revoked_rec=event.timestamp)
    )
