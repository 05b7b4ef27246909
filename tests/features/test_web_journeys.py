"""The caseworker and trustee journeys through the web pages: features/web/.

Every step acts as a person at a browser would: it opens a page, fills in the
form that page shows (its CSRF token included, as in production), follows the
redirect and reads what the next page says. Form fields are found by the label
a person reads beside them, not by their names in the HTML. Organisations read
through the API with their bearer token. Nothing here calls the trust directly:
the application is the real Flask app on the real services, on SQLite, with a
clock the scenario moves (tests/web/conftest.py).
"""

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode, urlsplit

import parse
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features import language
from tests.features.language import AXES, LOCAL, quoted_names
from tests.web import conftest as web
from tests.web.conftest import PAPER_FORM, Web

# The web fixtures (tests/web/conftest.py): the real app on SQLite, signed-in staff.
web_clock, web_services, app, people, anonymous = web.web_clock, web.web_services, web.app, web.people, web.anonymous
caseworker, second_caseworker, trustee, lender = web.caseworker, web.second_caseworker, web.trustee, web.lender

scenarios("web")

# The staff named in features/web/, and the signed-in fixtures they stand for.
STAFF = {"Cal": "caseworker", "Cass": "second_caseworker", "Tess": "trustee"}
TRUSTEE_PAGES = {
    "the trustees' dashboard": "/trustee",
    "the staff accounts": "/trustee/staff",
    "the organisations": "/trustee/organisations",
    "the late-facts report": "/trustee/audit/late-facts",
    "who could see a member's data": "/trustee/audit/who-could-see",
}
NEW_PASSWORD = "a kettle on the drop-in table"  # noqa: S105 - a test account's password


@parse.with_pattern(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}")
def day(text: str) -> date:
    """'Friday 27 February 2026'; the weekday must match the date."""
    parsed = datetime.strptime(text, "%A %d %B %Y")
    if parsed.strftime("%A") != text.split()[0]:
        raise ValueError(f"{text!r}: {parsed:%d %B %Y} is a {parsed:%A}")
    return parsed.date()


def words(pattern: str) -> parsers.parse:
    """A step pattern: {x:Moment} a time, {x:Day} a date, {x:Q} the text between quotes."""
    return parsers.parse(pattern, extra_types={**language.TYPES, "Day": day})


# What a person sees


def visible(page: str) -> str:
    """The words on a page, as a person reads them: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def pairs(page: str) -> dict[str, str]:
    """The label/value lines of the page's summary lists (<dt>/<dd>)."""
    return {
        visible(term): visible(value) for term, value in re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    }


def table_rows(page: str) -> list[list[str]]:
    """The body rows of the page's tables, each as the words in its cells."""
    bodies = "".join(re.findall(r"<tbody[^>]*>(.*?)</tbody>", page, re.S))
    return [
        [visible(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", bodies, re.S)
    ]


def link_to(page: str, text: str, under: str = "/") -> str:
    """Where the link with these words goes."""
    for href, words_ in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', page, re.S):
        if visible(words_) == text and html.unescape(href).startswith(under):
            return html.unescape(href)
    raise AssertionError(f"no link {text!r} on the page")


def field_named(page: str, label: str) -> str:
    """The form field a person knows by its label (its id, which is also its name).
    'Affordable credit: Which data' is the 'Which data' inside the box for that purpose."""
    scope = page
    if ": " in label and f"<legend>{html.escape(label.split(': ', 1)[0])}</legend>" in page:
        box, label = label.split(": ", 1)
        start = page.index(f"<legend>{html.escape(box)}</legend>")
        end = page.find('<fieldset class="consent">', start)
        scope = page[start : end if end != -1 else len(page)]
    for field_id, text in re.findall(r'<label for="([^"]+)">(.*?)</label>', scope, re.S):
        if visible(text) == label:
            return field_id
    group = r'<legend>([^<]*)</legend>(?:(?!<legend>).)*?<ul class="choices" id="([^"]+)">'
    for text, field_id in re.findall(group, scope, re.S):
        if visible(text) == label:
            return field_id
    raise AssertionError(f"no field labelled {label!r} on the page")


def value_in(page: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no input {field_id!r}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def local_form_time(moment: datetime) -> tuple[str, str]:
    """A moment as a person writes it on a form: UK date and time."""
    local = moment.astimezone(LOCAL)
    return local.date().isoformat(), local.strftime("%H:%M")


# The scenario: who is at which browser, and what they last saw


@dataclass
class Journey:
    request: pytest.FixtureRequest
    app: object
    people: dict[str, Web] = field(default_factory=dict)
    forms: dict[str, dict] = field(default_factory=dict)  # member -> their paper form, as filled in
    members: dict[str, str] = field(default_factory=dict)  # member -> their page
    codes: dict[str, str] = field(default_factory=dict)  # member -> reference code, as the page shows it
    tokens: dict[str, str] = field(default_factory=dict)  # organisation -> its API token
    links: dict[str, str] = field(default_factory=dict)  # username -> their one-time sign-in link
    typed: dict[str, str] = field(default_factory=dict)  # field label -> what was typed into it
    viewer: Web | None = None  # the person who acted last
    response: object = None  # the answer to what they did, before any redirect
    page: str = ""  # the page they then saw
    api: object = None  # the API's last answer
    download: object = None

    def person(self, name: str) -> Web:
        if name not in self.people:
            assert name in STAFF, f"nobody called {name!r} works at the trust in these scenarios"
            self.people[name] = self.request.getfixturevalue(STAFF[name])
        return self.people[name]

    def see(self, web: Web, response) -> str:  # type: ignore[no-untyped-def]
        """Follow redirects as the browser does, and remember the page the person ends on."""
        self.viewer, self.response = web, response
        while response.status_code in (301, 302, 303):
            response = web.get(response.headers["Location"])
        self.page = web.text(response)
        return self.page

    def member_id(self, name: str) -> str:
        return self.members[name].rsplit("/", 1)[1]


@pytest.fixture(autouse=True)
def whole_trust():
    """These journeys run on the web fixtures' own trust (SQLite), not on the
    per-database trust that tests/features/conftest.py starts for the other features."""


@pytest.fixture
def journey(request, app) -> Journey:
    return Journey(request, app)


@pytest.fixture
def catalogue(web_services):
    return web_services.catalogue


# Time (the trust's clock; sessions keep real time)


@given(words("it is {instant:Moment}"))
@when(words("it is {instant:Moment}"))
def time_is(web_clock, instant):
    assert instant >= web_clock.now, f"a scenario's time only moves forward (it was already {web_clock.now})"
    web_clock.now = instant


# Staff signing in


@given(words('caseworkers "{first:Q}" and "{second:Q}" have signed in'))
def caseworkers_signed_in(journey, first, second):
    journey.person(first)
    journey.person(second)


@given(words('caseworker "{name:Q}" has signed in'))
@given(words('trustee "{name:Q}" has signed in'))
def signed_in(journey, name):
    journey.person(name)


# Organisations, and their reads through the API


@given(words('"{name:Q}", a {kind}, has been approved by the trustees and given an API token'))
def approved_lender_with_token(journey, lender, web_services, catalogue, name, kind):
    organisation_id, token = lender
    organisation = web_services.views.organisation(organisation_id)
    assert (organisation["name"], organisation["kind"]) == (name, language.organisation_kind(catalogue, kind))
    journey.tokens[name] = token


def api_read(journey, catalogue, organisation, member, purpose):
    client = journey.app.test_client()
    query = urlencode({"purpose": language.purpose(catalogue, purpose)})
    headers = {"Authorization": f"Bearer {journey.tokens[organisation]}"}
    journey.api = client.get(f"/api/v1/members/{journey.member_id(member)}?{query}", headers=headers)
    return journey.api


@when(words('"{organisation:Q}" asks the API for the data of "{member:Q}" for {purpose}'))
def asks_the_api(journey, catalogue, organisation, member, purpose):
    api_read(journey, catalogue, organisation, member, purpose)


@given(words('"{organisation:Q}" has read the data of "{member:Q}" through the API for {purpose}'))
def has_read(journey, catalogue, organisation, member, purpose):
    response = api_read(journey, catalogue, organisation, member, purpose)
    assert response.status_code == 200, response.get_json()


@then(words('the API refuses with "{message:Q}"'))
def api_refuses(journey, message):
    assert journey.api.status_code == 403, (journey.api.status_code, journey.api.get_json())
    assert journey.api.get_json()["error"] == message


@then(words("the API gives {pronoun:w} {categories}, and withholds the rest"))
def api_gives(journey, catalogue, pronoun, categories):
    assert journey.api.status_code == 200, journey.api.get_json()
    body = journey.api.get_json()
    wanted = language.categories(catalogue, categories)
    assert sorted(body["fields"]) == sorted(wanted)
    assert sorted(body["withheld"]) == sorted(set(catalogue.categories) - set(wanted))
    if "contact" in wanted:
        assert body["fields"]["contact"]["contact"]


# Members registered from paper forms


@given(
    words(
        '"{name:Q}" has filled in paper form "{form:Q}" on {signed:Day}, agreeing that every approved {kind} '
        "may see {pronoun:w} {categories} for {purpose}"
    )
)
def paper_form(journey, catalogue, name, form, signed, kind, pronoun, categories, purpose):
    filled = {k: v for k, v in PAPER_FORM.items() if not k.startswith(("consent_", "audience_", "categories_"))}
    code = language.purpose(catalogue, purpose)
    filled.update(
        {
            "name": name,
            "form_ref": form,
            "signed_on": signed.isoformat(),
            f"consent_{code}": "y",
            f"audience_{code}": f"kind:{language.organisation_kind(catalogue, kind)}",
            f"categories_{code}": language.categories(catalogue, categories),
        }
    )
    journey.forms[name] = filled


@given(words('caseworker "{worker:Q}" has registered "{name:Q}" from {pronoun:w} paper form'))
@when(words('caseworker "{worker:Q}" registers "{name:Q}" from {pronoun:w} paper form'))
def registers(journey, worker, name, pronoun):
    web = journey.person(worker)
    response = web.form("/members/new", journey.forms[name])
    assert response.status_code == 302, visible(web.text(response))
    journey.members[name] = urlsplit(response.headers["Location"]).path
    page = journey.see(web, response)
    journey.codes[name] = visible(re.search(r'<dd class="code">(.*?)</dd>', page, re.S).group(1))


@then(words('the page shows the reference code of "{name:Q}"'))
def shows_code(journey, name):
    code = journey.codes[name]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code), code
    assert pairs(journey.page)["Reference code"] == code


@then(words('the page shows {pronoun:w} consent for {purpose} as "{status:Q}"'))
def consent_shown_as(journey, pronoun, purpose, status):
    rows = [row for row in table_rows(journey.page) if row and row[0].lower() == purpose.lower()]
    assert len(rows) == 1, table_rows(journey.page)
    assert rows[0][3].startswith(status), rows[0]


def confirm(journey, worker, name):
    web = journey.person(worker)
    member_page = web.get(journey.members[name])
    confirm_page = link_to(web.text(member_page), "in person with a second caseworker")
    response = web.form(confirm_page, {"seen": "y"})
    journey.see(web, response)
    return response


@given(words('caseworker "{worker:Q}" has confirmed the membership of "{name:Q}" in person'))
@when(words('caseworker "{worker:Q}" confirms the membership of "{name:Q}" in person'))
def confirms(journey, worker, name):
    response = confirm(journey, worker, name)
    assert response.status_code == 302, visible(journey.page)


@when(words('caseworker "{worker:Q}" tries to confirm the membership of "{name:Q}" in person'))
def tries_to_confirm(journey, worker, name):
    confirm(journey, worker, name)


@then(words('the page for "{name:Q}" still says "{text:Q}"'))
def member_page_still_says(journey, name, text):
    web = journey.viewer
    assert text in visible(web.text(web.get(journey.members[name])))


def record_withdrawal(journey, catalogue, worker, member, purpose, form, signed):
    web = journey.person(worker)
    title = catalogue.purposes[language.purpose(catalogue, purpose)].title
    member_page = web.text(web.get(journey.members[member]))
    withdraw_page = link_to(member_page, f"Record withdrawal of {title}")
    page = web.text(web.get(withdraw_page))
    choice = next(
        field_id
        for field_id, text in re.findall(r'<label for="(consent-\d+)">(.*?)</label>', page, re.S)
        if visible(text).startswith(f"{title}:")
    )
    consent_id = value_in(page, choice)
    signed_on, signed_time = local_form_time(signed)
    data = {"consent": consent_id, "signed_on": signed_on, "signed_time": signed_time, "form_ref": form}
    response = web.post(urlsplit(withdraw_page).path, data)
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)


@given(
    words(
        'caseworker "{worker:Q}" has recorded that "{member:Q}" withdrew {pronoun:w} consent for {purpose} '
        'on paper form "{form:Q}", signed on {signed:Moment}'
    )
)
@when(
    words(
        'caseworker "{worker:Q}" records that "{member:Q}" withdrew {pronoun:w} consent for {purpose} '
        'on paper form "{form:Q}", signed on {signed:Moment}'
    )
)
def records_withdrawal(journey, catalogue, worker, member, pronoun, purpose, form, signed):
    record_withdrawal(journey, catalogue, worker, member, purpose, form, signed)


# Finding members


@given(words('caseworker "{worker:Q}" has searched for "{text:Q}"'))
@when(words('caseworker "{worker:Q}" searches for "{text:Q}"'))
def searches(journey, worker, text):
    web = journey.person(worker)
    journey.see(web, web.get("/members?" + urlencode({"q": text})))


@when(words('caseworker "{worker:Q}" searches for the reference code of "{name:Q}"'))
def searches_for_code(journey, worker, name):
    searches(journey, worker, journey.codes[name])


@when(
    words(
        'caseworker "{worker:Q}" searches for the reference code of "{name:Q}", typed in lower case without the hyphen'
    )
)
def searches_for_code_as_typed(journey, worker, name):
    searches(journey, worker, journey.codes[name].replace("-", "").lower())


@then(words('the search finds only "{name:Q}", with {pronoun:w} reference code, as "{status:Q}"'))
def finds_only(journey, name, pronoun, status):
    assert journey.response.status_code == 200
    assert "1 member found" in visible(journey.page)
    assert [row[:3] for row in table_rows(journey.page)] == [[name, journey.codes[name], status]]


# Forms with mistakes


@when(words('caseworker "{worker:Q}" sends the paper form of "{name:Q}" with these mistakes:'))
def sends_form_with_mistakes(journey, worker, name, datatable):
    web = journey.person(worker)
    blank = web.text(web.get("/members/new"))
    data = dict(journey.forms[name])
    for label, typed in datatable[1:]:
        key = field_named(blank, label)
        data.pop(key, None)
        if typed:
            data[key] = typed
        journey.typed[label] = typed
    journey.see(web, web.post("/members/new", data))


@then(words('the form comes back saying "{summary:Q}", keeping what was typed, with beside each field:'))
def form_comes_back(journey, summary, datatable):
    assert journey.response.status_code == 400, journey.response.status_code
    page = journey.page
    assert summary in visible(page)
    for label, error in datatable[1:]:
        field_id = field_named(page, label)
        note = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
        assert note, f"no error beside {label!r}"
        assert error in visible(note.group(1)), visible(note.group(1))
        if journey.typed.get(label):
            assert value_in(page, field_id) == journey.typed[label], label


@then(words('"{label:Q}" still says "{value:Q}"'))
def still_says(journey, label, value):
    assert value_in(journey.page, field_named(journey.page, label)) == value


# Pages and what they say


@then(words('the page says "{text:Q}"'))
def page_says(journey, text):
    assert text in visible(journey.page), visible(journey.page)


@then("the page reads:")
def page_reads(journey, datatable):
    shown = pairs(journey.page)
    for label, value in datatable:
        assert shown.get(label) == value, shown


@when(words('caseworker "{worker:Q}" opens each of the trustees\' pages:'), target_fixture="refusals")
def opens_trustee_pages(journey, worker, datatable):
    web = journey.person(worker)
    return {page: web.get(TRUSTEE_PAGES[page]) for (page,) in datatable[1:]}


@then(words('every one is refused with "{message:Q}"'))
def every_one_refused(refusals, message):
    for page, response in refusals.items():
        text = visible(response.get_data(as_text=True))
        assert response.status_code == 403, (page, response.status_code)
        assert "Not allowed" in text and message in text, (page, text)


@then(words('trustee "{name:Q}" sees "{text:Q}" on the dashboard'))
def dashboard_shows(journey, name, text):
    web = journey.person(name)
    assert text in visible(web.text(web.get("/trustee")))


# Staff accounts


def open_account(journey, trustee_name, username):
    web = journey.person(trustee_name)
    response = web.form("/trustee/staff", {"username": username, "roles": ["caseworker"]})
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)  # post/redirect/get: the link on the next page
    link = re.search(r'<p class="secret">(.*?)</p>', journey.page, re.S)
    if link:
        journey.links[username] = urlsplit(html.unescape(link.group(1).strip())).path


def choose_password(journey, username):
    web = Web(journey.app.test_client())
    response = web.form(journey.links[username], {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)
    journey.people[username] = web


@when(words('trustee "{name:Q}" opens a caseworker account for "{username:Q}"'))
def opens_account(journey, name, username):
    open_account(journey, name, username)


@given(
    words(
        'trustee "{name:Q}" has opened a caseworker account for "{username:Q}", who has chosen a password with the link'
    )
)
def account_in_use(journey, name, username):
    open_account(journey, name, username)
    choose_password(journey, username)


@then(words('the page gives a one-time sign-in link for "{username:Q}"'))
def gives_link(journey, username):
    assert f"Sign-in link for {username}." in visible(journey.page)
    assert "It works once" in visible(journey.page)
    assert journey.links[username].startswith("/welcome/")
    assert [username, "caseworker", "active (no password yet)"] in [row[:3] for row in table_rows(journey.page)]


@when(words('"{username:Q}" follows the link and chooses a password'))
def follows_link(journey, username):
    choose_password(journey, username)


@then(words('"{username:Q}" is signed in, on the page "{heading:Q}"'))
def signed_in_on(journey, username, heading):
    assert f"Signed in as {username}" in visible(journey.page)
    assert f"<h1>{heading}</h1>" in journey.page


@then("the link no longer works")
def link_used(journey, anonymous):
    (link,) = journey.links.values()
    response = anonymous.get(link)
    assert response.status_code == 404
    assert "This sign-in link cannot be used" in visible(anonymous.text(response))


@when(words('trustee "{name:Q}" disables the account of "{username:Q}"'))
def disables(journey, name, username):
    web = journey.person(name)
    account = link_to(web.text(web.get("/trustee/staff")), username, under="/trustee/staff/")
    response = web.form(account, {"confirm": "y"}, target=f"{account}/disable")  # the box ticked, as it must be
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)


@then(words('"{username:Q}" is sent to sign in, and told "{message:Q}"'))
def sent_to_sign_in(journey, username, message):
    assert journey.response.status_code == 302
    assert urlsplit(journey.response.headers["Location"]).path == "/sign-in"
    assert "<h1>Sign in</h1>" in journey.page
    assert message in visible(journey.page)
    assert f"Signed in as {username}" not in visible(journey.page)


# Organisations


def organisation_page(web: Web, name: str) -> str:
    return link_to(web.text(web.get("/trustee/organisations")), name, under="/trustee/organisations/")


@when(words('trustee "{who:Q}" registers "{name:Q}", a {kind}'))
def registers_organisation(journey, catalogue, who, name, kind):
    web = journey.person(who)
    response = web.form("/trustee/organisations", {"name": name, "kind": language.organisation_kind(catalogue, kind)})
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)


@when(words('trustee "{who:Q}" approves "{name:Q}" under agreement "{ref:Q}", signed on {signed:Day}'))
def approves(journey, who, name, ref, signed):
    web = journey.person(who)
    page = organisation_page(web, name)
    data = {"agreement_ref": ref, "agreement_date": signed.isoformat()}
    response = web.form(page, data, target=f"{page}/approve")
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)


@when(words('trustee "{who:Q}" suspends "{name:Q}" because "{reason:Q}"'))
def suspends(journey, who, name, reason):
    web = journey.person(who)
    page = organisation_page(web, name)
    response = web.form(page, {"reason": reason, "confirm": "y"}, target=f"{page}/suspend")  # the box ticked
    journey.see(web, response)
    assert response.status_code == 302, visible(journey.page)


@then(words('the list of organisations shows "{name:Q}", a {kind}, as "{status:Q}" under agreement "{ref:Q}"'))
def organisations_list(journey, name, kind, status, ref):
    web = journey.viewer
    rows = table_rows(web.text(web.get("/trustee/organisations")))
    assert [name, "none given", kind.capitalize(), status, ref] in rows, rows  # no org-id was given


# The trustees' audit questions and reports


@then(words('trustee "{who:Q}" finds in the history of "{member:Q}": "{text:Q}"'))
def history_has(journey, who, member, text):
    web = journey.person(who)
    page = web.text(web.get("/trustee/audit/history?" + urlencode({"member": journey.codes[member]})))
    assert any(text in " ".join(row) for row in table_rows(page)), table_rows(page)


@when(words('trustee "{who:Q}" asks who could see "{member:Q}" on {at:Moment}, {view}'))
def asks_who_could_see(journey, who, member, at, view):
    web = journey.person(who)
    on, time = local_form_time(at)
    query = {"member": journey.codes[member], "at": f"{on}T{time}", "axis": AXES[view]}
    journey.see(web, web.get("/trustee/audit/who-could-see?" + urlencode(query)))
    assert journey.response.status_code == 200, visible(journey.page)


@then(words("the answer names {organisations}"))
def answer_names(journey, organisations):
    expected = sorted(quoted_names(organisations))
    answer = journey.page.split('id="answer"', 1)[1]
    if not expected:
        assert "No organisation could see this member's data then." in visible(answer)
    assert sorted({row[0] for row in table_rows(answer)}) == expected


@when(words('trustee "{who:Q}" downloads the answer as CSV'))
def downloads(journey, who):
    web = journey.person(who)
    journey.download = web.get(link_to(journey.page, "Download this answer as CSV"))


def downloaded_rows(journey, filename: str) -> list[dict]:
    download = journey.download
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    return list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))


@then(words('the file "{filename:Q}" says "{organisation:Q}" could see {categories} for {purpose}'))
def file_says(journey, catalogue, filename, organisation, categories, purpose):
    rows = downloaded_rows(journey, filename)
    shown = [(r["organisation"], r["purpose"], r["categories"]) for r in rows]
    wanted = "; ".join(language.categories(catalogue, categories))
    assert shown == [(organisation, language.purpose(catalogue, purpose), wanted)], shown


@then(words('the file "{filename:Q}" names no organisation'))
def file_empty(journey, filename):
    assert downloaded_rows(journey, filename) == []


@when(words('trustee "{who:Q}" opens the late-facts report'))
def opens_late_facts(journey, who):
    web = journey.person(who)
    journey.see(web, web.get("/trustee/audit/late-facts"))


@then(words('the report has an entry "{heading:Q}" reading:'))
def report_entry(journey, heading, datatable):
    sections = re.findall(r"<section>(.*?)</section>", journey.page, re.S)
    entries = [s for s in sections if visible(re.search(r"<h2>(.*?)</h2>", s, re.S).group(1)) == heading]
    assert len(entries) == 1, [visible(s) for s in sections]
    shown = pairs(entries[0])
    for label, value in datatable:  # each line says these words, perhaps followed by more
        line = shown.get(label, "")
        assert line == value or line.startswith(value + " "), (label, shown)
