"""Every form, fed anything: arbitrary text (unicode, very long, empty, NUL bytes), impossible
dates, unknown choices, missing fields and several values for one field.

For each form two kinds of request are generated:

* ``broken``: a request the form accepts, with one field replaced by a value that is
  invalid on its own. It must be refused (400), record nothing, and show the page again
  with what was typed in the other fields, escaped.
* ``anything``: the accepted request with up to three fields replaced by arbitrary values,
  or every field arbitrary or missing. It must never fail (500); when refused (400) nothing
  is recorded and the typed values are shown again; when accepted, the input must pass the
  form's own rules (so invalid input is never recorded).

The audit questions (GET forms) are asked with arbitrary query strings: 200 or 400, never
500, and nothing recorded."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import quote, quote_from_bytes
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.web import create_app
from adapters.web.audit import QUESTIONS
from domain.kernel.actors import Actor
from domain.kernel.references import REFERENCE
from domain.staff.model import USERNAME
from domain.trust import Audience
from tests.conftest import TRUSTEE
from tests.support import fresh_postgres_url, snapshot
from tests.web.conftest import PAPER_FORM, PASSWORD, SETUP, Web, open_account

TODAY = date(2026, 3, 2)  # the FakeClock's day (09:00 UTC, 09:00 in London)
REGISTRAR = Actor("caseworker", "reg")
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


class Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


@dataclass(frozen=True)
class Ref:
    """A value known only when the test runs (an id in the store)."""

    name: str


# Arbitrary values

EDGE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%s%n",
    "\u202eevil",
    "\u3000",
    "Zoë Ñúñez-O'Brien",
    "名前",
    "😀" * 5,
    "x" * 5000,
]
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(min_size=150, max_size=600),
    st.sampled_from(EDGE_TEXT),
    st.integers().map(str),
)
EDGE_DATES = [
    "",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-03-02",
    "2026-03-03",
    "10000-01-01",
    "02/03/2026",
    "2026-03-01T10:00",
    "-2026-03-01",
    "2026-3-1",
]
DATES = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY).map(date.isoformat),
    st.dates().map(date.isoformat),
    st.sampled_from(EDGE_DATES),
    TEXT,
)
TIMES = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(["", "24:00", "12:60", "noon"]), TEXT)
REFS = st.one_of(st.from_regex(REFERENCE, fullmatch=True), TEXT)


def several(values: st.SearchStrategy) -> st.SearchStrategy:
    """One value, or (a wrong type for a single field) several values under the same name."""
    return st.one_of(values, st.lists(values, min_size=2, max_size=3))


def choices(options: list[str]) -> st.SearchStrategy:
    return several(st.one_of(st.sampled_from(options), TEXT))


BAD_DATES = ["", " ", "0001-01-01", "9999-12-31", "1899-12-31", "2026-03-03", "2026-02-30", "2026-13-01", "yesterday"]
BAD_DATES += ["02/03/2026", "\x00", "2026-03-01\x00", "x" * 300, MISSING]
BAD_REFS = ["", " ", "-PF", "PF 1042", "PF-1042;", "x" * 41, "Mary Atkinson", "PF\x001", "ПФ-1", "<b>", MISSING]


# Checks the input had to pass to be accepted (necessary, not sufficient: the trust may refuse more)


def first(value):  # type: ignore[no-untyped-def]
    if isinstance(value, list):
        return value[0] if value else MISSING
    return value


def filled(value, limit: int) -> bool:  # type: ignore[no-untyped-def]
    value = first(value)
    return isinstance(value, str) and bool(value.strip()) and len(value) <= limit


def a_reference(value, required: bool = True) -> bool:  # type: ignore[no-untyped-def]
    value = first(value)
    if not isinstance(value, str) or not value.strip():
        return not required
    return bool(REFERENCE.match(value.strip()))


def a_signed_date(value) -> bool:  # type: ignore[no-untyped-def]
    value = " ".join(value) if isinstance(value, list) else value
    if not isinstance(value, str):
        return False
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()  # WTForms' DateField format
    except ValueError:
        return False
    return 1900 <= day.year and day <= TODAY


def chosen(value, options) -> bool:  # type: ignore[no-untyped-def]
    return first(value) in options


def all_chosen(value, options) -> bool:  # type: ignore[no-untyped-def]
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(v in options for v in values)


@dataclass
class Form:
    """One form: where it is, a request it accepts, values that break it, arbitrary values."""

    page: str | Ref
    valid: dict
    broken: dict[str, list]
    anything: dict[str, st.SearchStrategy]
    accepted: tuple[int, ...]
    accepts: object  # (data) -> bool: the input passes the form's rules
    kept: tuple[str, ...] = ()
    target: str | Ref | None = None
    secret: tuple[str, ...] = field(default=())  # typed values never shown again


BOTH = "(several fields)"  # a broken value that replaces several fields at once (a dict)


def requests(form: Form) -> st.SearchStrategy:
    def broken(name: str) -> st.SearchStrategy:
        def replace(value):  # type: ignore[no-untyped-def]
            return ("broken", {**form.valid, **(value if name == BOTH else {name: value})})

        return st.sampled_from(form.broken[name]).map(replace)

    def some_fields(names: list[str]) -> st.SearchStrategy:
        return st.fixed_dictionaries({name: form.anything[name] for name in names})

    return st.one_of(
        st.sampled_from(sorted(form.broken)).flatmap(broken),
        # The accepted request with up to three fields replaced by anything...
        st.lists(st.sampled_from(sorted(form.anything)), min_size=1, max_size=3, unique=True)
        .flatmap(some_fields)
        .map(lambda data: ("anything", {**form.valid, **data})),
        # ... or every field anything, or missing.
        st.fixed_dictionaries({}, optional=form.anything).map(lambda data: ("anything", data)),
    )


def _resolve(value, state: dict):  # type: ignore[no-untyped-def]
    if isinstance(value, Ref):
        return str(state[value.name])
    if isinstance(value, list):
        return [_resolve(v, state) for v in value]
    return value


def send(web: Web, services, form: Form, request: tuple, state: dict):  # type: ignore[no-untyped-def]
    """Send one generated request and check what every form must do; returns (kind, data, response)."""
    kind, data = request
    data = {k: _resolve(v, state) for k, v in data.items() if v is not MISSING}
    page, target = _resolve(form.page, state), _resolve(form.target or form.page, state)
    # Open the form's page as a person would (once per page: the sign-in page's token ends with sign-in);
    # a member's form sent without opening their page would itself be a recorded staff read.
    if getattr(web, "opened_form_page", None) != page:
        web.get(page)
        web.opened_form_page = page
    before = snapshot(services)
    response = web.post(target, data)
    status, body = response.status_code, web.text(response)
    where = f"{kind} POST {target} {data!r} -> {status}"
    event(f"{kind} -> {status}")
    assert status != 500, where
    if status == 400:
        assert snapshot(services) == before, f"a refused request changed the history: {where}"
        assert "security token was missing" not in body, where
        for name in form.kept:
            typed = data.get(name)
            if isinstance(typed, str) and typed:
                assert str(escape(typed)) in body, f"{name!r} not shown again: {where}"
    else:
        assert kind == "anything", f"an invalid request was accepted: {where}"
        assert status in form.accepted, where
        assert form.accepts(data), f"invalid input was recorded: {where}"  # type: ignore[operator]
    shown_on_purpose = [  # a field sent several times shows its first value again, as a form does
        v
        for k, sent in data.items()
        if k in form.kept
        for v in (sent if isinstance(sent, list) else [sent])
        if isinstance(v, str)
    ]
    for name in form.secret:
        typed = data.get(name)
        if isinstance(typed, str) and len(typed) >= 8 and not any(typed in v for v in shown_on_purpose):
            assert typed not in body, f"{name} shown back: {where}"
    return kind, data, response


# Casework forms


@pytest.fixture
def member(web_services) -> dict:
    """A paper member (registered by another caseworker) with one consent, renewed once used up."""
    trust = web_services.trust
    signed = datetime(2026, 2, 27, tzinfo=UTC)
    state: dict = {}

    def renew() -> None:
        member_id = trust.register_member(
            "Fuzz Member", REGISTRAR, channel="paper", evidence_ref="PF-1", effective_at=signed
        )
        consent = trust.grant_consent(
            member_id,
            "affordable-credit",
            ["contact"],
            Audience(kind="social-lender"),
            REGISTRAR,
            collected_via="paper",
            evidence_ref="PF-1",
            effective_at=signed,
        )
        state.update(member=member_id, consent=consent)

    renew()
    state["renew"] = renew
    return state


PROFILE_OPTIONS = {
    "profile_age-band": ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "prefer-not-to-say", ""],
    "profile_gender": ["woman", "man", "non-binary", "another-way", "prefer-not-to-say", ""],
    "profile_household": ["1", "2", "3", "4", "5+", "prefer-not-to-say", ""],
}
PURPOSES = ["community-insight", "affordable-credit", "service-planning", "grant-making", "research"]
CATEGORIES = ["contact", "profile", "household-finances", "housing", "wellbeing", "panel-answers"]
KINDS = ["social-lender", "funder", "council", "investor", "researcher"]
AUDIENCES = [f"kind:{k}" for k in KINDS]
BAD_PROFILE = {
    "profile_area": ["C", "ZZZ", "12AB", "x" * 21, "CA1\x00", "<CA1>"],
    "profile_age-band": ["16", "old", "75 +", "x" * 300],
    "profile_gender": ["female", "\x00"],
    "profile_household": ["0", "6", "five"],
}
PROFILE_ANYTHING = {
    "profile_area": st.one_of(st.from_regex(r"[A-Z]{1,2}[0-9][0-9A-Z]?", fullmatch=True), TEXT),
    "profile_area_declined": st.sampled_from(["y", "", "false"]),
    **{name: choices(options) for name, options in PROFILE_OPTIONS.items()},
}


def _profile_ok(data: dict) -> bool:
    for name, options in PROFILE_OPTIONS.items():
        if name in data and not chosen(data[name], options):
            return False
    area = first(data.get("profile_area", ""))
    declined = first(data.get("profile_area_declined", "")) not in ("", "false", MISSING)
    return declined or area is MISSING or not area.strip() or len(area) <= 20


REGISTER = Form(
    page="/members/new",
    valid=PAPER_FORM,
    broken={
        "name": ["", "   ", "\u3000", "\t\n", "x" * 201, MISSING],
        "contact": ["c" * 201],
        "signed_on": BAD_DATES,
        "form_ref": BAD_REFS,
        **BAD_PROFILE,
        "audience_affordable-credit": ["", "kind:nobody", f"org:{UUID(int=7)}", "kind:", "org:", MISSING],
        "categories_affordable-credit": [[], ["secrets"], ["contact", "nope"], MISSING],
        "categories_research": [["secrets"]],  # a choice is checked even for a purpose not ticked
    },
    anything={
        "name": several(TEXT),
        "contact": several(TEXT),
        "signed_on": several(DATES),
        "form_ref": several(REFS),
        **PROFILE_ANYTHING,
        "consent_affordable-credit": st.sampled_from(["y", "", "false", "on"]),
        "audience_affordable-credit": choices(AUDIENCES),
        "categories_affordable-credit": st.lists(st.one_of(st.sampled_from(CATEGORIES), TEXT), max_size=3),
        "consent_research": st.sampled_from(["y", ""]),
        "audience_research": choices(AUDIENCES),
        "categories_research": st.lists(st.sampled_from(CATEGORIES), max_size=2),
    },
    accepted=(302,),
    accepts=lambda d: (
        filled(d.get("name"), 200)
        and (first(d.get("contact", "")) is MISSING or len(first(d.get("contact", ""))) <= 200)
        and a_signed_date(d.get("signed_on"))
        and a_reference(d.get("form_ref"))
        and _profile_ok(d)
    ),
    kept=("name", "contact", "form_ref"),
)


@FUZZ
@given(request=requests(REGISTER))
def test_register_member_form(request, caseworker, web_services):
    _kind, data, response = send(caseworker, web_services, REGISTER, request, {})
    if response.status_code == 302:
        shown = caseworker.text(caseworker.get(response.headers["Location"]))
        assert str(escape(" ".join(first(data["name"]).split()))) in shown


WITHDRAW = Form(
    page=Ref("withdraw"),
    valid={"consent": Ref("consent"), "signed_on": "2026-03-01", "form_ref": "WD-1"},
    broken={
        "consent": ["", "not-a-consent", str(UUID(int=3)), [], MISSING],
        "signed_on": [*BAD_DATES, "2026-02-26"],  # the day before the consent was given
        "signed_time": ["24:00", "12:60", "noon", "9", "\x00"],
        "form_ref": BAD_REFS,
    },
    anything={
        "consent": several(st.one_of(st.just(Ref("consent")), TEXT)),
        "signed_on": several(DATES),
        "signed_time": TIMES,
        "form_ref": several(REFS),
    },
    accepted=(302,),
    accepts=lambda d: a_signed_date(d.get("signed_on")) and a_reference(d.get("form_ref")),
    kept=("form_ref",),
)


@FUZZ
@given(request=requests(WITHDRAW))
def test_withdrawal_form(request, caseworker, web_services, member):
    member["withdraw"] = f"/members/{member['member']}/withdraw"
    _kind, _data, response = send(caseworker, web_services, WITHDRAW, request, member)
    if response.status_code == 302:
        member["renew"]()


PROFILE = Form(
    page=Ref("profile"),
    valid={"signed_on": "2026-03-01", "profile_age-band": "75+"},
    broken={
        "signed_on": [*BAD_DATES, "2026-02-26"],  # before the member registered
        "form_ref": [r for r in BAD_REFS if r not in ("", " ", MISSING)],
        **BAD_PROFILE,
    },
    anything={"signed_on": several(DATES), "form_ref": several(REFS), **PROFILE_ANYTHING},
    accepted=(302,),
    accepts=lambda d: a_signed_date(d.get("signed_on")) and a_reference(d.get("form_ref"), False) and _profile_ok(d),
    kept=("form_ref", "profile_area"),
)


@FUZZ
@given(request=requests(PROFILE))
def test_profile_change_form(request, caseworker, web_services, member):
    member["profile"] = f"/members/{member['member']}/profile"
    send(caseworker, web_services, PROFILE, request, member)


CONFIRM = Form(
    page=Ref("confirm"),
    valid={"seen": "y"},
    broken={"seen": ["", "false", [], MISSING]},
    anything={"seen": several(TEXT), "other": TEXT},
    accepted=(302,),
    accepts=lambda d: first(d.get("seen", "")) not in ("", "false", MISSING),
)


@FUZZ
@given(request=requests(CONFIRM))
def test_confirm_in_person_form(request, caseworker, web_services, member):
    member["confirm"] = f"/members/{member['member']}/confirm"
    _kind, _data, response = send(caseworker, web_services, CONFIRM, request, member)
    if response.status_code == 302:
        member["renew"]()


ADD_CONSENT = Form(
    page=Ref("add_consent"),
    valid={
        "purpose": "research",
        "audience": "kind:researcher",
        "categories": ["profile"],
        "signed_on": "2026-03-01",
        "form_ref": "PF-2001",
    },
    broken={
        "purpose": ["", "marketing", "research ", MISSING],
        "audience": ["", "kind:nobody", f"org:{UUID(int=9)}", "kind:researcher\x00", MISSING],
        "categories": [[], ["secrets"], ["profile", "nope"], "", MISSING],
        "signed_on": [*BAD_DATES, "2026-02-26"],  # before the member registered
        "form_ref": BAD_REFS,
    },
    anything={
        "purpose": choices(PURPOSES),
        "audience": choices(AUDIENCES),
        "categories": st.lists(st.one_of(st.sampled_from(CATEGORIES), TEXT), max_size=3),
        "signed_on": several(DATES),
        "form_ref": several(REFS),
    },
    accepted=(302,),
    accepts=lambda d: (
        chosen(d.get("purpose"), PURPOSES)
        and chosen(d.get("audience"), AUDIENCES)
        and all_chosen(d.get("categories", []), CATEGORIES)
        and a_signed_date(d.get("signed_on"))
        and a_reference(d.get("form_ref"))
    ),
    kept=("form_ref",),
)


@FUZZ
@given(request=requests(ADD_CONSENT))
def test_add_consent_form(request, caseworker, web_services, member):
    member["add_consent"] = f"/members/{member['member']}/consents/new"
    send(caseworker, web_services, ADD_CONSENT, request, member)


# Trustee forms


@pytest.fixture
def organisations(web_services, lender) -> dict:
    trust = web_services.trust
    state = {"lender": lender[0]}

    def newcomer() -> None:
        state["newcomer"] = trust.register_organisation(f"Newcomer {uuid4().hex[:8]}", "funder", TRUSTEE)

    newcomer()
    state["newcomer_again"] = newcomer
    return state


ORGANISATION = Form(
    page="/trustee/organisations",
    valid={"name": "Fellside Community Fund", "kind": "funder"},
    broken={
        "name": ["", "  ", "\u2028", "x" * 201, MISSING, "Eden Valley Credit Union"],  # the last one exists
        "kind": ["", "bank", "funder\x00", ["bank", "funder"], MISSING],
    },
    anything={"name": several(TEXT), "kind": choices(KINDS)},
    accepted=(302,),
    accepts=lambda d: filled(d.get("name"), 200) and chosen(d.get("kind"), KINDS),
    kept=("name",),
)


@FUZZ
@given(request=requests(ORGANISATION))
def test_register_organisation_form(request, trustee, web_services, organisations):
    _kind, data, response = send(trustee, web_services, ORGANISATION, request, organisations)
    if response.status_code == 302:
        shown = trustee.text(trustee.get(response.headers["Location"]))
        assert str(escape(" ".join(first(data["name"]).split()))) in shown


APPROVE = Form(
    page=Ref("approve_page"),
    target=Ref("approve"),
    valid={"agreement_ref": "DSA-3", "agreement_date": "2026-03-01"},
    broken={"agreement_ref": BAD_REFS, "agreement_date": BAD_DATES},
    anything={"agreement_ref": several(REFS), "agreement_date": several(DATES)},
    accepted=(302,),
    accepts=lambda d: a_reference(d.get("agreement_ref")) and a_signed_date(d.get("agreement_date")),
    kept=("agreement_ref",),
)


@FUZZ
@given(request=requests(APPROVE))
def test_approve_organisation_form(request, trustee, web_services, organisations):
    organisations["approve_page"] = f"/trustee/organisations/{organisations['newcomer']}"
    organisations["approve"] = f"/trustee/organisations/{organisations['newcomer']}/approve"
    _kind, _data, response = send(trustee, web_services, APPROVE, request, organisations)
    if response.status_code == 302:
        organisations["newcomer_again"]()


SUSPEND = Form(
    page=Ref("lender_page"),
    target=Ref("suspend"),
    valid={"reason": "agreement under review", "confirm": "y"},
    broken={"reason": ["", "   ", "\n\r\t", "r" * 501, MISSING], "confirm": ["", MISSING]},
    anything={"reason": several(TEXT)},
    accepted=(302,),
    accepts=lambda d: filled(d.get("reason"), 500) and d.get("confirm") == "y",
    kept=("reason",),
)


@FUZZ
@given(request=requests(SUSPEND))
def test_suspend_organisation_form(request, trustee, web_services, organisations):
    organisations["lender_page"] = f"/trustee/organisations/{organisations['lender']}"
    organisations["suspend"] = f"/trustee/organisations/{organisations['lender']}/suspend"
    _kind, _data, response = send(trustee, web_services, SUSPEND, request, organisations)
    if response.status_code == 302:
        web_services.trust.reinstate_organisation(organisations["lender"], "fuzzing goes on", TRUSTEE)


TOKEN = Form(
    page=Ref("lender_page"),
    target=Ref("tokens"),
    valid={"label": "loan system"},
    broken={"label": ["", "  ", "\x0b", "l" * 81, MISSING]},
    anything={"label": several(TEXT)},
    accepted=(302,),
    accepts=lambda d: filled(d.get("label"), 80),
    kept=("label",),
)


@FUZZ
@given(request=requests(TOKEN))
def test_issue_token_form(request, trustee, web_services, organisations):
    organisations["lender_page"] = f"/trustee/organisations/{organisations['lender']}"
    organisations["tokens"] = f"/trustee/organisations/{organisations['lender']}/tokens"
    _kind, _data, response = send(trustee, web_services, TOKEN, request, organisations)
    if response.status_code == 302:  # post/redirect/get: the token is shown on the page redirected to
        assert "New API token" in trustee.text(trustee.get(response.headers["Location"]))


ROLES = ["caseworker", "trustee"]


def _username_ok(value) -> bool:  # type: ignore[no-untyped-def]
    value = first(value)
    return isinstance(value, str) and len(value) <= 40 and bool(USERNAME.match(value.strip().lower()))


OPEN_ACCOUNT = Form(
    page="/trustee/staff",
    valid={"username": "new.person", "roles": ["caseworker"]},
    broken={
        "username": ["", " ", "a", "1abc", "has space", "amy!", "x" * 41, "TESS", "tess", "ab\x00", "émile", MISSING],
        "roles": [[], ["admin"], ["caseworker", "root"], "", "Caseworker", MISSING],
    },
    anything={
        "username": several(st.one_of(st.from_regex(r"[a-z][a-z0-9._-]{1,10}", fullmatch=True), TEXT)),
        "roles": st.one_of(
            st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True),
            st.lists(st.one_of(st.sampled_from(ROLES), TEXT), max_size=3),
        ),
    },
    accepted=(302,),
    accepts=lambda d: _username_ok(d.get("username")) and all_chosen(d.get("roles", []), ROLES),
    kept=("username",),
)


@FUZZ
@given(request=requests(OPEN_ACCOUNT))
def test_open_staff_account_form(request, trustee, web_services):
    _kind, _data, response = send(trustee, web_services, OPEN_ACCOUNT, request, {})
    if response.status_code == 302:  # post/redirect/get: the link is shown on the page redirected to
        assert "/welcome/" in trustee.text(trustee.get(response.headers["Location"]))


CHANGE_ROLES = Form(
    page=Ref("account"),
    valid={"roles": ["caseworker", "trustee"]},
    broken={"roles": [[], ["admin"], ["trustee", "root"], "", MISSING]},
    anything={"roles": st.lists(st.one_of(st.sampled_from(ROLES), TEXT), max_size=3), "username": TEXT},
    accepted=(302,),
    accepts=lambda d: all_chosen(d.get("roles", []), ROLES),
)


@pytest.fixture
def sam(web_services) -> dict:
    """An account for the trustee to change."""
    link = web_services.trust.open_staff_account("sam", ["caseworker"], SETUP)
    return {"account": f"/trustee/staff/{link.account_id}"}


@FUZZ
@given(request=requests(CHANGE_ROLES))
def test_change_roles_form(request, trustee, web_services, sam):
    send(trustee, web_services, CHANGE_ROLES, request, sam)


# Signing in, and choosing a password from a one-time link


SIGN_IN = Form(
    page="/sign-in",
    valid={"username": "nobody.here", "password": "zebra-crossing-7731"},
    broken={
        "username": ["", "  ", "x" * 41, MISSING, []],
        "password": ["", MISSING, "p" * 257, []],
    },
    anything={"username": several(TEXT), "password": several(TEXT)},
    accepted=(401, 429),  # a well-formed sign-in that does not match an account
    accepts=lambda d: filled(d.get("username"), 40) and filled(d.get("password"), 256),
    kept=("username",),
    secret=("password",),
)


@settings(FUZZ, max_examples=20)  # each well-formed attempt checks an Argon2 hash
@given(request=requests(SIGN_IN))
def test_sign_in_form(request, anonymous, web_services, web_clock):
    web_clock.advance(minutes=20)  # past the throttle window: every attempt is judged on its own
    _kind, _data, response = send(anonymous, web_services, SIGN_IN, request, {})
    assert anonymous.client.get("/members").status_code == 302  # never signed in


def _welcome_ok(d: dict) -> bool:
    password, confirm = first(d.get("password")), first(d.get("confirm"))
    return filled(password, 256) and len(password) >= 12 and password == confirm


def _twice(password) -> dict:  # type: ignore[no-untyped-def]
    return {"password": password, "confirm": password}


WELCOME = Form(
    page=Ref("link"),
    valid=_twice("a long enough passphrase"),
    broken={
        "password": ["", "a long enough passphrasE", MISSING],  # differs from the confirmation
        "confirm": ["", "a long enough passphrasE", MISSING],
        # Typed the same twice, and still not a password the trust accepts:
        BOTH: [_twice(p) for p in ("", "short", "eleven char", "p" * 257, " " * 12, "\x00" * 5, Ref("with_username"))],
    },
    anything={
        "password": several(st.one_of(TEXT, st.just("a long enough passphrase"))),
        "confirm": several(st.one_of(TEXT, st.just("a long enough passphrase"))),
    },
    accepted=(302,),
    accepts=_welcome_ok,
    secret=("password", "confirm"),
)


@settings(FUZZ, max_examples=25)
@given(request=requests(WELCOME))
def test_welcome_set_password_form(request, app, web_services):
    link = web_services.trust.open_staff_account(f"fuzzed.{uuid4().hex[:8]}", ["caseworker"], SETUP)
    web = Web(app.test_client())
    state = {"link": f"/welcome/{link.token}", "with_username": f"I am {link.username.upper()}, hello"}
    web.get(state["link"])
    _kind, _data, response = send(web, web_services, WELCOME, request, state)
    if response.status_code == 400:
        assert web.get(state["link"]).status_code == 200  # the link still works


# The audit questions: GET forms, with arbitrary query strings


AUDIT_KEYS = ["member", "at", "axis", "organisation", "start", "end", "category", "format"]
MOMENTS = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="minutes")),
    st.sampled_from(["", "2026-03-02 09:00", "2026-03-02T09:00", "2026-03-02", "0001-01-01T00:00", "9999-12-31 23:59"]),
    st.sampled_from(["1899-12-31 23:59", "9000-12-31T23:59-23:59", "1900-01-01T00:00+14:00", "2026-03-02T09:00Z"]),
    TEXT,
)


@settings(FUZZ, max_examples=60)
@given(
    question=st.sampled_from(sorted(QUESTIONS)),
    query=st.dictionaries(
        st.one_of(st.sampled_from(AUDIT_KEYS), st.text(max_size=10)),
        st.one_of(
            st.sampled_from(["REF", "MEMBER", "ORG", "recorded", "effective", "csv", "contact", "profile"]),
            MOMENTS,
            st.lists(TEXT, min_size=2, max_size=3),
        ),
        max_size=7,
    ),
    raw=st.one_of(st.none(), st.binary(max_size=80).map(lambda b: quote_from_bytes(b, safe="=&%+"))),
)
def test_audit_questions_with_arbitrary_query_strings(question, query, raw, trustee, web_services, audit_ids):
    def real(value):  # type: ignore[no-untyped-def]
        return audit_ids.get(value, value) if isinstance(value, str) else [real(v) for v in value]

    query = {k: real(v) for k, v in query.items()}
    before = _apart_from_staff_reads(web_services)
    url = f"/trustee/audit/{question}"
    response = trustee.get(url, query_string=raw) if raw is not None else trustee.get(url, query_string=query)
    where = f"GET {url} {raw if raw is not None else query!r} -> {response.status_code}"
    event(f"{question} -> {response.status_code} {response.mimetype}")
    assert response.status_code in (200, 400), where
    assert _apart_from_staff_reads(web_services) == before, where  # an answer naming members records their reads
    if response.mimetype == "text/csv":
        assert response.status_code == 200, where
        return
    body = trustee.text(response)
    member = query.get("member") if raw is None and question != "what-could-see" else None
    if isinstance(member, str) and member and response.status_code == 400:
        assert str(escape(member)) in body, f"the member typed is not shown again: {where}"


def _apart_from_staff_reads(services) -> tuple:
    """The snapshot, less the staff reads recorded (one event and one timeline row each)."""
    position, tables = snapshot(services)
    reads = [row for row in tables["timeline"] if "'read by staff'" in row]
    kept = {name: rows for name, rows in tables.items() if name != "projection_positions"}  # (the log position, above)
    return position - len(reads), {**kept, "timeline": [row for row in tables["timeline"] if row not in reads]}


@pytest.fixture
def audit_ids(web_services, lender, member) -> dict:
    code = web_services.views.member_card(member["member"])["reference_code"]
    return {"REF": code, "MEMBER": str(member["member"]), "ORG": str(lender[0])}


@settings(FUZZ, max_examples=30)
@given(text=several(TEXT), question=st.text(max_size=30))
def test_find_a_member_and_unknown_audit_questions(text, question, caseworker, trustee, web_services):
    before = snapshot(web_services)
    response = caseworker.get("/members", query_string={"q": text})
    assert response.status_code == 200
    shown = first(text)
    if isinstance(shown, str):
        assert str(escape(shown[:200])) in caseworker.text(response)
    if question not in QUESTIONS and question != "late-facts":
        response = trustee.get(f"/trustee/audit/{quote(question, safe='')}")
        assert response.status_code in (404, 308), question  # 308: werkzeug tidies a trailing slash
    assert snapshot(web_services) == before


def test_a_form_larger_than_the_limit_is_refused_and_records_nothing(caseworker, web_services):
    caseworker.get("/members/new")
    before = snapshot(web_services)
    response = caseworker.post("/members/new", {**PAPER_FORM, "name": "x" * 300_000})
    assert response.status_code == 413
    assert snapshot(web_services) == before


def test_raw_bytes_that_are_not_utf8_are_refused_and_record_nothing(caseworker, web_services):
    caseworker.get("/members/new")
    before = snapshot(web_services)
    body = "&".join(f"{k}={quote(str(v))}" for k, v in PAPER_FORM.items() if k != "name" and isinstance(v, str))
    body += f"&csrf_token={caseworker.last_token}&name=%FF%FE%00Mary"
    response = caseworker.client.post(
        "/members/new", data=body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert snapshot(web_services) == before


# NUL bytes on PostgreSQL (which refuses them in text) — SQLite stores them as given


@pytest.fixture
def postgres_services(tmp_path, web_clock):
    url = fresh_postgres_url()  # skips unless DATATRUST_TEST_POSTGRES_URL is set (CI requires it)
    settings = Settings.from_environment({"DATATRUST_DATABASE_URL": url, "DATATRUST_VAR": str(tmp_path / "var")})
    built = bootstrap(settings, clock=web_clock)
    yield built
    built.close()


# These once failed with a 500 on PostgreSQL, which cannot store a NUL in text.
NUL_REQUESTS = [
    pytest.param("POST", "/members/new", {**PAPER_FORM, "name": "Mary\x00Atkinson"}, id="a-member's-name"),
    pytest.param("POST", "/members/new", {**PAPER_FORM, "contact": "07700\x00900123"}, id="contact"),
    pytest.param("GET", "/members?q=Ma%00ry", None, id="the-member-search"),
    pytest.param(
        "POST", "/trustee/organisations", {"name": "Fell\x00side", "kind": "funder"}, id="an-organisation-name"
    ),
    pytest.param("POST", "{org}/suspend", {"reason": "under\x00review", "confirm": "y"}, id="a-suspension-reason"),
    pytest.param("POST", "{org}/tokens", {"label": "loan\x00system"}, id="a-token-label"),
    pytest.param("POST", "/trustee/staff", {"username": "ab\x00c", "roles": ["caseworker"]}, id="username"),
    pytest.param("GET", "/trustee/audit/history?member=AB%00CD", None, id="audit"),
    pytest.param("SIGN-IN", "/sign-in", {"username": "pat\x00", "password": "x"}, id="a-sign-in-username"),
    pytest.param("SIGN-IN", "/sign-in", {"username": "pat", "password": "pass\x00word"}, id="password"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("method", "url", "data"), NUL_REQUESTS)
def test_nul_bytes_never_fail_on_postgresql(method, url, data, postgres_services):
    """On the production database a NUL byte must be refused (400) or stored safely, never a 500."""
    services = postgres_services
    app = create_app(services, {"TESTING": True})
    lender = services.trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    services.trust.approve_organisation(lender, "DSA-1", TODAY, TRUSTEE)
    open_account(services.trust, "pat", ["caseworker", "trustee"])
    web = Web(app.test_client())
    if method != "SIGN-IN":
        assert web.form("/sign-in", {"username": "pat", "password": PASSWORD}).status_code == 302
    url = url.format(org=f"/trustee/organisations/{lender}")
    before = snapshot(services)
    if method == "GET":
        response = web.get(url)
    else:
        web.get(url if not url.endswith(("/suspend", "/tokens")) else url.rsplit("/", 1)[0])
        response = web.post(url, data)
    if response.status_code >= 400:
        assert snapshot(services) == before, "a refused request changed the history"
    assert response.status_code != 500
