"""On a phone (320 and 375 CSS pixels) a table is one block per row, the part that matters
first: a member's consent shows its status and "Record withdrawal", Explain and who-could-see
their answer in a sentence, all without scrolling sideways. At 1280 px the tables stay tables.
And in the browser: a new API token is shown once, a reload shows it no more, and a
destructive action without its tick changes nothing and says so."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Seeded
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
