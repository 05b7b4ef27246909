"""Who could see what, read from consent periods and organisations' open periods, is exactly the product
the trust used to store row by row (every consent x every organisation of its audience), and suspending
an organisation or approving a new one of a kind changes none of the consent periods; a suspension rewrites
only the organisation's periods it can alter."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, func, select

from domain.trust import Audience
from projections.consent.access import consent_intervals, member_intervals, organisation_intervals
from projections.consent.reach import meeting, reach
from projections.consent.tables import consent_periods, consents, organisation_periods
from projections.core.intervals import AXES, intersect
from projections.core.rebuild import rebuild
from projections.membership.tables import members
from projections.organisations.tables import organisation_changes, organisations
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE
from tests.integration.test_rebuild import generate

ALL_TIME = (datetime(1900, 1, 1, tzinfo=UTC), datetime(2999, 1, 1, tzinfo=UTC))


def by_reach(conn, axis: str) -> set[tuple]:
    rows = conn.execute(reach(axis).where(meeting(*ALL_TIME))).all()
    return {(r.consent_id, r.organisation_id, r.category, r.valid_from, r.valid_to) for r in rows}


def spelled_out(conn, axis: str) -> set[tuple]:
    """The old model, from the registers: each consent, for each organisation it reaches, per category."""
    member = {m.member_id: m for m in conn.execute(select(members))}
    kinds = dict(conn.execute(select(organisations.c.organisation_id, organisations.c.kind)).all())
    changes: dict = {organisation: [] for organisation in kinds}
    for change in conn.execute(select(organisation_changes).order_by(organisation_changes.c.position)):
        changes[change.organisation_id].append(change)
    expected = set()
    for consent in conn.execute(select(consents)):
        reached = [o for o, k in kinds.items() if consent.audience_organisation_id == o or consent.audience_kind == k]
        worked = intersect(consent_intervals(consent, axis), member_intervals(member[consent.member_id], axis))
        for organisation in reached:
            for start, end in intersect(worked, organisation_intervals(changes[organisation], axis)):
                expected |= {(consent.consent_id, organisation, c, start, end) for c in consent.categories}
    return expected


def test_the_periods_answer_exactly_what_every_consent_gave_every_organisation(services, clock):
    generate(services, clock, 1200, seed=5)
    trust = services.trust
    for kind in ("council", "researcher"):  # organisations approved after the consents that reach them
        clock.advance(minutes=30)
        late = trust.register_organisation(f"A late {kind}", kind, TRUSTEE)
        trust.approve_organisation(late, "DSA-late", clock().date(), TRUSTEE)
        clock.advance(minutes=30)
        trust.suspend_organisation(late, "check", TRUSTEE, effective_at=clock() - timedelta(minutes=20))
        clock.advance(minutes=30)
        trust.reinstate_organisation(late, "ok", TRUSTEE)
    with services.views.reading() as conn:
        for axis in AXES:
            expected = spelled_out(conn, axis)
            assert len(expected) > 150
            assert by_reach(conn, axis) == expected


def test_suspending_or_approving_an_organisation_leaves_every_consent_period_alone(services, clock):
    trust = services.trust
    council = trust.register_organisation("Eden Council", "council", TRUSTEE)
    trust.approve_organisation(council, "DSA-1", clock().date(), TRUSTEE)
    for n in range(30):
        member = trust.register_member(f"Member {n}", MEMBER_THEMSELF, channel="bot")
        trust.grant_consent(member, "service-planning", ["profile", "housing"], Audience(kind="council"), OPERATOR)
    before = _periods(services)
    clock.advance(minutes=5)
    trust.suspend_organisation(council, "late DSA review", TRUSTEE)
    clock.advance(minutes=5)
    newcomer = trust.register_organisation("Carlisle Council", "council", TRUSTEE)
    trust.approve_organisation(newcomer, "DSA-2", clock().date(), TRUSTEE)
    assert _periods(services) == before
    with services.views.reading() as conn:
        opened = conn.execute(select(func.count()).select_from(organisation_periods)).scalar_one()
    assert opened == 2 * 2 * 2  # each organisation: its own and its kind's audience, on both axes
    assert {e["organisation"] for e in services.views.who_could_see(member, clock())} == {"Carlisle Council"}


def _periods(services) -> list[tuple]:
    with services.views.reading() as conn:
        return sorted(tuple(row) for row in conn.execute(select(consent_periods)))


def test_a_suspension_rewrites_only_the_open_periods_however_long_the_organisation_history(services, clock):
    """The periods an organisation's earlier changes closed stay as they are (the same rows), so the command
    does the same work on its fortieth suspension as on its first; the result equals a rebuild's."""
    trust = services.trust
    council = trust.register_organisation("Eden Council", "council", TRUSTEE)
    trust.approve_organisation(council, "DSA-1", clock().date(), TRUSTEE)
    for _ in range(20):
        clock.advance(minutes=5)
        trust.suspend_organisation(council, "review", TRUSTEE)
        clock.advance(minutes=5)
        trust.reinstate_organisation(council, "ok", TRUSTEE)
    closed = _open_periods(services, closed_only=True)
    assert len(closed) == 20 * 2 * 2  # twenty closed periods, under both audiences, on both axes
    clock.advance(minutes=5)
    written = []

    def count(_conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "organisation_periods" in statement and not statement.lstrip().upper().startswith("SELECT"):
            written.append(cursor.rowcount)

    event.listen(services.trust.engine, "after_cursor_execute", count)
    try:
        trust.suspend_organisation(council, "review", TRUSTEE, effective_at=clock() - timedelta(minutes=2))
    finally:
        event.remove(services.trust.engine, "after_cursor_execute", count)
    assert sum(written) == 2 * (2 * 2)  # the open period's four rows out, the same closed in; none rewritten
    after = _open_periods(services, closed_only=True)
    assert set(closed) < set(after) and len(after) - len(closed) == 2 * 2
    rebuild(trust, services.views.projector)
    assert sorted(row[1:] for row in after) == sorted(row[1:] for row in _open_periods(services, closed_only=True))
    assert _open_periods(services, closed_only=False) == _open_periods(services, closed_only=True)  # none open


def _open_periods(services, closed_only: bool) -> list[tuple]:
    """(id, audience, axis, from, to) of the organisations' open periods; ``closed_only``: those that ended."""
    query = select(
        organisation_periods.c.id,
        organisation_periods.c.audience,
        organisation_periods.c.axis,
        organisation_periods.c.valid_from,
        organisation_periods.c.valid_to,
    )
    if closed_only:
        query = query.where(organisation_periods.c.valid_to.is_not(None))
    with services.views.reading() as conn:
        return sorted(tuple(row) for row in conn.execute(query))
