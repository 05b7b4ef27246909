"""A rebuilt read model is identical to the one maintained event by event."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from adapters.bootstrap import bootstrap
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError
from domain.sealing.vault import SEAL_PREFIX
from domain.trust import Audience
from projections.core.rebuild import catch_up, position, rebuild
from projections.core.tables import metadata
from projections.membership.tables import members
from projections.reports.tags import open_group
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR, TRUSTEE

PURPOSES = {
    "affordable-credit": "social-lender",
    "service-planning": "council",
    "grant-making": "funder",
    "research": "researcher",
}
CATEGORIES = ["contact", "profile", "household-finances", "housing", "wellbeing", "panel-answers"]


def read_models(services) -> dict:
    """Every read-model row, without surrogate ids, with sealed values opened (each sealing
    draws a fresh nonce, so a rebuild holds the same data under different ciphertext)."""
    vault = services.views.vault
    with services.views.reading() as conn:
        keys = vault.keys_for(conn, [r.member_id for r in conn.execute(select(members.c.member_id))])

        def value(row, k, v):  # type: ignore[no-untyped-def]
            if isinstance(v, str) and v.startswith(SEAL_PREFIX) and k == "figures":  # a peer group's
                return open_group(vault, row.tag, row.bucket, v)
            if isinstance(v, str) and v.startswith(SEAL_PREFIX):
                return vault.open(keys.get(row.member_id), row.member_id, v)
            return v

        return {
            table.name: sorted(
                repr(tuple(value(row, k, v) for k, v in row._mapping.items() if k != "id"))
                for row in conn.execute(select(table))
            )
            for table in metadata.sorted_tables
        }


def a_business(trust, rng, n: int):  # type: ignore[no-untyped-def]
    business = trust.register_member(f"Business {n}", MEMBER_THEMSELF, channel="web", kind="organisation-member")
    profile = {
        "org-id": f"GB-COH-{10_000_000 + n}",
        "sector": rng.choice(["I", "Q"]),
        "area": rng.choice(["CA1", "LA9"]),
        "employees": rng.randint(1, 60),
        "annual-income": rng.randint(100, 10**8),
    }
    trust.share_data(business, "organisation-profile", profile, MEMBER_THEMSELF, "portal")
    if rng.random() < 0.5:
        grant = {
            "funder": "GB-CHC-1123456",
            "amount": rng.randint(100, 10**7),
            "instrument": "grant",
            "date": "2025-05-01",
        }
        trust.share_data(business, "funding-history", [grant], MEMBER_THEMSELF, "portal")
    return business


def generate(services, clock, commands: int, seed: int = 11) -> None:
    """A random but valid history: grants, withdrawals (some late), expiries,
    suspensions, reinstatements, paper members, confirmations, leavers, erasures, reads."""
    trust, rng = services.trust, random.Random(seed)
    organisations = []
    for kind in ("social-lender", "council", "funder", "researcher", "council"):
        organisation = trust.register_organisation(f"{kind} {len(organisations)}", kind, TRUSTEE)
        trust.approve_organisation(organisation, f"DSA-{len(organisations)}", clock().date(), TRUSTEE)
        organisations.append(organisation)
    members, consents, on_version_1 = [], [], []
    for _ in range(commands):
        clock.advance(minutes=rng.randint(1, 600))
        roll = rng.random()
        try:
            if roll < 0.18 and rng.random() < 0.2:  # a social business, benchmarked with its peers
                members.append(a_business(trust, rng, len(members)))
                categories = ["organisation-profile"] + (["funding-history"] if rng.random() < 0.5 else [])
                expiry = clock() + timedelta(hours=rng.randint(1, 400)) if rng.random() < 0.3 else None
                consents.append(
                    trust.grant_consent(
                        members[-1], "benchmarking", categories, Audience(kind="trust"), OPERATOR, expires_at=expiry
                    )
                )
            elif roll < 0.18 or not members:
                paper = rng.random() < 0.3
                members.append(
                    trust.register_member(
                        f"Member {len(members)}",
                        CASEWORKER if paper else MEMBER_THEMSELF,
                        channel="paper" if paper else "bot",
                        evidence_ref="PF" if paper else None,
                        effective_at=clock() - timedelta(hours=rng.randint(0, 48)) if paper else None,
                        contact="@someone" if rng.random() < 0.3 else None,
                        profile={"age-band": "25-34", "area": rng.choice(["CA1", "LA9"])}
                        if rng.random() < 0.5
                        else None,
                    )
                )
                if not paper and rng.random() < 0.3:  # shares their well-being and compares it with their area's
                    answers = {code: rng.randint(0, 10) for code in ("life-satisfaction", "happiness", "anxiety")}
                    trust.share_data(members[-1], "wellbeing", answers, MEMBER_THEMSELF, "bot")
                    consents.append(
                        trust.grant_consent(
                            members[-1],
                            "wellbeing-comparison",
                            ["profile", "wellbeing"],
                            Audience(kind="trust"),
                            OPERATOR,
                        )
                    )
            elif roll < 0.55:
                purpose = rng.choice(list(PURPOSES))
                audience = (
                    Audience(kind=PURPOSES[purpose]) if rng.random() < 0.5 else Audience(rng.choice(organisations))
                )
                expiry = clock() + timedelta(hours=rng.randint(1, 400)) if rng.random() < 0.3 else None
                consents.append(
                    trust.grant_consent(
                        rng.choice(members),
                        purpose,
                        rng.sample(CATEGORIES, rng.randint(1, 3)),
                        audience,
                        OPERATOR,
                        expires_at=expiry,
                        effective_at=clock() - timedelta(hours=rng.randint(1, 20)) if rng.random() < 0.2 else None,
                    )
                )
            elif roll < 0.70 and consents:
                late = clock() - timedelta(hours=rng.randint(0, 30)) if rng.random() < 0.4 else None
                trust.revoke_consent(rng.choice(consents), CASEWORKER, effective_at=late)
            elif roll < 0.75 and consents:
                trust.record_expiry(rng.choice(consents), Actor("scheduler", "datatrust"))
            elif roll < 0.80:
                organisation = rng.choice(organisations)
                if trust.organisation(organisation).status == "approved":
                    trust.suspend_organisation(
                        organisation, "check", TRUSTEE, effective_at=clock() - timedelta(hours=rng.randint(0, 5))
                    )
                else:
                    trust.reinstate_organisation(organisation, "ok", TRUSTEE)
            elif roll < 0.85:
                trust.confirm_member(
                    rng.choice(members), Actor("caseworker", "sam"), how="in person with a second caseworker"
                )
            elif roll < 0.88:
                trust.member_leaves(rng.choice(members), OPERATOR)
            elif roll < 0.90:
                trust.erase_member(rng.choice(members), TRUSTEE)
            elif roll < 0.93:
                trust.update_profile(
                    rng.choice(members), {"area": rng.choice(["CA1", "LA9"]), "gender": "woman"}, OPERATOR
                )
            elif roll < 0.94:
                late = clock() - timedelta(hours=rng.randint(1, 30)) if rng.random() < 0.3 else None
                member = rng.choice(members)
                trust.share_data(
                    member,
                    rng.choice(["wellbeing", "housing"]),
                    {"happiness": rng.randint(0, 10)} if rng.random() < 0.5 else {"bedrooms": rng.randint(0, 5)},
                    CASEWORKER,
                    "paper",
                    evidence_ref="PF-D",
                    effective_at=late,
                )
                if rng.random() < 0.6:  # and compares their well-being with their area's
                    expiry = clock() + timedelta(hours=rng.randint(1, 400)) if rng.random() < 0.3 else None
                    consents.append(
                        trust.grant_consent(
                            member,
                            "wellbeing-comparison",
                            ["profile", "wellbeing"],
                            Audience(kind="trust"),
                            OPERATOR,
                            expires_at=expiry,
                        )
                    )
            elif roll < 0.95:
                trust.link_contact(rng.choice(members), "telegram", str(rng.randint(10**6, 10**7)), OPERATOR)
            elif roll < 0.965:
                network = rng.choice(["telegram", "sms", "whatsapp"])
                if rng.random() < 0.6:
                    trust.stop_messages(rng.choice(members), network, "stop-word", OPERATOR)
                else:
                    trust.start_messages(rng.choice(members), network, OPERATOR)
            elif roll > 0.985:  # a member asks for a person (or writes more); a caseworker handles it
                member = rng.choice(members)
                if rng.random() < 0.6:
                    network = rng.choice(["telegram", "sms", "whatsapp"])
                    trust.ask_for_help(member, f"Please call me ({rng.randint(1, 3)})", network, MEMBER_THEMSELF)
                else:
                    note = "Phoned them" if rng.random() < 0.5 else None
                    trust.mark_help_handled(member, rng.randint(1, 3), CASEWORKER, note=note)
            elif roll > 0.98:  # members on version 1 of the terms: told of version 2, some agree
                terms = rng.random()
                if terms < 0.3 or not on_version_1:
                    chat = rng.randint(10**6, 10**7)
                    members.append(trust.join_by_chat(chat, f"Member {len(members)}", {}, "1", MEMBER_THEMSELF))
                    on_version_1.append(members[-1])
                elif terms < 0.7:
                    network = rng.choice(["telegram", "sms"])
                    trust.tell_terms_changed(rng.choice(on_version_1), network, "summary", MEMBER_THEMSELF)
                else:
                    trust.agree_to_terms(rng.choice(members), "2", CASEWORKER, evidence_ref="PF-T")
            else:
                trust.record_access(
                    rng.choice(organisations),
                    rng.choice(members),
                    rng.choice(list(PURPOSES)),
                    rng.sample(CATEGORIES, 2),
                    Actor("organisation", "api"),
                )
        except TrustError:
            pass  # a random choice the rules refuse (e.g. withdrawing twice): nothing recorded


@pytest.mark.parametrize("commands", [2600])
def test_rebuild_equals_the_incrementally_maintained_models(services, clock, commands):
    generate(services, clock, commands)
    events = services.trust.last_position()
    assert events >= 1900
    incremental = read_models(services)
    assert len(incremental["consent_periods"]) > 500 and len(incremental["organisation_periods"]) >= 8
    assert incremental["help_requests"] and incremental["help_messages"]  # requests for help, some handled
    assert len(incremental["peer_groups"]) >= 3 and len(incremental["peer_figures"]) >= 20  # businesses compared
    compared = [row for row in incremental["peer_figures"] if "'wellbeing':" in row and "'until':" in row]
    assert len(compared) >= 3  # individuals' well-being answers, in their area's group
    assert rebuild(services.trust, services.views.projector, batch=700) == events
    assert read_models(services) == incremental
    # Again, keeping few rows in memory between batches: most are read back from the store.
    assert rebuild(services.trust, services.views.projector, batch=300, kept=40) == events
    assert read_models(services) == incremental


def test_a_rebuild_of_joining_consenting_and_reading_runs_no_statement_for_each_event(services, clock):
    """Members join (some on paper, confirmed later), change their profile, give and withdraw consents, and
    are read: the rebuild keeps their rows in memory and writes them in bulk, not a statement an event."""
    trust = services.trust
    council = trust.register_organisation("Carlisle Council", "council", TRUSTEE)
    trust.approve_organisation(council, "DSA-1", clock().date(), TRUSTEE)
    for n in range(40):
        clock.advance(minutes=7)
        paper = n % 5 == 0
        member = trust.register_member(
            f"Member {n}",
            CASEWORKER if paper else MEMBER_THEMSELF,
            channel="paper" if paper else "bot",
            evidence_ref="PF" if paper else None,
            profile={"area": "CA1" if n % 2 else "LA9"},
        )
        given = [
            trust.grant_consent(member, purpose, ["contact", "housing"], Audience(kind=kind), OPERATOR)
            for purpose, kind in (("service-planning", "council"), ("research", "researcher"))
        ]
        if paper:
            trust.confirm_member(member, Actor("caseworker", "sam"), how="in person with a second caseworker")
        trust.update_profile(member, {"area": "LA9"}, MEMBER_THEMSELF)
        trust.record_access(council, member, "service-planning", ["housing"], Actor("organisation", "api"))
        clock.advance(minutes=7)
        trust.revoke_consent(given[n % 2], MEMBER_THEMSELF)
    events = trust.last_position()
    incremental = read_models(services)
    statements = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        dml = statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE")
        if dml and "pg_catalog" not in statement:  # not making the tables, the same for a log of any length
            statements.append(statement)

    event.listen(trust.engine, "after_cursor_execute", count)
    try:
        assert rebuild(trust, services.views.projector) == events
    finally:
        event.remove(trust.engine, "after_cursor_execute", count)
    assert read_models(services) == incremental
    assert events >= 40 * 7
    assert len(statements) < events / 10, statements  # before the working set: 1.6 an event


def test_an_interrupted_catch_up_resumes_where_it_stopped(settings, clock, monkeypatch):
    writer = bootstrap(settings, clock=clock)
    writer.trust.application.projector = None  # e.g. events written while the read side was behind
    generate(writer, clock, 200, seed=3)
    writer.close()

    services = bootstrap(settings, clock=clock, catch_up_now=False)
    projector = services.views.projector
    original, calls = projector.project, []

    def failing(session, recorded):
        calls.append(len(recorded))
        if len(calls) == 3:
            raise RuntimeError("power cut")
        original(session, recorded)

    monkeypatch.setattr(projector, "project", failing)
    with pytest.raises(RuntimeError):
        catch_up(services.trust, projector, batch=50)
    with services.trust.reading() as session:
        assert position(session) > 0
    monkeypatch.setattr(projector, "project", original)
    catch_up(services.trust, projector, batch=50)
    resumed = read_models(services)
    rebuild(services.trust, projector)
    assert read_models(services) == resumed
    services.close()


def test_rebuilt_insight_models_equal_the_incremental_ones(services, clock):
    """Requests, reviews, draws, answers, withdrawals, the close, released text and payments."""
    from tests.integration.insight_support import MEMBER, answer_all, approved_request, community, council, submit

    trust, views = services.trust, services.views
    organisation = council(trust, clock)
    consents = community(trust)
    submit(trust, clock, organisation)  # left waiting for review
    request = approved_request(trust, clock, organisation)
    trust.draw_panel(request, TRUSTEE)
    seated = [row["member_id"] for row in views.panel_roster(request)]
    clock.advance(hours=1)
    answer_all(trust, request, seated)
    trust.decline_panel(request, seated[0], MEMBER)
    clock.advance(hours=1)
    trust.revoke_consent(consents[seated[1]], MEMBER)
    trust.member_leaves(seated[2], MEMBER)
    trust.record_payment(request, 75_000, "INV-7", TRUSTEE)
    clock.advance(days=15)
    trust.close_insight_request(request, TRUSTEE)
    trust.release_free_text(request, {"ideas": ["Idea number 4"]}, TRUSTEE)
    incremental = read_models(services)
    assert len(incremental["panel_seat_changes"]) > 60 and incremental["insight_reviews"]
    rebuild(trust, views.projector, batch=37)
    assert read_models(services) == incremental
