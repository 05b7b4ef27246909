"""Every `datatrust` command, as trustees and operators use it."""

import json
import re
from uuid import UUID

import pytest

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

PURPOSES = (
    "affordable-credit, benchmarking, community-insight, fund-news, funding-applications, grant-making, research, "
    "service-planning, wellbeing-comparison"
)
CATEGORIES = (
    "contact, funding-history, household-finances, housing, organisation-profile, panel-answers, profile, wellbeing"
)


def created_id(result) -> str:
    assert result.exit_code == 0, result.output
    return UUID_RE.search(result.output).group(0)


@pytest.fixture
def store(cli_run):
    """A lender, a member who joined on paper (confirmed by a second caseworker), one consent."""
    assert cli_run("init").exit_code == 0
    org = created_id(cli_run("org", "register", "Eden Valley Credit Union", "--kind", "social-lender"))
    assert (
        cli_run(
            "org", "approve", "eden valley credit union", "--agreement", "DSA-7", "--agreement-date", "2026-01-05"
        ).exit_code
        == 0
    )
    member = created_id(
        cli_run(
            "--actor",
            "caseworker:cal",
            "member",
            "register",
            "Ada Lovelace",
            "--channel",
            "paper",
            "--evidence",
            "PF-9",
            "--answer",
            "area=CA1",
            "--answer",
            "age-band=25-34",
        )
    )
    assert cli_run("--actor", "caseworker:sam", "member", "confirm", member[:8]).exit_code == 0
    consent = created_id(
        cli_run(
            "consent",
            "grant",
            member,
            "--purpose",
            "affordable-credit",
            "--category",
            "housing",
            "--category",
            "household-finances",
            "--org",
            "Eden Valley Credit Union",
        )
    )
    return {"org": org, "member": member, "consent": consent}


def history_size(cli_run, member) -> int:
    return len(json.loads(cli_run("audit", "history", member, "--json").output))


def test_who_could_see_answers_in_words_and_json(cli_run, store):
    words = cli_run("audit", "who-could-see", store["member"])
    first, named, consent = words.output.splitlines()
    assert re.fullmatch(r"On \d+ \w{3} \d{4} at \d\d:\d\d, 1 organisation could see Ada Lovelace's data\.", first)
    assert named.startswith("  Ada Lovelace (") and "(recorded axis)" in named
    assert consent.startswith("  - Eden Valley Credit Union could see Ada Lovelace's ")  # a trustee's sentence:
    assert "household income and outgoings" in consent and ", for affordable credit, from " in consent  # titles,
    assert consent.endswith(f"(consent {store['consent']})")  # the id as detail
    assert "affordable-credit" not in words.output and "household-finances" not in words.output  # no codes
    assert "UTC" in words.output and ("GMT" in words.output or "BST" in words.output)
    named = json.loads(cli_run("audit", "history", store["member"], "--json").output)[-1]
    assert named["text"] == "Read by the trust's staff: an audit answer (who could see the member's data)."
    answer = json.loads(cli_run("audit", "who-could-see", store["member"], "--json").output)
    assert answer["organisations"][0]["consents"][0]["consent_id"] == store["consent"]
    assert answer["organisations"][0]["purposes"] == ["affordable-credit"]  # JSON keeps the codes


def test_a_withdrawal_signed_earlier_shows_on_both_axes_and_in_late_facts(cli_run, store):
    before = json.loads(cli_run("audit", "who-could-see", store["member"], "--json").output)["at"]
    result = cli_run("consent", "revoke", store["consent"], "--evidence", "WD-1", "--effective-at", before)
    assert result.exit_code == 0 and "withdrawn" in result.output
    recorded = json.loads(cli_run("audit", "who-could-see", store["member"], "--at", before, "--json").output)
    effective = json.loads(
        cli_run("audit", "who-could-see", store["member"], "--at", before, "--axis", "effective", "--json").output
    )
    assert len(recorded["organisations"]) == 1 and effective["organisations"] == []
    late = cli_run("audit", "late-facts")
    assert "consent withdrawn (Ada Lovelace)" in late.output and "evidence WD-1" in late.output
    assert "could still see Ada Lovelace's data" in late.output


def test_what_could_see_explain_history_and_lists(cli_run, store):
    seen = cli_run("audit", "what-could-see", "Eden Valley Credit Union").output.splitlines()
    assert re.fullmatch(
        r"Eden Valley Credit Union could see the data of 1 member on \d+ \w{3} \d{4} at \d\d:\d\d\.", seen[0]
    )
    assert any(
        line.startswith("  - Ada Lovelace's household income and outgoings, for affordable credit, from ")
        for line in seen
    ), seen
    assert not any("affordable-credit" in line or "household-finances" in line for line in seen)
    period = json.loads(
        cli_run("audit", "what-could-see", store["org"], "--from", "2026-01-01", "--to", "2099-01-01", "--json").output
    )
    assert {g["category"] for g in period["grants"]} == {"housing", "household-finances"}
    yes = cli_run("audit", "explain", "Eden Valley Credit Union", store["member"], "housing")
    assert yes.output.startswith("Yes:") and store["consent"][:8] in yes.output
    no = cli_run("audit", "explain", "Eden Valley Credit Union", store["member"], "wellbeing")
    assert no.output.startswith("No:") and "never gave consent for “How you say you are feeling”" in no.output
    story = cli_run("audit", "history", store["member"]).output
    assert story.startswith("Ada Lovelace (") and "facts recorded, oldest first." in story
    assert "registered on paper (form PF-9), unconfirmed" in story and "Confirmed their membership" in story
    assert "Gave consent for affordable credit to Eden Valley Credit Union: " in story  # titles, not codes
    assert (
        "Confirmed their membership (in person with a second caseworker).  (by caseworker sam; caseworker:sam)" in story
    )
    coded = json.loads(cli_run("audit", "history", store["member"], "--json").output)
    assert any("for affordable-credit to Eden Valley Credit Union" in fact["text"] for fact in coded)  # JSON: codes
    assert "Ada Lovelace" in cli_run("member", "list").output
    assert "approved, agreement DSA-7" in cli_run("org", "list").output
    assert "active" in cli_run("consent", "list", store["member"]).output


def test_suspend_reinstate_leave_and_erase(cli_run, store):
    assert cli_run("org", "suspend", store["org"], "--reason", "Breach").exit_code == 0
    assert (
        "No organisation could see this member's data then."
        in cli_run("audit", "who-could-see", store["member"]).output
    )
    assert cli_run("org", "reinstate", store["org"], "--reason", "Fixed").exit_code == 0
    assert "Eden Valley" in cli_run("audit", "who-could-see", store["member"]).output
    assert cli_run("member", "leave", store["member"]).exit_code == 0
    assert cli_run("member", "erase", store["member"], "--yes").exit_code == 0
    assert "(erased member)" in cli_run("member", "list").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["consent", "grant", "{member}", "--purpose", "marketing", "--category", "housing", "--kind", "council"],
            f"Unknown purpose 'marketing': give one of {PURPOSES}\\.$",
        ),
        (
            ["consent", "grant", "{member}", "--purpose", "", "--category", "housing", "--kind", "council"],
            f"^error: Give a purpose: one of {PURPOSES}\\.$",
        ),
        (
            ["consent", "grant", "{member}", "--purpose", "research", "--category", "shoes", "--kind", "council"],
            f"Unknown category 'shoes': give one of {CATEGORIES}\\.$",
        ),
        (
            [
                "consent",
                "grant",
                "{member}",
                "--purpose",
                "research",
                "--category",
                "housing",
                "--kind",
                "researcher",
                "--effective-at",
                "2099-01-01",
            ],
            "future",
        ),
        (["consent", "revoke", "{consent}"], None),  # the first withdrawal is fine; see below
        (["member", "confirm", "00000000-0000-0000-0000-000000000000"], "No member is known"),
        (["org", "suspend", "Nobody Ltd", "--reason", "x"], "No organisation is known"),
        (["audit", "explain", "{org}", "{member}", "shoe-size"], "Unknown category 'shoe-size': give one of contact,"),
    ],
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(cli_run, store, args, message):
    args = [a.format(**store) for a in args]
    if message is None:
        assert cli_run(*args).exit_code == 0
        message = "not active: it was withdrawn"
    size = history_size(cli_run, store["member"])
    result = cli_run(*args)
    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 1 and re.search(message, error_lines[0]), result.output
    assert history_size(cli_run, store["member"]) == size


def test_malformed_times_and_usage_errors_exit_non_zero(cli_run, store):
    result = cli_run("audit", "who-could-see", store["member"], "--at", "last tuesday")
    assert result.exit_code == 2 and "is not a time" in result.output
    result = cli_run("audit", "who-could-see", store["member"], "--at", "0001-01-01T00:00+00:00")
    assert result.exit_code == 2 and "outside the years" in result.output
    result = cli_run("audit", "what-could-see", store["org"], "--from", "2026-01-01")
    assert result.exit_code == 2 and "--from and --to go together" in result.output
    result = cli_run("--actor", "wizard:merlin", "org", "list")
    assert result.exit_code == 1 and "Unknown actor role" in result.output


def test_projections_rebuild_and_catch_up(cli_run, store):
    before = cli_run("audit", "who-could-see", store["member"], "--json").output
    rebuilt = cli_run("projections", "rebuild")
    assert rebuilt.exit_code == 0 and re.search(r"from \d+ events", rebuilt.output)
    assert "Applied 0 events" in cli_run("projections", "catch-up").output
    after = cli_run("audit", "who-could-see", store["member"], "--json").output
    assert json.loads(before)["organisations"] == json.loads(after)["organisations"]


def test_demo_loads_a_history_once_and_reports(cli_run):
    first = cli_run("demo")
    assert (
        first.exit_code == 0 and "Loaded a demo history: 36 members" in first.output and "Late facts:" in first.output
    )
    again = cli_run("demo")
    assert again.exit_code == 1 and "only loads into an empty store" in again.output
    assert "not loading the demo" in cli_run("demo", "--if-empty").output


def test_the_consent_catalogue_counts_consents_in_force(cli_run, store):
    rows = {r["purpose"]: r for r in json.loads(cli_run("consent", "catalogue", "--json").output)}
    assert rows["affordable-credit"]["consents_in_force"] == 1 and rows["research"]["consents_in_force"] == 0
    cli_run("consent", "revoke", store["consent"])
    assert "Affordable credit (notice v2, 0 in force)" in cli_run("consent", "catalogue").output


def test_an_organisation_actor_may_not_register_a_member(cli_run, store):
    before = cli_run("member", "list", "--json").output
    result = cli_run("--actor", "organisation:eden-lender", "member", "register", "Olga Five")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: An organisation may not register members; the member does it themself or through a caseworker."
    )
    assert cli_run("member", "list", "--json").output == before


def test_an_operator_registration_is_unconfirmed_and_says_so(cli_run, store):
    result = cli_run("member", "register", "Olga Five", "--channel", "web")
    assert result.exit_code == 0 and "(unconfirmed until they confirm)" in result.output
    member = created_id(result)
    story = cli_run("audit", "history", member).output
    assert "registered on their behalf on the web, unconfirmed" in story and "joined" not in story


def test_the_demo_shows_every_capability(cli_run, settings):
    """Community insight consents (enough for a new panel), a closed insight request with its
    anonymised result, a proposal closed with its count and one still open for votes."""
    from datetime import timedelta

    from adapters.bootstrap import bootstrap
    from domain.insight.model import PanelCriteria
    from domain.kernel.actors import Actor
    from tests.integration.insight_support import QUESTIONS

    assert cli_run("demo", "--no-report").exit_code == 0
    rows = {r["purpose"]: r for r in json.loads(cli_run("consent", "catalogue", "--json").output)}
    assert rows["community-insight"]["consents_in_force"] >= 20
    svc = bootstrap(settings)
    try:
        [listed] = svc.views.insight_requests(status="closed")
        closed = svc.views.insight_request(listed["id"])
        result = closed["result"]
        assert closed["title"] == "Buses in Cumbria" and result["respondents"] >= result["min_cell"]
        shown = [
            (table["question"], option, cell["count"])
            for table in result["tables"]
            for option, cell in table["rows"][0]["answers"].items()
            if not cell["suppressed"]
        ]
        withheld = [
            option
            for table in result["tables"]
            for option, cell in table["rows"][0]["answers"].items()
            if cell["suppressed"]
        ]
        assert shown and withheld  # counts released, small groups withheld
        by_status = {p["status"]: p for p in svc.views.proposals()}
        assert set(by_status) == {"open", "closed"}
        assert sum(by_status["closed"]["tally"]) > 0 and by_status["open"]["closes_at"] > svc.clock()
        council = closed["organisation_id"]  # a new panel can be drawn from the demo's community
        asked = svc.trust.submit_insight_request(
            council,
            "Libraries",
            "community-insight",
            QUESTIONS,
            PanelCriteria(size=15),
            0,
            svc.clock() + timedelta(days=7),
            Actor("organisation", "council portal"),
        )
        svc.trust.review_insight_request(asked, "approve", "Fine.", Actor("trustee", "tess"))
        svc.trust.draw_panel(asked, Actor("trustee", "tess"))
        assert len(svc.views.panel_roster(asked)) == 15
    finally:
        svc.close()


def test_the_demo_holds_shared_data_that_its_lender_and_funders_can_read(cli_run, settings):
    """A newcomer's `make run` shows the data the trust holds: members' household finances for the
    demo lender, and two social businesses' profiles and funding histories for their two funders."""
    from adapters.bootstrap import bootstrap
    from domain.kernel.actors import Actor

    result = cli_run("demo", "--no-report")
    assert result.exit_code == 0 and "36 members and 14 social businesses, 4 organisations" in result.output
    svc = bootstrap(settings)
    try:
        organisations = {o["name"]: o["organisation_id"] for o in svc.views.organisations()}
        lender = organisations["Eden Valley Credit Union"]
        readable = []
        for member in svc.views.members():
            outcome = svc.trust.record_access(
                lender, member["member_id"], "affordable-credit", ["household-finances"], Actor("organisation", "t")
            )
            if outcome.granted and svc.trust.shared_data(member["member_id"], ["household-finances"]):
                readable.append(member["member_id"])
        assert len(readable) >= 10
        businesses = [m for m in svc.views.members() if m["kind"] == "organisation-member"]
        applicants = [b for b in businesses if "funding-history" in svc.trust.shared_data(b["member_id"])]
        assert len(businesses) == 14 and len(applicants) == 2
        for business in applicants:
            shared = svc.trust.shared_data(business["member_id"])
            assert shared["organisation-profile"].values["org-id"].startswith("GB-")
            assert shared["funding-history"].values
            reads = [r for r in svc.views.history(business["member_id"]) if r["what"] == "read"]
            assert {r["organisation"] for r in reads} == {"Northern Community Fund", "Fell Foot Social Investment"}
        bakery = next(b["member_id"] for b in businesses if b["name"] == "Quarry Lane Community Bakery")
        compared = svc.views.benchmark_report(bakery, svc.clock(), svc.trust.disclosure_rules())
        sector = compared.groups[0]  # all fourteen agreed; thirteen are in food and hospitality
        assert sector.peers == 13 and sector.comparisons["annual-income"].median is not None
    finally:
        svc.close()


def test_member_show_gives_what_the_member_shared_in_words(cli_run, store, settings):
    from adapters.bootstrap import bootstrap
    from domain.kernel.actors import Actor

    svc = bootstrap(settings)
    try:
        svc.trust.share_data(
            UUID(store["member"]),
            "housing",
            {"tenure": "social-rent", "bedrooms": 2, "repairs-needed": True},
            Actor("caseworker", "cal"),
            "paper",
            evidence_ref="PF-12",
        )
    finally:
        svc.close()
    text = cli_run("member", "show", store["member"]).output
    assert "shared housing (Your housing situation), version 1," in text
    assert "Tenure: Rent from a council or housing association; Bedrooms: 2 bedrooms; Repairs needed: Yes" in text
    shown = json.loads(cli_run("member", "show", store["member"], "--json").output)
    assert shown["shared"]["housing"]["fields"] == {"tenure": "social-rent", "bedrooms": 2, "repairs-needed": True}
