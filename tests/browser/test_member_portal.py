"""The members' portal in the browser: a caseworker issues a one-time link from the member's page;
the member (a social business) signs in with it, shares its profile (a mistake shown, then put
right), adds a grant to its funding history, gives a consent after reading its notice and sees
who can read what; every page axe-clean at 1280 px, and at 375 px nothing to scroll sideways.
Screenshots of each step are kept in test-artifacts/browser/<test>/."""

import os
import subprocess

from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, Seeded, _datatrust
from tests.browser.test_accessibility import AXE, BLOCKING, describe
from tests.browser.test_phone_tables import _fits

BUSINESS = "Quarry Lane Community Bakery"


def _register_business(seeded: Seeded, name: str = BUSINESS) -> None:
    """The business joins by itself (the command line, as the trust's own tool), so it is confirmed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATATRUST_")}
    env["DATATRUST_VAR"] = str(seeded.server.log.parent / "var")
    command = [*_datatrust(), "--actor", "member:self", "member", "register", name]
    subprocess.run(  # noqa: S603 - our own command line
        [*command, "--kind", "organisation-member", "--channel", "web"], env=env, cwd=ROOT, check=True
    )


def _axe_clean(page: Page, where: str) -> None:
    found = AXE.run(page).response
    blocking = [v for v in found["violations"] if v["impact"] in BLOCKING]
    assert found["passes"] and not blocking, f"axe on {where}:\n{describe(blocking)}"
    assert not found["violations"], f"axe on {where}:\n{describe(found['violations'])}"


def _issue_link(page: Page, seeded: Seeded, name: str = BUSINESS) -> str:
    page.goto(seeded.url(f"/members?q={name.split()[0]}"))
    page.get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="Issue a portal sign-in link").click()
    expect(page.get_by_role("status").filter(has_text="Portal sign-in link")).to_be_visible()
    return page.locator("p.secret").inner_text().strip()


def test_a_member_walks_their_portal_at_1280_and_375_px(seeded, open_page, screenshots):
    _register_business(seeded)
    caseworker = open_page(storage_state=seeded.caseworker, viewport={"width": 1280, "height": 800})
    link = _issue_link(caseworker, seeded)
    screenshots(caseworker, "01-link-issued")

    page = open_page(viewport={"width": 1280, "height": 800})
    page.goto(link)
    _axe_clean(page, "the sign-in button")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    _axe_clean(page, "home")
    screenshots(page, "02-home")

    page.get_by_role("link", name="Organisation profile").click()
    page.get_by_label("Identifier (required)").fill("my charity")
    page.get_by_label("Legal form").select_option(label="Co-operative society")
    page.get_by_label("Sector (SIC 2007 section)").select_option(label="Accommodation and food services")
    page.get_by_label("Annual income (£)").fill("£312,500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Identifier (required)")).to_have_value("my charity")
    _axe_clean(page, "the profile with a mistake")
    screenshots(page, "03-profile-mistake")
    page.get_by_label("Identifier (required)").fill("GB-MPR-30084R")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_text("£312,500.00")).to_be_visible()

    page.get_by_role("link", name="Funding history").click()
    page.get_by_role("link", name="Add a record").click()
    page.get_by_label("Funder (required)").fill("GB-CHC-1123456")
    page.get_by_label("Amount (£) (required)").fill("12500")
    page.get_by_label("Kind (required)").select_option(label="Grant")
    page.get_by_label("Date awarded (required)").fill("14/6/2023")
    page.get_by_label("Title").fill("A second oven")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("table", name="Your funding history")).to_contain_text("£12,500.00")
    expect(page.get_by_role("button", name="Remove record 1")).to_be_visible()
    _axe_clean(page, "funding history")
    screenshots(page, "04-funding-history")

    page.get_by_role("link", name="Your consents").click()
    page.get_by_role("link", name="Funding applications").click()
    expect(page.locator("blockquote")).to_contain_text("this consent names may read")
    _axe_clean(page, "giving a consent")
    page.get_by_label("Eden Valley Credit Union only").check()
    page.get_by_role("button", name="Give consent").click()
    table = page.get_by_role("table", name="Your consents in force or waiting")
    expect(table).to_contain_text("Eden Valley Credit Union")
    _axe_clean(page, "consents")
    screenshots(page, "05-consents")

    page.get_by_role("link", name="Who can read it").click()
    expect(page.get_by_role("table")).to_contain_text("Eden Valley Credit Union")
    _axe_clean(page, "who can read it")
    screenshots(page, "06-who-can-read")

    page.get_by_role("link", name="How you compare").click()
    page.get_by_role("link", name="Read about benchmarking and agree").click()
    expect(page.locator("blockquote")).to_contain_text("inside the trust only")
    expect(page.get_by_label("The trust itself, for anonymised comparisons only (no organisation)")).to_be_checked()
    page.get_by_role("button", name="Give consent").click()
    page.get_by_role("link", name="How you compare").click()
    expect(page.get_by_role("heading", name="Same sector: Accommodation and food services")).to_be_visible()
    expect(page.get_by_text("Only 1 organisation in this group agreed to benchmarking").first).to_be_visible()
    _axe_clean(page, "how you compare")
    screenshots(page, "06b-how-you-compare")

    page.get_by_role("link", name="Dividends").click()
    expect(page.get_by_text("You have no dividend yet.")).to_be_visible()
    _axe_clean(page, "dividends")

    phone = open_page(storage_state=page.context.storage_state(), viewport={"width": 375, "height": 740})
    for path, name in (
        ("/portal", "07-home-375"),
        ("/portal/data/funding-history/records", "08-funding-history-375"),
        ("/portal/consents", "09-consents-375"),
        ("/portal/reads", "10-who-can-read-375"),
        ("/portal/benchmarks", "10b-how-you-compare-375"),
        ("/portal/dividends", "10c-dividends-375"),
    ):
        phone.goto(seeded.url(path))
        expect(phone.locator("main h1")).to_be_visible()
        _fits(phone, 375)
        _axe_clean(phone, f"{path} at 375 px")
        screenshots(phone, name)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    phone.goto(seeded.url("/portal"))  # the same session, from the other window: ended on the server
    expect(phone.get_by_role("status")).to_contain_text("This session was signed out")
    screenshots(phone, "11-signed-out-375")
