"""On a phone (320 and 375 CSS pixels) a table is one block per row, the part that matters
first: a member's consent shows its status and "Record withdrawal", Explain and who-could-see
their answer in a sentence, all without scrolling sideways. At 1280 px the tables stay tables.
And in the browser: a new API token is shown once, a reload shows it no more, and a
destructive action without its tick changes nothing and says so."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from adapters.bootstrap import bootstrap
from adapters.demo import BUS_QUESTIONS, DemoClock, load_demo
from adapters.settings import Settings
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.actors import Actor
from domain.kernel.errors import TrustError
from tests.browser import steps
from tests.browser.conftest import Seeded, Server, new_context, start_server
from tests.browser.conftest import _stop as stop_server
from tests.browser.test_accessibility import AXE, describe

FITS = """(limit) => ({
    scroll: document.scrollingElement.scrollWidth,
    wider: [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > limit + 0.5)
        .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className),
})"""


def _fits(page: Page, width: int) -> None:
    found = page.evaluate(FITS, width)
    assert found["scroll"] <= width and not found["wider"], f"wider than {width}px: {found}"


def _inside(page: Page, locator, width: int) -> None:
    """Shown, and wholly within the screen's width (nothing to scroll sideways to reach it)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (box, width)


def _member(page: Page, seeded: Seeded):  # type: ignore[no-untyped-def]
    page.goto(seeded.member_url)
    table = page.get_by_role("table", name="This member's consents")
    row = table.locator("tbody tr").filter(has_text="Affordable credit").first
    return [row.locator("td.consent-status"), row.get_by_role("link", name="Record withdrawal of Affordable credit")]


def _explain(page: Page, seeded: Seeded):  # type: ignore[no-untyped-def]
    organisation = seeded.organisation_url.rstrip("/").rsplit("/", 1)[1]
    page.goto(
        seeded.url(
            f"/trustee/audit/explain?organisation={organisation}&member={seeded.member_code}"
            "&category=contact&at=&axis=recorded"
        )
    )
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    return [page.locator("p.answer")]  # the answer, in one sentence


def _who_could_see(page: Page, seeded: Seeded):  # type: ignore[no-untyped-def]
    page.goto(seeded.url(f"/trustee/audit/who-could-see?member={seeded.member_code}&at=&axis=recorded"))
    table = page.get_by_role("table", name="Answer")
    return [page.locator("p.answer"), table.locator("tbody tr td.lead").first]


PAGES = [
    ("member", "caseworker", _member),
    ("explain", "trustee", _explain),
    ("who-could-see", "trustee", _who_could_see),
]
TABLES = [page for page in PAGES if page[0] != "explain"]  # (explain answers in a sentence and a list)


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize(("name", "person", "open_it"), PAGES, ids=[p[0] for p in PAGES])
def test_the_key_column_is_on_the_screen_of_a_phone(name, person, open_it, width, seeded, open_page, screenshots):
    page = open_page(storage_state=getattr(seeded, person), viewport={"width": width, "height": 740})
    keys = open_it(page, seeded)
    for key in keys:
        _inside(page, key, width)
    _fits(page, width)
    screenshots(page, f"{name}-{width}")


@pytest.mark.parametrize(("name", "person", "open_it"), TABLES, ids=[p[0] for p in TABLES])
def test_at_1280_px_the_tables_stay_tables(name, person, open_it, seeded, open_page, screenshots):
    page = open_page(storage_state=getattr(seeded, person), viewport={"width": 1280, "height": 800})
    keys = open_it(page, seeded)
    header = page.locator("main table thead th").first
    expect(header).to_be_visible()  # the column names are shown as a header row, not beside each cell
    for key in keys:
        _inside(page, key, 1280)
    screenshots(page, f"{name}-1280")


def test_a_token_is_shown_once_and_a_revoke_without_its_tick_changes_nothing(seeded, open_page, screenshots):
    page = open_page(storage_state=seeded.trustee, viewport={"width": 375, "height": 740})
    page.goto(seeded.organisation_url)
    page.get_by_label("Where will the token be used?").fill("Phone test system")
    page.get_by_role("button", name="Issue token").click()
    secret = page.locator("p.secret")
    expect(secret).to_contain_text("dtk_")
    expect(page.get_by_label("Where will the token be used?")).to_have_value("")
    screenshots(page, "token-shown-375")
    page.reload()
    expect(page.locator('td[data-label="Used for"]', has_text="Phone test system")).to_have_count(1)  # none issued
    expect(secret).to_have_count(0)  # and the secret is not shown again

    row = page.locator("tbody tr").filter(has_text="Phone test system")
    revoke = row.get_by_role("button", name="Revoke token")
    _inside(page, revoke, 375)
    background = "e => getComputedStyle(e).backgroundColor"
    danger, ordinary = revoke.evaluate(background), page.get_by_role("button", name="Issue token").evaluate(background)
    assert danger == "rgb(177, 14, 30)" and ordinary == "rgb(0, 112, 60)", (danger, ordinary)  # red, not green
    _fits(page, 375)
    revoke.click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed: tick the box to confirm.")
    expect(page.locator("tbody tr").filter(has_text="Phone test system")).to_contain_text("in use")
    screenshots(page, "revoke-refused-375")
    violations = AXE.run(page).response["violations"]
    assert not violations, describe(violations)  # none at all, of any impact

    row = page.locator("tbody tr").filter(has_text="Phone test system")
    row.get_by_label('Revoke "Phone test system"', exact=False).check()
    row.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("status").filter(has_text="Token revoked")).to_be_visible()
    expect(page.locator("tbody tr").filter(has_text="Phone test system")).to_contain_text("revoked")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshots(page, "organisation-1280")


def _staff_account(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.url("/trustee/staff"))
    page.get_by_role("table", name="Staff accounts").get_by_role("link", name="cal", exact=True).click()
    expect(page.get_by_role("button", name="Disable account")).to_be_visible()


def _go(path: str):  # type: ignore[no-untyped-def]
    def go(page: Page, seeded: Seeded) -> None:
        page.goto(seeded.url(path))

    return go


MORE = [
    ("find-a-member", "caseworker", _go("/members?q=Atkinson")),
    ("staff-accounts", "trustee", _go("/trustee/staff")),
    ("staff-account", "trustee", _staff_account),
    ("organisations", "trustee", _go("/trustee/organisations")),
    ("proposals", "trustee", _go("/trustee/proposals")),
    ("new-proposal", "trustee", _go("/trustee/proposals/new")),
    ("insight-requests", "trustee", _go("/trustee/insight")),
    ("dashboard", "trustee", _go("/trustee")),
    ("rules", "trustee", _go("/trustee/rules")),
    ("pending", "caseworker", _go("/members/pending")),
]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize(("name", "person", "open_it"), MORE, ids=[p[0] for p in MORE])
def test_more_pages_fit_a_phone_and_pass_axe(name, person, open_it, width, seeded, open_page, screenshots):
    page = open_page(storage_state=getattr(seeded, person), viewport={"width": width, "height": 740})
    open_it(page, seeded)
    expect(page.locator("main h1")).to_be_visible()
    _fits(page, width)
    violations = AXE.run(page).response["violations"]
    assert not violations, describe(violations)  # none at all, of any impact
    screenshots(page, f"{name}-{width}")


# The pages that need a history: the demo's (a closed insight request with its anonymised
# result and a payment, a closed proposal), plus an open panel a member sits on and a rule
# changed by vote, so every staff table has rows.


@dataclass
class Demo:
    server: Server
    trustee: dict
    caseworker: dict
    closed_request: str  # its id
    cross_tab: str  # a closed request whose result is broken down by area
    panel_member: str  # a member on the open panel

    def url(self, path: str) -> str:
        return self.server.url(path)


def _closed_cross_tab(trust, views, clock: DemoClock, council, trustee: Actor):  # type: ignore[no-untyped-def]
    """A request whose result is broken down by area: a cross-tab, answered by the whole panel and closed."""
    request = trust.submit_insight_request(
        council,
        "Parks in Cumbria",
        "community-insight",
        BUS_QUESTIONS,
        PanelCriteria(size=20, breakdown=("area",)),
        30_000,
        clock.now + timedelta(days=3),
        Actor("organisation", "council portal"),
    )
    trust.review_insight_request(request, "approve", "Clear questions.", trustee)
    trust.draw_panel(request, trustee)
    for number, row in enumerate(views.panel_roster(request)):
        clock.advance(minutes=30)
        answer = {"buses": ("good", "fair", "poor")[number % 3], "help": ["more buses"]}
        trust.answer_panel(request, row["member_id"], answer, Actor("member", "self"))
    clock.advance(days=4)
    trust.close_insight_request(request, trustee)
    return request


def _history(folder: Path) -> tuple[str, str, str]:
    """The demo's history, then an open panel and a passed rule change, recorded before the server starts."""
    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": str(folder / "var")}))
    try:
        trust, views = services.trust, services.views
        loaded = load_demo(services)
        trustee = Actor("trustee", "tess")
        closed, council = loaded["insight_request"], loaded["organisations"]["council"]
        trust.record_payment(closed, 75_000, "INV-0007", trustee)
        real_clock = trust.clock
        clock = DemoClock(real_clock() - timedelta(days=20))  # all of it in the past
        trust.clock = clock
        try:
            by_area = _closed_cross_tab(trust, views, clock, council, trustee)
            proposal = trust.open_proposal(
                "Lower the minimum cell size",
                "Insight releases would need at least 8 members in every group.",
                ["For", "Against"],
                clock.now + timedelta(days=7),
                trustee,
                passing_option=0,
                rule_code="min-cell-size",
                rule_value=8,
            )
            voted = 0
            for member in loaded["members"]:
                try:
                    trust.cast_vote(proposal, member, 0, Actor("member", "self"))
                except TrustError:
                    continue  # not in the electorate
                voted += 1
                if voted == 12:
                    break
            clock.advance(days=8)
            trust.close_proposal(proposal, trustee)
        finally:
            trust.clock = real_clock
        still_open = trust.submit_insight_request(
            council,
            "Libraries in Cumbria",
            "community-insight",
            BUS_QUESTIONS,
            PanelCriteria(size=8),
            20_000,
            real_clock() + timedelta(days=14),
            Actor("organisation", "council portal"),
        )
        trust.review_insight_request(still_open, "approve", "Clear questions.", trustee)
        trust.draw_panel(still_open, trustee)
        seated = views.panel_roster(still_open)[0]["member_id"]
        declines = views.panel_roster(still_open)[1]["member_id"]  # a reserve takes the seat: the page shows it
        trust.decline_panel(still_open, declines, Actor("member", "self"))
        unmeetable = trust.submit_insight_request(  # nobody lives in ZE1 (Lerwick): the page offers the nearest quotas
            council,
            "Footpaths in Cumbria",
            "community-insight",
            BUS_QUESTIONS,
            PanelCriteria(size=8, quotas=(Quota("area", "ZE1", 2, 8),)),
            20_000,
            real_clock() + timedelta(days=14),
            Actor("organisation", "council portal"),
        )
        trust.review_insight_request(unmeetable, "approve", "Clear questions.", trustee)
        return str(closed), str(by_area), str(seated)
    finally:
        services.close()


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo-server")
    closed, cross_tab, seated = _history(folder)
    server = start_server(folder)  # a store with a history but no staff: `serve` makes the first trustee
    contexts = []
    try:
        trustee = new_context(browser)
        contexts.append(trustee)
        page = trustee.new_page()
        steps.choose_password(page, server.welcome_url)
        link = steps.open_account(page, "cal", ["Caseworker"])
        caseworker = new_context(browser)
        contexts.append(caseworker)
        steps.choose_password(caseworker.new_page(), link)
        yield Demo(server, trustee.storage_state(), caseworker.storage_state(), closed, cross_tab, seated)
    finally:
        for context in contexts:
            context.close()
        stop_server(server.process)


def _result(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url(f"/trustee/insight/{demo.closed_request}"))
    table = page.get_by_role("table", name=re.compile(r"^How good are the buses where you live\?, all who answered"))
    everyone = table.get_by_role("row", name=re.compile("everyone"))
    return [everyone.get_by_role("rowheader"), everyone.locator('td[data-label="good"]')]


def _cross_tab(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    """On a phone each area is a block: its name, then each answer beside its figure."""
    page.goto(demo.url(f"/trustee/insight/{demo.cross_tab}"))
    table = page.get_by_role("table", name=re.compile(r"^How good are the buses where you live\?, by area"))
    group = table.locator("tbody tr").first
    return [
        group.get_by_role("rowheader"),
        group.locator('td[data-label="Answered"]'),
        group.locator('td[data-label="poor"]'),
    ]


def _income(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url("/trustee/insight/income"))
    row = page.get_by_role("row").filter(has_text="Buses in Cumbria")
    return [row.locator("td.lead"), row.locator('td[data-label="Paid"]')]


def _roster(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url(f"/trustee/insight/{demo.closed_request}/roster"))
    row = page.get_by_role("table", name="Panel seats").locator("tbody tr").first
    return [row.locator("td.lead"), row.locator('td[data-label="State"]')]


def _member_panels(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url(f"/members/{demo.panel_member}/panels"))
    row = page.get_by_role("table", name="Open panels").locator("tbody tr").filter(has_text="Libraries in Cumbria")
    return [
        row.locator("td.lead"),
        row.locator("td.panel-state"),
        row.get_by_role("link", name=re.compile("^Enter paper answers")),
    ]


def _panel_draw(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    """The open panel's page: the draw report, the reserves, and the seat a declining member left."""
    page.goto(demo.url("/trustee/insight"))
    page.get_by_role("link", name="Libraries in Cumbria").click()
    expect(page.get_by_text("Gini of the chances")).to_be_visible()
    row = page.get_by_role("table", name="Seats panel members left").locator("tbody tr").first
    return [row.locator("td.lead"), row.locator('td[data-label="Taken by"]')]


def _nearest_quotas(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    """Drawing a panel its quotas refuse: the trust's sentence, and the nearest quotas to accept."""
    page.goto(demo.url("/trustee/insight"))
    page.get_by_role("link", name="Footpaths in Cumbria").click()
    page.get_by_role("button", name="Draw the panel").click()
    expect(page.get_by_role("alert")).to_contain_text("area = ZE1")
    row = page.get_by_role("table", name="Quotas changed").locator("tbody tr").first
    expect(page.get_by_role("button", name="Accept these quotas")).to_be_visible()
    return [row.get_by_role("rowheader"), row.locator('td[data-label="Nearest that can be met"]')]


def _rules(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url("/trustee/rules"))
    row = page.get_by_role("table", name="Changes to minimum cell size").locator("tbody tr").first
    return [row.get_by_role("link", name="Lower the minimum cell size"), row.locator('td[data-label="Value"]')]


def _dashboard(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url("/trustee"))
    erasures = page.get_by_role("table", name="Erasures by state").get_by_role("row", name=re.compile("^Complete"))
    organisation = page.get_by_role("table", name="Organisations and their status").locator("tbody tr").first
    return [
        erasures.locator('td[data-label="Erasures"]'),
        organisation.locator("td.lead"),
        organisation.locator("td.key"),
    ]


def _votes(page: Page, demo: Demo):  # type: ignore[no-untyped-def]
    page.goto(demo.url("/trustee/proposals"))
    page.get_by_role("link", name="Pay members who answer a community panel").click()
    table = page.get_by_role("table", name="Votes per option")  # two short columns: it stays a table
    return [table.get_by_role("row", name=re.compile("^For")).get_by_role("cell").last]


WITH_HISTORY = [
    ("insight-result", "trustee", _result),
    ("insight-cross-tab", "trustee", _cross_tab),
    ("income", "trustee", _income),
    ("roster", "trustee", _roster),
    ("panel-draw", "trustee", _panel_draw),
    ("nearest-quotas", "trustee", _nearest_quotas),
    ("member-panels", "caseworker", _member_panels),
    ("rules-changed", "trustee", _rules),
    ("dashboard-with-history", "trustee", _dashboard),
    ("votes", "trustee", _votes),
]


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize(("name", "person", "open_it"), WITH_HISTORY, ids=[p[0] for p in WITH_HISTORY])
def test_tables_with_a_history_read_on_a_phone_and_pass_axe(name, person, open_it, width, demo, open_page, screenshots):
    page = open_page(storage_state=getattr(demo, person), viewport={"width": width, "height": 740})
    keys = open_it(page, demo)
    for key in keys:
        _inside(page, key, width)  # the row's name and its key cell, without scrolling sideways
    _fits(page, width)
    display = "e => getComputedStyle(e).display"
    page.wait_for_load_state("load")  # the stylesheet, which the display below is read from (after a form's post too)
    for row in page.locator("main table.stack tbody tr").all():  # one block per row on a phone, a row on a screen
        assert row.evaluate(display) == ("table-row" if width == 1280 else "flex"), row.inner_text()
    violations = AXE.run(page).response["violations"]
    assert not violations, describe(violations)  # none at all, of any impact
    screenshots(page, f"{name}-{width}")
