"""Pages that show members' personal data to staff record the read first
(``trust.record_staff_reads``), and a read that cannot be recorded is not shown:
the page answers 503 instead (fail closed)."""

from collections.abc import Callable, Iterable
from functools import wraps
from uuid import UUID

from flask import abort, make_response, request, session

from adapters.web.pages import acting_as, services
from domain.kernel.errors import StoreBusy


def record_reads(member_ids: Iterable[UUID | None], page: str, role: str = "caseworker") -> None:
    """The signed-in staff member (in ``role``) is about to see these members' data on ``page``."""
    try:
        services().trust.record_staff_reads([m for m in member_ids if m is not None], page, acting_as(role))
    except StoreBusy as busy:
        abort(503, description=str(busy))


OPENED = "opened_members"  # the members whose pages this session opened (a read recorded), newest last
OPENED_KEPT = 50


def shows_member(page: str, role: str = "caseworker") -> Callable:
    """For a view of /members/<member_id>/...: once it has rendered a page (not a
    redirect; an unknown member is a 404 before this), record the read, then send
    it. A form sent back with mistakes shows what its opening recorded, so bad input
    still records nothing; but a form sent without this session having opened the
    member's pages (a hand-made POST) is a read of its own, recorded like an opening."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
            response = make_response(view(*args, **kwargs))
            member = str(kwargs["member_id"])
            opened = [m for m in session.get(OPENED, []) if isinstance(m, str)]
            if not 300 <= response.status_code < 400 and (request.method == "GET" or member not in opened):
                record_reads([kwargs["member_id"]], page, role)
                session[OPENED] = [m for m in opened if m != member][-(OPENED_KEPT - 1) :] + [member]
            return response

        return recorded

    return decorate
