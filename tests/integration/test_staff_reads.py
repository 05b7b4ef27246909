"""Staff reads of a member's personal data are access events: who, when, which
member, which page; in the trustees' history, kept by a rebuild and by erasure."""

import pytest
from sqlalchemy import select

from domain.kernel.actors import Actor
from domain.kernel.errors import InvalidRequest, UnknownMember
from domain.trust import Audience
from projections.core.rebuild import rebuild
from projections.core.tables import timeline
from tests.conftest import CASEWORKER, TRUSTEE
from tests.integration.test_rebuild import read_models
from tests.support import nothing_recorded

NAME = "Zebedee Quixotic-Marmaduke"
THEMSELF = Actor("member", "self")  # joining by themself: confirmed at once


def staff_reads(views, member_id) -> list[dict]:
    return [h for h in views.history(member_id) if h["what"] == "read by staff"]


def test_a_staff_read_is_recorded_with_who_when_and_which_page(trust, views, clock):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    clock.advance(minutes=5)

    trust.record_staff_read(member, "member", CASEWORKER)

    [read] = staff_reads(views, member)
    assert read["actor"] == "caseworker:cal"
    assert read["recorded_at"] == clock()
    assert read["text"] == "Read by the trust's staff: the member's page."


def test_a_list_records_one_read_per_member_listed_in_one_command(trust, views):
    ann = trust.register_member("Ann", THEMSELF, channel="bot")
    bob = trust.register_member("Bob", THEMSELF, channel="bot")
    before = trust.last_position()

    trust.record_staff_reads([ann, bob, ann], "search", CASEWORKER)

    assert trust.last_position() == before + 2  # each member once
    assert [r["text"] for r in staff_reads(views, ann)] == ["Read by the trust's staff: search results."]
    assert len(staff_reads(views, bob)) == 1


@pytest.mark.parametrize(
    "page, actor, refusal",
    [
        ("member?q=Zebedee", CASEWORKER, "Unknown page 'member?q=Zebedee'"),
        ("member", Actor("organisation", "eden valley"), "Only the trust's staff"),
        ("member", Actor("member", "self"), "Only the trust's staff"),
    ],
)
def test_a_read_on_an_unknown_page_or_by_someone_not_staff_is_refused_and_nothing_recorded(
    services, trust, page, actor, refusal
):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=refusal.replace("?", r"\?")):
        trust.record_staff_read(member, page, actor)


def test_a_read_of_an_unknown_member_is_refused_whole(services, trust):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    consent_like = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)  # not a member
    with nothing_recorded(services), pytest.raises(UnknownMember):
        trust.record_staff_reads([member, consent_like], "search", CASEWORKER)


def test_a_rebuild_keeps_the_staff_reads(services, trust, views):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    trust.record_staff_read(member, "member", CASEWORKER)
    trust.record_staff_read(member, "audit-explain", TRUSTEE)
    before = read_models(services)

    rebuild(trust, views.projector)

    assert read_models(services) == before
    assert [r["actor"] for r in staff_reads(views, member)] == ["caseworker:cal", "trustee:tess"]


def test_erasure_keeps_the_read_as_a_fact_without_the_name(services, trust, views):
    member = trust.register_member(NAME, THEMSELF, channel="bot", contact="@zebedee")
    trust.record_staff_read(member, "member", CASEWORKER)

    trust.erase_member(member, TRUSTEE)

    [read] = staff_reads(views, member)
    assert read["actor"] == "caseworker:cal" and "member's page" in read["text"]
    with views.reading() as conn:
        rows = conn.execute(select(timeline).where(timeline.c.what == "read by staff")).all()
    assert rows and all("Zebedee" not in repr(row) for row in rows)
    trust.record_staff_read(member, "member", CASEWORKER)  # the (erased) record can still be opened, and it is recorded
    assert len(staff_reads(views, member)) == 2


def test_the_cli_records_a_read_before_it_prints_personal_data(cli_run, trust, views):
    member = trust.register_member(NAME, THEMSELF, channel="bot", contact="@zebedee")

    shown = cli_run("member", "show", str(member))
    listed = cli_run("member", "list")

    assert shown.exit_code == 0 and NAME in shown.output and "@zebedee" in shown.output
    assert NAME in listed.output
    assert [(r["actor"], r["text"]) for r in staff_reads(views, member)] == [
        ("trustee:tess", "Read by the trust's staff: the member's record (command line)."),
        ("trustee:tess", "Read by the trust's staff: the member list (command line)."),
    ]
    history = cli_run("audit", "history", str(member))
    assert "the member's record (command line).  (by trustee tess; trustee:tess)" in history.output
    assert history.output.startswith(f"{NAME} (")  # the history names the member: itself a staff read
    assert (
        staff_reads(views, member)[-1]["text"] == "Read by the trust's staff: an audit answer (the member's history)."
    )


def test_the_cli_shows_nothing_when_the_read_cannot_be_recorded(cli_run, trust, views):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    refused = cli_run("--actor", "organisation:eden", "member", "show", str(member))
    assert refused.exit_code == 1 and NAME not in refused.output
    assert "Only the trust's staff" in refused.output
    assert staff_reads(views, member) == []


def test_who_read_lists_organisations_and_staff_in_order(cli_run, trust, views, approved_lender):
    member = trust.register_member(NAME, THEMSELF, channel="bot")
    trust.grant_consent(member, "affordable-credit", ["contact"], Audience(approved_lender), THEMSELF)
    trust.record_access(approved_lender, member, "affordable-credit", ["contact"], Actor("organisation", "api"))
    trust.record_staff_read(member, "member-profile", CASEWORKER)

    rows = views.who_read(member)
    printed = cli_run("audit", "who-read", str(member))

    assert [(r["reader"], r["staff"]) for r in rows] == [
        ("Eden Valley Credit Union", False),
        ("caseworker:cal", True),
    ]
    lines = printed.output.splitlines()
    assert "  Eden Valley Credit Union read How to reach you (name, phone, chat) for affordable credit." in lines[0]
    assert "caseworker cal (caseworker:cal): Read by the trust's staff: the profile form." in lines[1]
    assert "contact for affordable-credit" in views.who_read(member)[0]["text"]  # JSON and CSV keep the codes
    assert NAME not in printed.output
