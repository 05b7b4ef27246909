"""Who may open which page: every route of the app, walked by every kind of visitor.

The table below classifies every rule in ``app.url_map``. A route added without
being listed here, or a staff page whose guard is missing or names another
role, fails ``test_every_route_is_classified_and_guarded``; the walks then check
what each visitor actually gets: anonymous visitors and disabled accounts are
sent to sign in, the wrong role is refused (403) and nothing is recorded, the
right role is served. Every POST needs its CSRF token, and the organisation API
takes only a live bearer token of an approved organisation."""

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from adapters.web.audit import QUESTIONS
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.integration.fund_support import CAFE, CAFES_IN_CA, CLOSES, approved_funder, cafes
from tests.integration.insight_support import community, council, submit
from tests.integration.survey_support import open_survey
from tests.support import nothing_recorded
from tests.web.conftest import PAPER_FORM, PASSWORD, SETUP, Web, open_account
from tests.web.test_insight_portal import ASK

CASEWORKER, TRUSTEE_ROLE = "caseworker", "trustee"
PUBLIC, STATIC, API_DOCUMENT, API = "public", "static", "api-document", "api"
PORTAL, PORTAL_DOOR = "organisation-portal", "organisation-portal-door"  # an organisation's token session; its sign-in
MEMBER_PORTAL, MEMBER_DOOR = "member-portal", "member-portal-door"  # a member's one-time-link session; its sign-in
STAFF_SURVEY = "staff-survey"  # a business's staff answering its survey: open to anyone, a one-time code is the key

# endpoint: (rule, methods (besides HEAD and OPTIONS), who may use it)
ROUTES = {
    "static": ("/static/<path:filename>", {"GET"}, STATIC),
    "auth.index": ("/", {"GET"}, PUBLIC),
    "auth.sign_in": ("/sign-in", {"GET", "POST"}, PUBLIC),
    "auth.sign_out": ("/sign-out", {"POST"}, PUBLIC),
    "auth.welcome": ("/welcome/<token>", {"GET", "POST"}, PUBLIC),
    "casework.find": ("/members", {"GET"}, CASEWORKER),
    "casework.pending": ("/members/pending", {"GET"}, CASEWORKER),
    "casework.register": ("/members/new", {"GET", "POST"}, CASEWORKER),
    "casework.member": ("/members/<uuid:member_id>", {"GET"}, CASEWORKER),
    "casework.withdraw": ("/members/<uuid:member_id>/withdraw", {"GET", "POST"}, CASEWORKER),
    "casework.profile": ("/members/<uuid:member_id>/profile", {"GET", "POST"}, CASEWORKER),
    "casework.household": ("/members/<uuid:member_id>/household", {"GET", "POST"}, CASEWORKER),
    "casework.confirm": ("/members/<uuid:member_id>/confirm", {"GET", "POST"}, CASEWORKER),
    "casework.add_consent": ("/members/<uuid:member_id>/consents/new", {"GET", "POST"}, CASEWORKER),
    "casework.terms": ("/members/<uuid:member_id>/terms", {"GET", "POST"}, CASEWORKER),
    "help_requests.queue": ("/members/asked-for-help", {"GET"}, CASEWORKER),
    "help_requests.handled": ("/members/<uuid:member_id>/asked-for-help", {"POST"}, CASEWORKER),
    "casework.paper_data": ("/members/<uuid:member_id>/data/<category>", {"GET", "POST"}, CASEWORKER),
    "casework.portal_link": ("/members/<uuid:member_id>/portal-link", {"POST"}, CASEWORKER),
    "trustees.dashboard": ("/trustee", {"GET"}, TRUSTEE_ROLE),
    "digests.digests": ("/trustee/digests", {"GET"}, TRUSTEE_ROLE),
    "trustees.organisations": ("/trustee/organisations", {"GET", "POST"}, TRUSTEE_ROLE),
    "trustees.organisation": ("/trustee/organisations/<uuid:organisation_id>", {"GET"}, TRUSTEE_ROLE),
    "trustees.approve": ("/trustee/organisations/<uuid:organisation_id>/approve", {"POST"}, TRUSTEE_ROLE),
    "trustees.suspend": ("/trustee/organisations/<uuid:organisation_id>/suspend", {"POST"}, TRUSTEE_ROLE),
    "trustees.reinstate": ("/trustee/organisations/<uuid:organisation_id>/reinstate", {"POST"}, TRUSTEE_ROLE),
    "trustees.issue_token": ("/trustee/organisations/<uuid:organisation_id>/tokens", {"POST"}, TRUSTEE_ROLE),
    "trustees.revoke_token": (
        "/trustee/organisations/<uuid:organisation_id>/tokens/<uuid:token_id>/revoke",
        {"POST"},
        TRUSTEE_ROLE,
    ),
    "staff.accounts": ("/trustee/staff", {"GET", "POST"}, TRUSTEE_ROLE),
    "staff.account": ("/trustee/staff/<uuid:account_id>", {"GET", "POST"}, TRUSTEE_ROLE),
    "staff.disable": ("/trustee/staff/<uuid:account_id>/disable", {"POST"}, TRUSTEE_ROLE),
    "staff.enable": ("/trustee/staff/<uuid:account_id>/enable", {"POST"}, TRUSTEE_ROLE),
    "staff.new_link": ("/trustee/staff/<uuid:account_id>/sign-in-link", {"POST"}, TRUSTEE_ROLE),
    "audit.index": ("/trustee/audit", {"GET"}, TRUSTEE_ROLE),
    "audit.ask": ("/trustee/audit/<question>", {"GET"}, TRUSTEE_ROLE),
    "audit.late_facts": ("/trustee/audit/late-facts", {"GET"}, TRUSTEE_ROLE),
    "audit.find_member": ("/trustee/audit/members", {"GET"}, TRUSTEE_ROLE),
    "proposals.index": ("/trustee/proposals", {"GET"}, TRUSTEE_ROLE),
    "proposals.new": ("/trustee/proposals/new", {"GET", "POST"}, TRUSTEE_ROLE),
    "proposals.proposal": ("/trustee/proposals/<uuid:proposal_id>", {"GET"}, TRUSTEE_ROLE),
    "proposals.close": ("/trustee/proposals/<uuid:proposal_id>/close", {"POST"}, TRUSTEE_ROLE),
    "proposals.rules": ("/trustee/rules", {"GET"}, TRUSTEE_ROLE),
    "proposals.member_ballots": ("/members/<uuid:member_id>/ballots", {"GET"}, CASEWORKER),
    "proposals.paper_ballot": ("/members/<uuid:member_id>/ballots/<uuid:proposal_id>", {"GET", "POST"}, CASEWORKER),
    "surplus.index": ("/trustee/surplus", {"GET", "POST"}, TRUSTEE_ROLE),
    "surplus.year": ("/trustee/surplus/<int:year>", {"GET"}, TRUSTEE_ROLE),
    "surplus.uses": ("/trustee/surplus/<int:year>/uses", {"POST"}, TRUSTEE_ROLE),
    "surplus.dividends": ("/trustee/surplus/<int:year>/dividends", {"POST"}, TRUSTEE_ROLE),
    "surplus.payments": ("/trustee/surplus/<int:year>/payments.csv", {"GET"}, TRUSTEE_ROLE),
    "api.openapi": ("/api/v1/openapi.json", {"GET"}, API_DOCUMENT),
    "api.standard": ("/api/v1/standard", {"GET"}, API_DOCUMENT),  # public, like the document
    "api.visible_members": ("/api/v1/members", {"GET"}, API),
    "api.read_member": ("/api/v1/members/<member_ref>", {"GET"}, API),
    "api.application_pack": ("/api/v1/members/<member_ref>/pack", {"GET"}, API),
    "api.submit_insight_request": ("/api/v1/insight-requests", {"POST"}, API),
    "api.insight_requests": ("/api/v1/insight-requests", {"GET"}, API),
    "api.insight_request": ("/api/v1/insight-requests/<request_id>", {"GET"}, API),
    "api.publish_fund": ("/api/v1/funds", {"POST"}, API),
    "api.funds": ("/api/v1/funds", {"GET"}, API),
    "api.fund": ("/api/v1/funds/<fund_id>", {"GET"}, API),
    "trustees.funds": ("/trustee/funds", {"GET"}, TRUSTEE_ROLE),
    "trustees.fund": ("/trustee/funds/<uuid:fund_id>", {"GET"}, TRUSTEE_ROLE),
    "insight.requests": ("/trustee/insight", {"GET"}, TRUSTEE_ROLE),
    "insight.income": ("/trustee/insight/income", {"GET"}, TRUSTEE_ROLE),
    "insight.request_page": ("/trustee/insight/<uuid:request_id>", {"GET"}, TRUSTEE_ROLE),
    "insight.review": ("/trustee/insight/<uuid:request_id>/review", {"POST"}, TRUSTEE_ROLE),
    "insight.draw": ("/trustee/insight/<uuid:request_id>/draw", {"POST"}, TRUSTEE_ROLE),
    "insight.rerun": ("/trustee/insight/<uuid:request_id>/rerun", {"POST"}, TRUSTEE_ROLE),
    "insight.accept_quotas": ("/trustee/insight/<uuid:request_id>/quotas", {"POST"}, TRUSTEE_ROLE),
    "insight.invite_reserves": ("/trustee/insight/<uuid:request_id>/reserves", {"POST"}, TRUSTEE_ROLE),
    "insight.close": ("/trustee/insight/<uuid:request_id>/close", {"POST"}, TRUSTEE_ROLE),
    "insight.payment": ("/trustee/insight/<uuid:request_id>/payments", {"POST"}, TRUSTEE_ROLE),
    "insight.roster": ("/trustee/insight/<uuid:request_id>/roster", {"GET"}, TRUSTEE_ROLE),
    "insight.free_text": ("/trustee/insight/<uuid:request_id>/free-text", {"GET", "POST"}, TRUSTEE_ROLE),
    "panel_answers.panels": ("/members/<uuid:member_id>/panels", {"GET"}, CASEWORKER),
    "panel_answers.answer": ("/members/<uuid:member_id>/panels/<uuid:request_id>", {"GET", "POST"}, CASEWORKER),
    "organisation.sign_in": ("/organisation/sign-in", {"GET", "POST"}, PORTAL_DOOR),
    "organisation.sign_out": ("/organisation/sign-out", {"POST"}, PORTAL_DOOR),
    "organisation.requests": ("/organisation", {"GET"}, PORTAL),
    "organisation.ask": ("/organisation/requests/new", {"GET", "POST"}, PORTAL),
    "organisation.request_page": ("/organisation/requests/<uuid:request_id>", {"GET"}, PORTAL),
    "organisation.revise": ("/organisation/requests/<uuid:request_id>/revise", {"GET", "POST"}, PORTAL),
    "organisation.funds": ("/organisation/funds", {"GET"}, PORTAL),
    "organisation.publish_fund": ("/organisation/funds/new", {"GET", "POST"}, PORTAL),
    "portal.signed_out": ("/portal/sign-in", {"GET"}, MEMBER_DOOR),
    "portal.sign_in": ("/portal/sign-in/<token>", {"GET", "POST"}, MEMBER_DOOR),
    "portal.sign_out": ("/portal/sign-out", {"POST"}, MEMBER_DOOR),
    "portal.home": ("/portal", {"GET"}, MEMBER_PORTAL),
    "portal.category": ("/portal/data/<category>", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.records": ("/portal/data/<category>/records", {"GET"}, MEMBER_PORTAL),
    "portal.new_record": ("/portal/data/<category>/records/new", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.record": ("/portal/data/<category>/records/<int:number>", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.remove_record": ("/portal/data/<category>/records/<int:number>/remove", {"POST"}, MEMBER_PORTAL),
    "portal.upload": ("/portal/data/<category>/records/upload", {"POST"}, MEMBER_PORTAL),
    "portal.consents": ("/portal/consents", {"GET"}, MEMBER_PORTAL),
    "portal.give": ("/portal/consents/give/<purpose>", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.withdraw": ("/portal/consents/<uuid:consent_id>/withdraw", {"POST"}, MEMBER_PORTAL),
    "portal.reads": ("/portal/reads", {"GET"}, MEMBER_PORTAL),
    "portal.benchmarks": ("/portal/benchmarks", {"GET"}, MEMBER_PORTAL),
    "portal.benchmark_chart": ("/portal/benchmarks/<group>.svg", {"GET"}, MEMBER_PORTAL),
    "portal.benchmarks_pdf": ("/portal/benchmarks.pdf", {"GET"}, MEMBER_PORTAL),
    "portal.staff_surveys": ("/portal/staff-surveys", {"GET"}, MEMBER_PORTAL),
    "portal.new_staff_survey": ("/portal/staff-surveys/new", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.staff_survey": ("/portal/staff-surveys/<uuid:survey_id>", {"GET"}, MEMBER_PORTAL),
    "portal.staff_survey_codes": ("/portal/staff-surveys/<uuid:survey_id>/codes", {"GET"}, MEMBER_PORTAL),
    "portal.close_staff_survey": ("/portal/staff-surveys/<uuid:survey_id>/close", {"POST"}, MEMBER_PORTAL),
    "survey.enter_code": ("/survey", {"GET", "POST"}, STAFF_SURVEY),
    "survey.answer": ("/survey/answers", {"POST"}, STAFF_SURVEY),
    "survey.thanks": ("/survey/thanks", {"GET"}, STAFF_SURVEY),
    "survey_review.waiting": ("/trustee/staff-surveys", {"GET"}, TRUSTEE_ROLE),
    "survey_review.free_text": ("/trustee/staff-surveys/<uuid:survey_id>/free-text", {"GET", "POST"}, TRUSTEE_ROLE),
    "portal.funds": ("/portal/funds", {"GET"}, MEMBER_PORTAL),
    "portal.dividends": ("/portal/dividends", {"GET"}, MEMBER_PORTAL),
    "portal.give_dividend": ("/portal/dividends/<int:year>/give", {"GET", "POST"}, MEMBER_PORTAL),
    "portal.share_pack": ("/portal/funds/<uuid:fund_id>/share", {"POST"}, MEMBER_PORTAL),
}
STAFF = (CASEWORKER, TRUSTEE_ROLE)
API_POSTS = {
    "api.submit_insight_request",
    "api.publish_fund",
}  # a bearer token, never a cookie: no CSRF token (see test_insight_portal)
PORTAL_POSTS = {"organisation.ask", "organisation.revise", "organisation.sign_out"}
FUNDER_POSTS = {"organisation.publish_fund"}  # by the lender's portal session: a council publishes no fund
MEMBER_POSTS = {  # a member signed in to their portal
    "portal.category",
    "portal.new_record",
    "portal.record",
    "portal.remove_record",
    "portal.upload",
    "portal.give",
    "portal.withdraw",
    "portal.share_pack",
    "portal.give_dividend",
    "portal.sign_out",
    "portal.new_staff_survey",
    "portal.close_staff_survey",
}
SURVEY_POSTS = {"survey.enter_code", "survey.answer"}  # anyone with a code, no session needed
IMPLIED = {"HEAD", "OPTIONS"}
FUND_FORM = {"title": "Lakes kitchens", "amount_min": "1000", "amount_max": "5000", "closes_at": "2026-04-30 17:00"}
FUND_FORM |= {"sectors": ["I"], "areas": "CA"}  # the ten cafes in CA11 of the world
MEMBER_NAME, MEMBER_CONTACT = PAPER_FORM["name"], PAPER_FORM["contact"]
# Trustees' audit answers name the members they are about (as `datatrust audit` does); no other
# page outside casework shows a member's name, and none shows their contact details.
NAMES_MEMBERS = {"audit.ask", "audit.late_facts", "audit.find_member"}

# Visitors of the walk: their roles, and whether they are signed in.
VISITORS = {
    "anonymous": [],
    "caseworker-only": [CASEWORKER],
    "trustee-only": [TRUSTEE_ROLE],
    "caseworker-and-trustee": [CASEWORKER, TRUSTEE_ROLE],
    "disabled": [CASEWORKER, TRUSTEE_ROLE],
}


def _account_id(services, username: str) -> UUID:
    return next(a["account_id"] for a in services.views.staff() if a["username"] == username)


def _member_from(response) -> UUID:
    assert response.status_code == 302, response.get_data(as_text=True)
    return UUID(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def world(web_services, web_clock, lender, people):
    """Real ids for every rule argument: a paper member, an organisation, its token, a staff account."""
    registrar = people("reg", [CASEWORKER])
    member_id = _member_from(registrar.form("/members/new", PAPER_FORM))
    organisation_id, token = lender
    [token_row] = web_services.views.api_tokens(organisation_id)
    open_account(web_services.trust, "sam", [CASEWORKER])
    closes = web_services.clock() + timedelta(days=7)
    proposal_id = web_services.trust.open_proposal("A poll", "Which?", ["Yes", "No"], closes, TRUSTEE)
    return {
        "proposal_id": proposal_id,
        "member_id": member_id,
        "organisation_id": organisation_id,
        "token_id": token_row["token_id"],
        "account_id": _account_id(web_services, "sam"),
        "api_token": token,
        "registrar": registrar,
        **business_world(web_services, web_clock),
        **insight_world(web_services),
        "fund_id": fund_world(web_services, organisation_id),
    }


def fund_world(web_services, lender_id: UUID) -> UUID:
    """A fund the lender published, told to ten cafes that asked to hear of funds."""
    cafes(web_services.trust, 10)
    return publish_fund(web_services.trust, lender_id)


def publish_fund(trust, lender_id: UUID) -> UUID:  # type: ignore[no-untyped-def]
    actor = Actor("organisation", "api token 1")
    return trust.publish_fund(lender_id, "Green kitchens", 100_000, 500_000, CAFES_IN_CA, CLOSES, actor)


def business_world(web_services, web_clock) -> dict:
    """A business member since 2024 (so the 2024 surplus gives it a dividend) with a staff survey
    open (its codes, to answer it)."""
    trust, now = web_services.trust, web_clock.now
    web_clock.now = IN_2024
    business = trust.register_member("Fellside Bakery", MEMBER_THEMSELF, channel="web", kind="organisation-member")
    web_clock.now = now
    issued = open_survey(trust, business, codes=12)
    return {"business": business, "survey_id": issued.survey_id, "survey_codes": issued.codes}


def insight_world(web_services) -> dict:
    """A council's insight request with its panel drawn from ten consenting members."""
    trust, clock = web_services.trust, web_services.clock
    seated = list(community(trust, 10))
    council_id = council(trust, clock)
    request_id = submit(trust, clock, council_id, criteria=PanelCriteria(10))
    trust.review_insight_request(request_id, "approve", "Clear questions.", TRUSTEE)
    trust.draw_panel(request_id, TRUSTEE)
    _token_id, council_token = trust.issue_api_token(council_id, "portal", TRUSTEE)
    return {"request_id": request_id, "seated_member": seated[0], "council": council_id, "council_token": council_token}


def urls_for(app, endpoint: str, ids: dict) -> list[str]:
    """Every address of one rule, with real ids (each audit question for <question>)."""
    rule = ROUTES[endpoint][0]
    values = {
        "member_id": ids["member_id"],
        "organisation_id": ids["organisation_id"],
        "token_id": ids["token_id"],
        "account_id": ids["account_id"],
        "proposal_id": ids["proposal_id"],
        "member_ref": str(ids["member_id"]),
        "request_id": ids["request_id"],
        "token": "no-such-sign-in-link",
        "filename": "site.css",
        "category": "household-finances",  # asked of the paper member (an individual)
        "number": 1,
        "purpose": "affordable-credit",
        "consent_id": ids["member_id"],  # any id: nobody in the walk is signed in to the portal
        "fund_id": ids["fund_id"],
        "survey_id": ids["survey_id"],
        "group": "sector",
        "year": 2025,  # no surplus recorded: its page says so, its payment list is empty
    }
    adapter = app.url_map.bind("localhost")
    if "<question>" in rule:
        return [adapter.build(endpoint, {"question": q}) for q in QUESTIONS]
    [built] = app.url_map.iter_rules(endpoint)
    if endpoint == "panel_answers.answer":
        values["member_id"] = ids["seated_member"]  # a member on that panel
    arguments = {name: values[name] for name in built.arguments}
    return [adapter.build(endpoint, arguments)]


def _fresh_token(web: Web) -> str:
    """The CSRF token of the visitor's session (the sign-in page carries one for everybody)."""
    web.get("/sign-in")
    assert web.last_token
    return web.last_token


def _sign_in_redirect(response, path: str, ended: bool = False) -> None:
    """Sent to sign in, to come back to ``path`` (``ended``: told that the session ended)."""
    assert response.status_code == 302, (path, response.status_code)
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in", (path, response.headers["Location"])
    query = parse_qs(location.query)
    assert query.pop("next") == [path], (path, response.headers["Location"])
    assert query == ({"ended": ["1"]} if ended else {}), (path, response.headers["Location"])


def test_every_route_is_classified_and_guarded(app):
    """A new route fails here until it is listed; a staff page must carry the guard for its role."""
    rules = list(app.url_map.iter_rules())
    found = {rule.endpoint: (rule.rule, set(rule.methods) - IMPLIED) for rule in rules}
    assert len(found) == len(rules), "one rule per endpoint"
    assert found == {endpoint: (rule, methods) for endpoint, (rule, methods, _who) in ROUTES.items()}
    for endpoint, (_rule, methods, who) in ROUTES.items():
        view = app.view_functions[endpoint]
        role = getattr(view, "required_role", None)
        if who in STAFF:
            assert role == who, f"{endpoint} must be guarded by @requires({who!r}), found {role!r}"
        else:
            assert role is None, f"{endpoint} is listed as {who} but requires {role!r}"
        [rule] = app.url_map.iter_rules(endpoint)
        assert ("HEAD" in rule.methods) == ("GET" in methods)


def _visitor(kind: str, app, web_services, people) -> Web:
    if kind == "anonymous":
        return Web(app.test_client())
    web = people(kind.replace("-", "."), VISITORS[kind])
    if kind == "disabled":
        assert web.get("/members").status_code == 200
        web_services.trust.disable_staff_account(_account_id(web_services, "disabled"), TRUSTEE)
        # At once: the very next request is sent to sign in, and nothing is shown.
        response = web.get("/members")
        _sign_in_redirect(response, "/members", ended=True)
        assert "Your session ended" in web.text(web.get(response.headers["Location"]))
        _sign_in_redirect(web.get("/trustee"), "/trustee")
    return web


def _walk_order(endpoint: str) -> tuple:
    return (endpoint == "auth.sign_out", endpoint)  # signing out last, so the walk stays signed in


@pytest.mark.parametrize("kind", list(VISITORS))
def test_every_visitor_gets_exactly_what_their_roles_allow(kind, app, web_services, world, people):
    visitor = _visitor(kind, app, web_services, people)
    roles = set(VISITORS[kind]) if kind not in ("anonymous", "disabled") else set()
    signed_in = bool(roles)
    sees_casework = CASEWORKER in roles
    home = "/trustee" if TRUSTEE_ROLE in roles else "/members"
    checked = 0
    for endpoint in sorted(ROUTES, key=_walk_order):
        _rule, methods, who = ROUTES[endpoint]
        for url in urls_for(app, endpoint, world):
            for method in sorted(methods | ({"HEAD"} if "GET" in methods else set())) + ["OPTIONS"]:
                data = {"csrf_token": _fresh_token(visitor)} if method == "POST" else None
                refused = who in STAFF and who not in roles
                if refused:
                    with nothing_recorded(web_services):
                        response = visitor.client.open(url, method=method, data=data)
                else:
                    response = visitor.client.open(url, method=method, data=data)
                status, body = response.status_code, response.get_data(as_text=True)
                where = f"{kind}: {method} {url} -> {status}"
                checked += 1
                assert status != 500, where
                if not sees_casework:
                    assert MEMBER_CONTACT not in body, f"contact details shown: {where}"
                    if not (endpoint in NAMES_MEMBERS and TRUSTEE_ROLE in roles):
                        assert MEMBER_NAME not in body, f"member's name shown: {where}"
                if method == "OPTIONS":
                    assert status == 200 and body == "", where
                    continue
                if who in STAFF:
                    if not signed_in:
                        _sign_in_redirect(response, url)
                    elif who not in roles:
                        assert status == 403, where
                    elif method in ("GET", "HEAD"):
                        assert status == 200, where
                    else:
                        assert status in (200, 302, 400), where
                elif who == STATIC or who == API_DOCUMENT:
                    assert status == 200, where
                elif who == PORTAL:
                    # A staff session is no key to the portal: only an organisation's token is.
                    assert status == 302, where
                    assert response.headers["Location"].startswith("/organisation/sign-in"), where
                elif endpoint == "organisation.sign_in":
                    assert status == (200 if method != "POST" else 400), where
                elif who == MEMBER_PORTAL:  # a staff session is no key to a member's portal
                    assert status == 302, where
                    assert response.headers["Location"].startswith("/portal/sign-in"), where
                elif who == STAFF_SURVEY:  # open to anyone; sending nothing (no code) is refused with a sentence
                    assert status == (200 if method != "POST" else 400), where
                elif endpoint == "portal.signed_out":
                    assert status == 200, where
                elif endpoint == "portal.sign_in":  # an unknown link: a button, and pressing it opens nothing
                    assert status == (200 if method != "POST" else 404), where
                elif endpoint == "portal.sign_out":  # leaves a staff session alone
                    assert status == 302 and response.headers["Location"] == "/portal/sign-in", where
                elif endpoint == "organisation.sign_out":  # leaves a staff session alone
                    assert status == 302 and response.headers["Location"] == "/organisation/sign-in", where
                elif who == API:
                    # A staff session is no key to the API: only a bearer token is.
                    assert status == 401, where
                    assert response.headers["WWW-Authenticate"].startswith("Bearer"), where
                elif endpoint == "auth.index":
                    assert status == 302 and response.headers["Location"] == (home if signed_in else "/sign-in"), where
                elif endpoint == "auth.sign_in":
                    assert status == (200 if method != "POST" else 400), where
                elif endpoint == "auth.welcome":
                    assert status == 404, where
                elif endpoint == "auth.sign_out":
                    assert status == 302 and response.headers["Location"] == "/sign-in?signed_out=1", where
                else:  # pragma: no cover - the classification test lists every kind
                    pytest.fail(f"unclassified {endpoint}")
    assert checked > 90
    if signed_in:  # signing out (the last rule walked) ended the session
        _sign_in_redirect(visitor.get(home), home)


def test_a_trustee_only_account_never_sees_casework_personal_data(web_services, world, trustee):
    member = world["member_id"]
    for url in (
        f"/members/{member}",
        f"/members/{member}/withdraw",
        f"/members/{member}/profile",
        f"/members/{member}/household",
        f"/members/{member}/confirm",
        f"/members/{member}/consents/new",
        "/members?q=Mary",
        "/members/pending",
        "/members/asked-for-help",
    ):
        with nothing_recorded(web_services):
            response = trustee.get(url)
        assert response.status_code == 403, url
        body = trustee.text(response)
        assert MEMBER_NAME not in body and "Mary" not in body and MEMBER_CONTACT not in body, url
    # The trustee's own pages report counts and organisations, never the member's contact details.
    for url in ("/trustee", "/trustee/audit", "/trustee/audit/late-facts", "/trustee/organisations"):
        body = trustee.text(trustee.get(url))
        assert MEMBER_CONTACT not in body, url
        if url != "/trustee/audit/late-facts":
            assert MEMBER_NAME not in body, url


def test_a_disabled_account_cannot_sign_in_again(web_services, people, app):
    web = people("dora", [CASEWORKER])
    web_services.trust.disable_staff_account(_account_id(web_services, "dora"), TRUSTEE)
    _sign_in_redirect(web.get("/members"), "/members", ended=True)
    again = Web(app.test_client())
    response = again.form("/sign-in", {"username": "dora", "password": PASSWORD})
    assert response.status_code == 401
    _sign_in_redirect(again.get("/members"), "/members")


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(app, web_services):
    open_account(web_services.trust, "nina", [CASEWORKER])
    for asked, lands in (
        ("/members/pending", "/members/pending"),
        ("//evil.example/x", "/members"),
        ("https://evil.example/", "/members"),
        ("members", "/members"),
    ):
        web = Web(app.test_client())
        web.get("/sign-in")
        response = web.post(f"/sign-in?next={asked}", {"username": "nina", "password": PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == lands, asked


# Every POST, without its CSRF token


def _valid_posts(app, web_services, world, web_clock) -> dict:
    """endpoint -> (page with the form, target, data a valid request sends, statuses of success)."""
    trust, views = web_services.trust, web_services.views
    member = world["member_id"]
    [consent] = views.consents(member, web_clock())
    newcomer = trust.register_organisation("Fellside Funders", "funder", TRUSTEE)
    organisation = world["organisation_id"]
    org_page = f"/trustee/organisations/{organisation}"
    sam = world["account_id"]
    link = trust.open_staff_account("wren", [CASEWORKER], SETUP)
    open_account(trust, "otto", [CASEWORKER])
    voter = trust.register_member("Vera Voter", MEMBER_THEMSELF, channel="bot")
    poll = trust.open_proposal("Meeting day", "Which day?", ["Mon", "Tue"], web_clock() + timedelta(days=7), TRUSTEE)
    trust.ask_for_help(voter, "Please call me.", "sms", MEMBER_THEMSELF)
    return {
        "help_requests.handled": (
            "/members/asked-for-help",
            f"/members/{voter}/asked-for-help",
            {"request": "1", "note": "Called her."},
            (302,),
        ),
        "auth.sign_in": ("/sign-in", "/sign-in", {"username": "otto", "password": PASSWORD}, (302,)),
        "auth.welcome": (
            f"/welcome/{link.token}",
            f"/welcome/{link.token}",
            {"password": "a long enough passphrase", "confirm": "a long enough passphrase"},
            (302,),
        ),
        "casework.register": ("/members/new", "/members/new", PAPER_FORM, (302,)),
        "casework.profile": (
            f"/members/{member}/profile",
            None,
            {"signed_on": "2026-03-01", "profile_age-band": "75+"},
            (302,),
        ),
        "casework.household": (f"/members/{member}/household", None, {"alone": "y"}, (302,)),
        "casework.paper_data": (
            f"/members/{member}/data/household-finances",
            None,
            {"signed_on": "2026-03-01", "form_ref": "HF-1", "field_income_band": "under-1000"},
            (302,),
        ),
        "casework.portal_link": (f"/members/{member}", f"/members/{member}/portal-link", {}, (302,)),
        "casework.add_consent": (
            f"/members/{member}/consents/new",
            None,
            {
                "purpose": "research",
                "audience": "kind:researcher",
                "categories": ["profile"],
                "signed_on": "2026-03-01",
                "form_ref": "PF-2001",
            },
            (302,),
        ),
        "casework.withdraw": (
            f"/members/{member}/withdraw",
            None,
            {"consent": str(consent["consent_id"]), "signed_on": "2026-03-01", "form_ref": "WD-1"},
            (302,),
        ),
        "casework.confirm": (f"/members/{member}/confirm", None, {"seen": "y"}, (302,)),
        "casework.terms": (f"/members/{member}/terms", None, {"signed_on": "2026-03-01", "form_ref": "PF-9"}, (302,)),
        "trustees.organisations": ("/trustee/organisations", None, {"name": "Dale Council", "kind": "council"}, (302,)),
        "organisation.publish_fund": ("/organisation/funds/new", None, FUND_FORM, (302,)),
        "trustees.approve": (
            f"/trustee/organisations/{newcomer}",
            f"/trustee/organisations/{newcomer}/approve",
            {"agreement_ref": "DSA-9", "agreement_date": "2026-03-01"},
            (302,),
        ),
        "trustees.issue_token": (org_page, f"{org_page}/tokens", {"label": "reporting"}, (302,)),
        "trustees.revoke_token": (org_page, f"{org_page}/tokens/{world['token_id']}/revoke", {"confirm": "y"}, (302,)),
        "trustees.suspend": (
            org_page,
            f"{org_page}/suspend",
            {"reason": "agreement under review", "confirm": "y"},
            (302,),
        ),
        "trustees.reinstate": (org_page, f"{org_page}/reinstate", {"reason": "review finished"}, (302,)),
        "staff.accounts": ("/trustee/staff", None, {"username": "newbie", "roles": [CASEWORKER]}, (302,)),
        "staff.account": (
            f"/trustee/staff/{sam}",
            None,
            {"roles": [CASEWORKER, TRUSTEE_ROLE]},
            (302,),
        ),
        "staff.disable": (f"/trustee/staff/{sam}", f"/trustee/staff/{sam}/disable", {"confirm": "y"}, (302,)),
        "staff.enable": (f"/trustee/staff/{sam}", f"/trustee/staff/{sam}/enable", {}, (302,)),
        "staff.new_link": (f"/trustee/staff/{sam}", f"/trustee/staff/{sam}/sign-in-link", {}, (302,)),
        **_insight_posts(web_services, world, web_clock),
        "proposals.new": (
            "/trustee/proposals/new",
            None,
            {"title": "A poll", "text": "Which?", "choices": "Yes\nNo", "closes": "2026-03-09T17:00"}
            | {"quorum_percent": "25", "pass_percent": "50", "kind": "poll", "rule_code": "min-cell-size"},
            (302,),
        ),
        "proposals.close": (f"/trustee/proposals/{poll}", f"/trustee/proposals/{poll}/close", {}, (302,)),
        "proposals.paper_ballot": (
            f"/members/{voter}/ballots/{poll}",
            None,
            {"option": "0", "ballot_ref": "BAL-1"},
            (302,),
        ),
        **_surplus_posts(web_services, world, web_clock),
        "auth.sign_out": ("/members", "/sign-out", {}, (302,)),
        "organisation.sign_out": ("/organisation", "/organisation/sign-out", {}, (302,)),
    }


def _surplus_posts(web_services, world, web_clock) -> dict:
    """A 2025 with income recorded, a closed split ballot on its surplus and a passed vote on the
    dividend rule (recorded on a clock set back to June 2025, then put back)."""
    trust, now = web_services.trust, web_clock.now
    web_clock.now = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    sid = trust.register_member("Sid Splitter", MEMBER_THEMSELF, channel="bot")
    paid = submit(trust, web_clock, world["council"], criteria=PanelCriteria(10))
    trust.record_payment(paid, 100_000, "INV-2025-1", TRUSTEE)
    closes = web_clock() + timedelta(days=7)
    one_decides = {"closes_at": closes, "actor": TRUSTEE, "quorum_percent": 0}  # one voter among the world's members
    split = trust.open_proposal("2025 surplus", "Split it.", ["Dividends", "Reinvest"], split=True, **one_decides)
    rule = trust.open_proposal("Equal dividends", "Agreed?", ["For", "Against"], passing_option=0, **one_decides)
    trust.cast_split_vote(split, sid, [50, 50], MEMBER_THEMSELF)
    trust.cast_vote(rule, sid, 0, MEMBER_THEMSELF)
    web_clock.now = closes + timedelta(minutes=1)
    trust.close_proposal(split, TRUSTEE)
    trust.close_proposal(rule, TRUSTEE)
    web_clock.now = now
    year = "/trustee/surplus/2025"
    return {
        "surplus.index": ("/trustee/surplus", None, {"year": "2025", "amount": "500", "evidence_ref": "A-25"}, (302,)),
        "surplus.uses": (
            year,
            f"{year}/uses",
            {"proposal_id": str(split), "dividend_use": "Dividends", "projects": "Fell food bank"},
            (302,),
        ),
        "surplus.dividends": (
            year,
            f"{year}/dividends",
            {"proposal_id": str(rule), "equal_percent": "100", "participation_percent": "0"},
            (302,),
        ),
    }


def _insight_posts(web_services, world, web_clock) -> dict:
    """Insight requests in every state a trustee's or organisation's form needs."""
    trust, council_id = web_services.trust, world["council"]
    drawn, seated = world["request_id"], world["seated_member"]

    def request(*steps: str, **changes) -> str:
        request_id = submit(trust, web_clock, council_id, criteria=PanelCriteria(10), **changes)
        if "approve" in steps or "draw" in steps:
            trust.review_insight_request(request_id, "approve", "Fine.", TRUSTEE)
        if "changes" in steps:
            trust.review_insight_request(request_id, "changes", "Add a question.", TRUSTEE)
        if "draw" in steps:
            trust.draw_panel(request_id, TRUSTEE)
        return f"/trustee/insight/{request_id}"

    submitted, approved, changes = request(), request("approve"), request("changes")
    to_close = request("draw", closes_at=web_clock() + timedelta(minutes=1))
    closed = request("draw", closes_at=web_clock() + timedelta(minutes=1))
    web_clock.advance(minutes=2)
    trust.close_insight_request(UUID(closed.rsplit("/", 1)[1]), TRUSTEE)
    revise = f"/organisation/requests/{changes.rsplit('/', 1)[1]}/revise"
    paper = f"/members/{seated}/panels/{drawn}"
    unmeetable = submit(trust, web_clock, council_id, criteria=PanelCriteria(10, (Quota("area", "CA2", 1, 10),)))
    trust.review_insight_request(unmeetable, "approve", "Fine.", TRUSTEE)
    nearest = {"proposal": trust.nearest_quotas(unmeetable).proposal}  # the pool of ten is all in CA1
    return {
        "insight.accept_quotas": (
            f"/trustee/insight/{unmeetable}",
            f"/trustee/insight/{unmeetable}/quotas",
            nearest,
            (302,),
        ),
        "insight.invite_reserves": (f"/trustee/insight/{drawn}", f"/trustee/insight/{drawn}/reserves", {}, (302,)),
        "insight.review": (submitted, f"{submitted}/review", {"decision": "approve", "reason": "Fine."}, (302,)),
        "insight.draw": (approved, f"{approved}/draw", {}, (302,)),
        "insight.payment": (approved, f"{approved}/payments", {"amount": "10", "reference": "INV-1"}, (302,)),
        "insight.rerun": (f"/trustee/insight/{drawn}", f"/trustee/insight/{drawn}/rerun", {}, (200,)),
        "insight.close": (to_close, f"{to_close}/close", {}, (302,)),
        "insight.free_text": (f"{closed}/free-text", None, {}, (302,)),
        "panel_answers.answer": (paper, None, {"answer_buses": "good", "evidence_ref": "PP-1"}, (302,)),
        "organisation.sign_in": ("/organisation/sign-in", None, {"token": world["council_token"]}, (302,)),
        "organisation.ask": ("/organisation/requests/new", None, ASK, (302,)),
        "organisation.revise": (revise, None, ASK, (302,)),
        **_member_posts(trust, world, web_clock),
    }


GRANTS_FILE = (  # a 360Giving file with one grant to the business (its profile's identifier, as the portal sets it)
    b"Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Funding Org:Identifier\n"
    b"360G-fell-1,Oven,GBP,100,2023-06-14,GB-CHC-1123456,GB-COH-09876543\n"
)


class ReusableFile(io.BytesIO):
    """An upload the walk sends several times (refused, then accepted): rewound once read, never closed."""

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        if not chunk:
            self.seek(0)
        return chunk

    def close(self) -> None:
        pass


def _member_posts(trust, world, web_clock) -> dict:
    """The portal's POSTs, by the business world["business"] signed in as (sign-out last: it ends the session)."""
    business, records = world["business"], "/portal/data/funding-history/records"
    dividend_2024(trust, world, web_clock)
    grant = {"field_funder": "GB-CHC-1123456", "field_amount": "500", "field_instrument": "grant"}
    trust.share_data(
        business,
        "funding-history",
        [{"funder": "GB-CHC-1123456", "amount": 50000, "instrument": "grant", "date": f"2024-0{n}-01"} for n in (1, 2)],
        MEMBER_THEMSELF,
        "portal",
    )
    consent = trust.grant_consent(
        business, "funding-applications", ["organisation-profile"], Audience(kind="funder"), MEMBER_THEMSELF
    )
    # A cafe in LA9: the lender's funds for cafes in CA reach the same ten cafes whether or not it hears of
    # funds (two of one funder's funds reaching sets a member apart would tell the funder about that member)
    own = {**CAFE, "org-id": "GB-CHC-1123456", "area": "LA9"}
    trust.share_data(business, "organisation-profile", own, MEMBER_THEMSELF, "portal")
    trust.grant_consent(business, "fund-news", ["organisation-profile"], Audience(kind="trust"), MEMBER_THEMSELF)
    investor = approved_funder(trust, web_clock, name="Fellfoot Investors")
    fund = trust.publish_fund(  # every cafe: the ten in CA and the business
        investor, "Cafes everywhere", 100_000, 500_000, {"sectors": ["I"]}, CLOSES, Actor("organisation", "api")
    )
    link = trust.issue_member_sign_in_link(business, TRUSTEE)
    surveys, survey, codes = "/portal/staff-surveys", world["survey_id"], world["survey_codes"]
    return {
        "portal.sign_in": (f"/portal/sign-in/{link.token}", None, {}, (302,)),
        "portal.category": ("/portal/data/organisation-profile", None, {"field_org_id": "GB-CHC-1123456"}, (302,)),
        "portal.new_record": (f"{records}/new", None, {**grant, "field_date": "2024-03-01"}, (302,)),
        "portal.record": (f"{records}/1", None, {**grant, "field_date": "2024-04-01"}, (302,)),
        "portal.remove_record": (records, f"{records}/2/remove", {}, (302,)),
        "portal.upload": (records, f"{records}/upload", {"file": (ReusableFile(GRANTS_FILE), "grants.csv")}, (302,)),
        "portal.give": ("/portal/consents/give/funding-applications", None, {"audience": "kind:investor"}, (302,)),
        "portal.withdraw": ("/portal/consents", f"/portal/consents/{consent}/withdraw", {}, (302,)),
        "portal.new_staff_survey": (f"{surveys}/new", None, NEW_SURVEY, (302,)),
        "survey.enter_code": ("/survey", None, {"code": codes[0]}, (200,)),
        "survey.answer": ("/survey", "/survey/answers", {"code": codes[1], "answer_rota": "fair"}, (302,)),
        "portal.close_staff_survey": (f"{surveys}/{survey}", f"{surveys}/{survey}/close", {}, (302,)),
        "survey_review.free_text": (f"/trustee/staff-surveys/{closed_survey(trust)}/free-text", None, {}, (302,)),
        "portal.share_pack": ("/portal/funds", f"/portal/funds/{fund}/share", {}, (302,)),
        "portal.give_dividend": (
            "/portal/dividends/2024/give",
            None,
            {"project": "Fell food bank", "confirm": "y"},
            (302,),
        ),
        "portal.sign_out": ("/portal", "/portal/sign-out", {}, (302,)),
    }


IN_2024 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def dividend_2024(trust, world, web_clock) -> None:
    """The 2024 surplus shared equally among the members at the end of 2024 (the business among
    them), with a community project to give a dividend to; its votes on a clock set back, then put back."""
    now = web_clock.now
    web_clock.now = IN_2024
    paid = submit(trust, web_clock, world["council"], criteria=PanelCriteria(10))
    trust.record_payment(paid, 100_000, "INV-2024-1", TRUSTEE)
    one_decides = {"closes_at": web_clock() + timedelta(days=7), "actor": TRUSTEE, "quorum_percent": 0}
    split = trust.open_proposal("2024 surplus", "Split it.", ["Dividends", "Reinvest"], split=True, **one_decides)
    rule = trust.open_proposal("Equal dividends", "Agreed?", ["For", "Against"], passing_option=0, **one_decides)
    trust.cast_split_vote(split, world["business"], [50, 50], MEMBER_THEMSELF)
    trust.cast_vote(rule, world["business"], 0, MEMBER_THEMSELF)
    web_clock.now = one_decides["closes_at"] + timedelta(minutes=1)
    trust.close_proposal(split, TRUSTEE)
    trust.close_proposal(rule, TRUSTEE)
    web_clock.now = now
    trust.record_surplus(2024, 50_000, "A-24", TRUSTEE)
    trust.decide_surplus_uses(2024, split, 0, ["Fell food bank"], TRUSTEE)
    trust.share_dividends(2024, 100, 0, rule, TRUSTEE)


NEW_SURVEY = {
    "title": "How is work going?",
    "questions-0-text": "How fair is the rota?",
    "questions-0-kind": "single",
    "questions-0-options": "fair\nunfair",
    "codes": "10",
}


def closed_survey(trust):
    """Another business's survey, answered by ten staff with free text, closed: its text waits for review."""
    business = trust.register_member("Riverside Cafe", MEMBER_THEMSELF, channel="web", kind="organisation-member")
    issued = open_survey(trust, business, codes=10)
    for number, code in enumerate(issued.codes):
        trust.answer_staff_survey(code, {"rota": "fair", "else": f"Note {number}"})
    trust.close_staff_survey(issued.survey_id, None, TRUSTEE)
    return issued.survey_id


def test_every_post_without_its_csrf_token_is_refused_and_records_nothing(app, web_services, world, web_clock, people):
    """Each POST route, with data that is otherwise valid: without the token, with a forged
    token and with another session's token it is refused (400) and nothing changes; with
    its own token the same data is accepted (so the token was the only thing missing)."""
    posts = _valid_posts(app, web_services, world, web_clock)
    post_rules = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in API_POSTS}
    assert post_rules == set(posts), "every POST route needs a valid request here"
    staff = people("both", [CASEWORKER, TRUSTEE_ROLE])
    portal = Web(app.test_client())
    assert portal.form("/organisation/sign-in", {"token": world["council_token"]}).status_code == 302
    other = people("other", [CASEWORKER])
    others_token = _fresh_token(other)
    funder = Web(app.test_client())
    assert funder.form("/organisation/sign-in", {"token": world["api_token"]}).status_code == 302
    member = Web(app.test_client())  # signed in by the portal.sign_in post, before its own posts
    for endpoint, (page, target, data, accepted) in posts.items():
        fresh = endpoint in ("auth.sign_in", "auth.welcome", "organisation.sign_in", *SURVEY_POSTS)
        web = Web(app.test_client()) if fresh else staff
        if endpoint in PORTAL_POSTS:
            web = portal
        if endpoint in FUNDER_POSTS:
            web = funder
        if endpoint in MEMBER_POSTS or endpoint == "portal.sign_in":
            web = member
        target = target or page
        assert web.get(page).status_code == 200, page
        for token in (None, "forged-token", others_token):
            sent = dict(data) | ({"csrf_token": token} if token else {})
            with nothing_recorded(web_services):
                response = web.post(target, sent, csrf=False)
            assert response.status_code == 400, (endpoint, token, response.status_code)
            assert "security token" in web.text(response)
        # Still signed out / still signed in: a refused sign-in or sign-out changed no session.
        expected_members = 302 if web is not staff else 200
        assert web.client.get("/members").status_code == expected_members, endpoint
        response = web.form(page, data, target=target)
        assert response.status_code in accepted, (endpoint, response.status_code, web.text(response)[:2000])


# The organisation API


def _api(client, path: str, token: str | None = None, scheme: str = "Bearer"):
    headers = {"Authorization": f"{scheme} {token}"} if token is not None else {}
    return client.get(path, headers=headers)


def _attempts(services) -> int:
    from sqlalchemy import func, select

    from projections.consent.tables import access_attempts

    with services.views.reading() as conn:
        return conn.execute(select(func.count()).select_from(access_attempts)).scalar()


def test_api_refuses_missing_wrong_revoked_and_suspended_tokens_at_once(app, web_services, world, trustee):
    client = app.test_client()
    member, token = world["member_id"], world["api_token"]
    read = f"/api/v1/members/{member}?purpose=affordable-credit"
    listing = "/api/v1/members?purpose=affordable-credit"
    with nothing_recorded(web_services):
        for path in (read, listing):
            for sent, scheme in (
                (None, "Bearer"),
                ("", "Bearer"),
                (token, "Basic"),
                (token, "Token"),
                ("x" * 201, "Bearer"),
                (token + "x", "Bearer"),
                ("not-a-token", "Bearer"),
            ):
                response = _api(client, path, sent, scheme)
                assert response.status_code == 401, (path, scheme, sent and sent[:20])
                assert response.headers["WWW-Authenticate"] == 'Bearer realm="datatrust"'
                assert set(response.get_json()) == {"error"}
        # A trustee's signed-in session is no key to the API.
        assert trustee.get(listing).status_code == 401
    assert _api(client, listing, token).status_code == 200
    assert _api(client, listing, token, scheme="bearer").status_code == 200

    organisation = world["organisation_id"]
    page = f"/trustee/organisations/{organisation}"
    # Suspended by a trustee: refused (403) on the very next request, and reading records nothing.
    suspension = {"reason": "agreement under review", "confirm": "y"}
    assert trustee.form(page, suspension, target=f"{page}/suspend").status_code == 302
    with nothing_recorded(web_services):
        for path in (read, listing):
            response = _api(client, path, token)
            assert response.status_code == 403, path
            assert "suspended" in response.get_json()["error"]
    assert trustee.form(page, {"reason": "review done"}, target=f"{page}/reinstate").status_code == 302
    assert _api(client, listing, token).status_code == 200
    # Revoked: refused (401) on the very next request.
    revoke = f"{page}/tokens/{world['token_id']}/revoke"
    assert trustee.form(page, {"confirm": "y"}, target=revoke).status_code == 302
    with nothing_recorded(web_services):
        for path in (read, listing):
            assert _api(client, path, token).status_code == 401, path


def test_api_never_returns_a_members_data_without_consent(app, web_services, world, web_clock, second_caseworker):
    """The paper member ticked affordable credit (contact, household finances) for every social
    lender: nothing before they confirm, only those categories after, nothing after withdrawal.
    Every read of a real member is recorded, allowed or not."""
    client = app.test_client()
    member, token = world["member_id"], world["api_token"]
    caseworker = world["registrar"]

    def read(query: str):
        before = _attempts(web_services)
        response = _api(client, f"/api/v1/members/{member}?{query}", token)
        assert _attempts(web_services) == before + 1, query
        body = response.get_json()
        # Allowed: the attempt's id; refused: one sentence, the same as for an id that is no member's.
        assert body["access_id"] if response.status_code == 200 else list(body) == ["error"]
        return response.status_code, body

    def listed(purpose: str) -> set[str]:
        response = _api(client, f"/api/v1/members?purpose={purpose}", token)
        assert response.status_code == 200
        return {m["member_id"] for m in response.get_json()["members"]}

    status, body = read("purpose=affordable-credit")
    assert status == 403 and "fields" not in body and MEMBER_NAME not in str(body)
    assert str(member) not in listed("affordable-credit")

    assert second_caseworker.form(f"/members/{member}/confirm", {"seen": "y"}).status_code == 302
    status, body = read("purpose=affordable-credit")
    assert status == 200
    assert body["fields"] == {"contact": {"name": MEMBER_NAME, "contact": MEMBER_CONTACT}, "household-finances": None}
    assert set(body["consents"]) == {"contact", "household-finances"}
    withheld = {"profile", "housing", "wellbeing", "panel-answers", "organisation-profile", "funding-history"}
    assert set(body["withheld"]) == withheld
    assert listed("affordable-credit") == {str(member)}
    for query in ("purpose=affordable-credit&categories=profile", "purpose=research", "purpose=service-planning"):
        status, body = read(query)
        assert status == 403 and "fields" not in body and MEMBER_NAME not in str(body), query
    assert listed("research") == set()

    # Refusals that never reach a member record nothing, and show nothing.
    with nothing_recorded(web_services):
        for path, expected in (
            (f"/api/v1/members/{UUID(int=1)}?purpose=affordable-credit", 403),
            ("/api/v1/members/not-a-member?purpose=affordable-credit", 403),
            (f"/api/v1/members/{member}?purpose=no-such-purpose", 400),
            (f"/api/v1/members/{member}", 400),
            (f"/api/v1/members/{member}?purpose=affordable-credit&categories=secrets", 400),
        ):
            response = _api(client, path, token)
            assert response.status_code == expected, path
            assert MEMBER_NAME not in response.get_data(as_text=True)

    [consent] = web_services.views.consents(member, web_clock())
    withdrawal = {"consent": str(consent["consent_id"]), "signed_on": "2026-03-02", "form_ref": "WD-7"}
    assert caseworker.form(f"/members/{member}/withdraw", withdrawal).status_code == 302
    status, body = read("purpose=affordable-credit")
    assert status == 403 and "fields" not in body
    assert listed("affordable-credit") == set()
