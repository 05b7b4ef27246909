"""Who could see what, read from consent periods and organisations' open periods, is exactly the product
the trust used to store row by row (every consent x every organisation of its audience), and suspending
an organisation or approving a new one of a kind changes none of the consent periods."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from domain.trust import Audience
from projections.consent.access import consent_intervals, member_intervals, organisation_intervals
from projections.consent.reach import meeting, reach
from projections.consent.tables import consent_periods, consents, organisation_periods
from projections.core.intervals import AXES, intersect
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
