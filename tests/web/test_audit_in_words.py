"""The trustees' audit pages answer in sentences: names and the catalogue's titles
first, ids only as small detail; on SQLite and on PostgreSQL."""

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from adapters.bootstrap import bootstrap
from adapters.cli.main import cli
from adapters.settings import Settings
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import cheap_password_hashing

MEMBER = Actor("member", "aisha")
CASS = Actor("caseworker", "cass")


@pytest.fixture
def web_services(tmp_path, web_clock, database_url):
    """The web pages on each database (SQLite, and PostgreSQL when it is there)."""
    settings = Settings.from_environment(
        {"DATATRUST_DATABASE_URL": database_url, "DATATRUST_VAR": str(tmp_path / "var")}
    )
    built = bootstrap(settings, clock=web_clock, password_hasher=cheap_password_hashing())
    yield built
    built.close()


@pytest.fixture
def story(web_services, web_clock, lender):
    """Monday: Aisha consents on paper (form PF-1024); Ben is registered on paper, unconfirmed.
    Wednesday: the lender reads Aisha's household finances through its API token.
    Thursday: Aisha's withdrawal, signed on Tuesday, is entered (late). Friday: Ben's
    confirmation, made on Tuesday, is entered (late)."""
    trust = web_services.trust
    organisation_id, _token = lender
    token_id, _second = trust.issue_api_token(organisation_id, "loan system", TRUSTEE)
    monday = web_clock()
    aisha = trust.register_member("Aisha Elliot", MEMBER, channel="bot", profile={"area": "CA11"})
    consent_id = trust.grant_consent(
        aisha,
        "affordable-credit",
        ["contact", "household-finances"],
        Audience(kind="social-lender"),
        CASEWORKER,
        collected_via="paper",
        evidence_ref="PF-1024",
    )
    ben = trust.register_member("Ben Nakamura", CASEWORKER, channel="paper", evidence_ref="PF-2000")
    tuesday = web_clock.advance(days=1)
    wednesday = web_clock.advance(days=1)
    trust.record_access(
        organisation_id,
        aisha,
        "affordable-credit",
        ["household-finances"],
        Actor("organisation", f"api token {token_id}"),
    )
    web_clock.advance(days=1)
    trust.revoke_consent(consent_id, TRUSTEE, effective_at=tuesday, evidence_ref="WD-1")
    web_clock.advance(days=1)
    trust.confirm_member(ben, CASS, "in person with a second caseworker", effective_at=tuesday)
    web_clock.advance(hours=1)
    views = web_services.views
    return {
        "organisation_id": organisation_id,
        "aisha": aisha,
        "ben": ben,
        "code": views.member_card(aisha)["reference_code"],
        "consent_id": consent_id,
        "monday": monday,
        "wednesday_noon": wednesday + timedelta(hours=3),
    }


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#39;", "'").replace("&#34;", '"')


def staff_reads(web_services, member_id) -> list[str]:
    return [r["text"] for r in web_services.views.who_read(member_id) if r["staff"]]


YES = (
    "Yes: Eden Valley Credit Union could see Aisha Elliot's household income and outgoings on 4 Mar 2026 at 12:00, "
    "under their consent of 2 Mar 2026 for affordable credit, given on paper (form PF-1024)."
)


def test_explain_answers_first_in_one_sentence_the_same_as_the_command_line(trustee, web_services, story, monkeypatch):
    at = "2026-03-04T12:00"  # a datetime-local input, UK time (GMT in March)
    url = (
        f"/trustee/audit/explain?organisation={story['organisation_id']}&member={story['code']}"
        f"&category=household-finances&at={at}&axis=recorded"
    )
    response = trustee.get(url)
    html = trustee.text(response)
    assert response.status_code == 200
    main = html[html.index("<main") :]
    sentence = main.index(YES.replace("'", "&#39;"))
    # The answer comes before its details and before the form to ask again.
    assert sentence < main.index("<dl") < main.index("<form")
    page = visible(main)
    assert "Consent relied on Affordable credit, given 2 Mar 2026 on paper (form PF-1024)" in page
    assert "True" not in page and "affordable-credit" not in page
    # The consent id is there, but only as small detail.
    assert f'<span class="detail-id">consent {story["consent_id"]}</span>' in main
    # The command line says the very same sentence.
    monkeypatch.setenv("DATATRUST_DATABASE_URL", web_services.settings.database_url)
    monkeypatch.setenv("DATATRUST_MASTER_KEY_FILE", str(web_services.settings.master_key_file))
    said = CliRunner().invoke(
        cli,
        ["--actor", "trustee:tess", "audit", "explain", str(story["organisation_id"]), story["code"]]
        + ["household-finances", "--at", "2026-03-04 12:00"],
        catch_exceptions=False,
    )
    assert said.exit_code == 0 and said.output.splitlines()[0] == YES
    # As now known, she had withdrawn on Tuesday: the answer is No, and says why.
    no = visible(trustee.text(trustee.get(url.replace("axis=recorded", "axis=effective"))))
    assert (
        "No: Eden Valley Credit Union could not see Aisha Elliot's household income and outgoings "
        "on 4 Mar 2026 at 12:00." in no
    )
    assert "Why not" in no and "for affordable credit was withdrawn at" in no and "affordable-credit" not in no


def test_who_could_see_and_what_could_see_name_people_and_the_catalogues_titles(trustee, web_services, story):
    before = staff_reads(web_services, story["aisha"])
    html = trustee.text(trustee.get(f"/trustee/audit/who-could-see?member={story['code']}&at=2026-03-04T12:00"))
    page = visible(html)
    assert "On 4 Mar 2026 at 12:00, 1 organisation could see Aisha Elliot's data." in page
    assert "Eden Valley Credit Union Affordable credit How to reach you (name, phone, chat); Household income" in page
    assert "affordable-credit" not in page and "household-finances" not in page
    # The page names her: a staff read, in her history like every other.
    assert staff_reads(web_services, story["aisha"]) == [
        *before,
        "Read by the trust's staff: an audit answer (who could see the member's data).",
    ]
    what = visible(
        trustee.text(
            trustee.get(f"/trustee/audit/what-could-see?organisation={story['organisation_id']}&start=2026-03-02T10:00")
        )
    )
    assert "Eden Valley Credit Union could see the data of 1 member on 2 Mar 2026 at 10:00." in what
    assert f"Aisha Elliot {story['aisha']} Household income and outgoings Affordable credit" in what


def test_what_could_see_with_no_start_means_now_as_on_the_command_line(trustee, web_services, story, lender):
    organisation_id = story["organisation_id"]
    web_services.trust.grant_consent(
        story["ben"], "affordable-credit", ["contact"], Audience(kind="social-lender"), CASEWORKER
    )
    response = trustee.get(f"/trustee/audit/what-could-see?organisation={organisation_id}&start=&end=&axis=recorded")
    page = visible(trustee.text(response))
    assert response.status_code == 200, page
    assert "Eden Valley Credit Union could see the data of 1 member on 6 Mar 2026 at 10:00." in page
    assert "Ben Nakamura" in page and "Aisha Elliot" not in page  # she withdrew; now only Ben
    assert "From (optional)" in page and "Blank means now." in page


def test_a_members_history_says_who_did_what_by_name(trustee, story):
    page = visible(trustee.text(trustee.get(f"/trustee/audit/history?member={story['code']}")))
    assert (
        "Eden Valley Credit Union read Household income and outgoings for affordable credit. "
        "Eden Valley Credit Union (API token “loan system”)" in page
    )
    assert "Gave consent for affordable credit to every approved social lender: How to reach you" in page
    assert "Withdrew consent for affordable credit." in page
    who = visible(trustee.text(trustee.get(f"/trustee/audit/who-read?member={story['code']}")))
    assert "Aisha Elliot's data was read" in who and "Eden Valley Credit Union" in who
    assert "Eden Valley Credit Union read Household income and outgoings for affordable credit." in who  # titles


def test_late_facts_newest_first_with_who_read_what_and_what_happened(trustee, web_services, story):
    html = trustee.text(trustee.get("/trustee/audit/late-facts"))
    page = visible(html)
    assert page.index("Membership confirmed: Ben Nakamura") < page.index("Consent withdrawn: Aisha Elliot")
    assert (
        "Ben Nakamura confirmed their membership on 3 Mar 2026 at 09:00, but it was recorded only on "
        "6 Mar 2026 at 09:00. Until then the system treated them as unconfirmed: no organisation could see "
        "their data, even under consents they had given." in page
    )
    assert "did not yet allow access that was already agreed" not in page
    assert "Meanwhile Eden Valley Credit Union could still see Aisha Elliot's data" in page
    assert (
        "Reads in the window Eden Valley Credit Union read Aisha Elliot's household income and outgoings "
        "on 4 Mar 2026 at 09:00" in page
    )
    assert "by trustee tess" in page and "could still see member" not in page


def test_late_facts_can_be_chosen_by_kind_reads_and_dates_and_paged(trustee, story, monkeypatch):
    def headings(url: str) -> list[str]:
        return re.findall(r"<section>\s*<h2>(.*?)</h2>", trustee.text(trustee.get(url)), re.S)

    assert headings("/trustee/audit/late-facts?kind=membership+confirmed") == ["Membership confirmed: Ben Nakamura"]
    assert headings("/trustee/audit/late-facts?with_reads=yes") == ["Consent withdrawn: Aisha Elliot"]
    assert headings("/trustee/audit/late-facts?start=2026-03-05&end=2026-03-05") == ["Consent withdrawn: Aisha Elliot"]
    assert headings("/trustee/audit/late-facts?start=2026-03-07") == []
    assert "No late fact matches what you chose." in trustee.text(
        trustee.get("/trustee/audit/late-facts?start=2026-03-07")
    )
    monkeypatch.setattr("adapters.web.audit.LATE_FACTS_PER_PAGE", 1)
    first = trustee.text(trustee.get("/trustee/audit/late-facts"))
    assert "2 late facts, page 1 of 2" in visible(first) and "Membership confirmed: Ben" in first
    assert 'href="/trustee/audit/late-facts?page=2">Older late facts' in first
    second = trustee.text(trustee.get("/trustee/audit/late-facts?page=2"))
    assert "Consent withdrawn: Aisha Elliot" in second and "Newer late facts" in second


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("kind=consent+sold", "There is no kind of late fact called 'consent sold'; choose one from the list."),
        ("start=last+week", "Recorded from: 'last week' is not a date; write it like 2026-03-02."),
        ("start=2026-03-06&end=2026-03-05", "Recorded until must be on or after Recorded from."),
        ("page=-3", "The page number must be a whole number, 1 or more."),
    ],
)
def test_a_bad_late_facts_filter_gets_a_sentence_and_reads_nothing(trustee, web_services, story, query, said):
    before = {m: staff_reads(web_services, story[m]) for m in ("aisha", "ben")}
    response = trustee.get(f"/trustee/audit/late-facts?{query}")
    page = visible(trustee.text(response))
    assert response.status_code == 400 and said in page
    assert "Aisha Elliot" not in page and "Ben Nakamura" not in page
    assert {m: staff_reads(web_services, story[m]) for m in ("aisha", "ben")} == before


def test_a_trustee_finds_the_member_they_audit_by_name_and_the_search_is_a_staff_read(trustee, web_services, story):
    assert trustee.get("/members?q=Aisha").status_code == 403  # not a caseworker
    index = trustee.text(trustee.get("/trustee/audit"))
    assert 'href="/trustee/audit/members"' in index
    before = staff_reads(web_services, story["aisha"])
    html = trustee.text(trustee.get("/trustee/audit/members?q=aish"))
    assert "1 member found" in html and "Aisha Elliot" in html
    assert f'href="/trustee/audit/who-could-see?member={story["code"]}"' in html
    assert staff_reads(web_services, story["aisha"]) == [*before, "Read by the trust's staff: search results (audit)."]
    nobody = trustee.text(trustee.get("/trustee/audit/members?q=Zebedee"))
    assert 'No member matches "Zebedee"' in nobody
    assert staff_reads(web_services, story["aisha"]) == [*before, "Read by the trust's staff: search results (audit)."]


def test_bad_audit_questions_get_a_sentence_and_record_no_read(trustee, web_services, story):
    before = staff_reads(web_services, story["aisha"])
    unknown = trustee.get(
        f"/trustee/audit/explain?organisation={story['organisation_id']}&member=nobody&category=contact&axis=recorded"
    )
    assert unknown.status_code == 400 and "No member is known by nobody" in visible(trustee.text(unknown))
    when = trustee.get(
        f"/trustee/audit/explain?organisation={story['organisation_id']}&member={story['code']}"
        "&category=contact&at=teatime&axis=recorded"
    )
    assert when.status_code == 400 and "'teatime' is not a date and time" in visible(trustee.text(when))
    history = trustee.get("/trustee/audit/history?member=nobody")
    assert history.status_code == 400 and "No member is known by nobody" in visible(trustee.text(history))
    assert staff_reads(web_services, story["aisha"]) == before
