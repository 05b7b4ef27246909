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


def member(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.member_url)
    expect(page.get_by_role("table", name="This member's consents")).to_be_visible()


# Reported to the owner of adapters/web/static/site.css: the hidden words in the
# consents table (<span class="visually-hidden"> in "Record withdrawal of ...",
# and in the "Action" heading) are position: absolute, but .table-wrap is not
# positioned, so they escape its overflow-x: auto box and widen the whole page
# (scrollWidth 457 px at 320 px). `.table-wrap { position: relative; }` fixes it.
TABLE_ESCAPES = pytest.mark.xfail(
    reason="site.css: .visually-hidden spans escape .table-wrap (needs position: relative)", strict=False
)
PAGES = [
    pytest.param("register", register, id="register"),
    pytest.param("register-errors", register_errors, id="register-errors"),
    pytest.param("member", member, id="member", marks=TABLE_ESCAPES),
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
