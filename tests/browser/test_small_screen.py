"""At 320 CSS pixels wide (a small phone, or 1280 px zoomed to 400 %), the
caseworker's pages fit: nothing to scroll sideways (WCAG 1.4.10, reflow)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Seeded

WIDTH = 320


def register(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.url("/members/new"))


def register_errors(page: Page, seeded: Seeded) -> None:
    register(page, seeded)
    page.get_by_role("button", name="Register member").click()
    expect(page.get_by_role("alert")).to_be_visible()
    # the alert is in the HTML before the stylesheet has loaded: measure the page once it is styled
    # (on a loaded machine the unstyled page was measured once, 454 px wide)
    page.wait_for_load_state("load")


def member(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.member_url)
    expect(page.get_by_role("table", name="This member's consents")).to_be_visible()


PAGES = [
    pytest.param("register", register, id="register"),
    pytest.param("register-errors", register_errors, id="register-errors"),
    # Once failed: hidden words in the consents table escaped .table-wrap until it was positioned.
    pytest.param("member", member, id="member"),
]


@pytest.mark.parametrize(("name", "open_it"), PAGES)
def test_no_sideways_scrolling_at_320_px(name, open_it, seeded, open_page):
    page = open_page(storage_state=seeded.caseworker, viewport={"width": WIDTH, "height": 640})
    open_it(page, seeded)
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        wider = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 10)
                .map(e => `${e.tagName.toLowerCase()}.${e.className}`
                          + ` ends at ${Math.round(e.getBoundingClientRect().right)}px`)""",
            WIDTH,
        )
        pytest.fail(f"{name} is {width}px wide at {WIDTH}px; wider than the screen: {wider}")
